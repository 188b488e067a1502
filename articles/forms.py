"""Admin forms: the import upload, the alias editor, and the merge choice."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat

from .curation import clean_aliases
from .ingest.dates import date_range_error
from .ingest.periods import PeriodError, parse_period
from .models import Person, Place

# What the import page accepts; anything else is refused before the importer sees it.
ALLOWED_SUFFIXES = (".txt", ".zip", ".tar.gz", ".tgz", ".tar")

NO_FILES = "Choose at least one .txt file or a .zip / .tar.gz archive."
BAD_SUFFIX = "{name}: only .txt files and .zip / .tar.gz archives can be imported."
TOO_MANY_UPLOADS = "Too many files in one upload ({count}); the limit is {limit}."
UPLOAD_TOO_LARGE = "The upload is larger than the limit of {limit}; nothing was imported."
SAME_NAME = (
    "{name} is chosen twice. A file name is its identity in the archive: give each file "
    "its own name."
)
BAD_SECTION = "Write the section as names separated by “/”, e.g. News / Iran."


def has_allowed_suffix(name: str) -> bool:
    return name.lower().endswith(ALLOWED_SUFFIXES)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """A file field that takes several files (Django's documented pattern) and cleans to a
    list."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ",".join(ALLOWED_SUFFIXES)}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else ([data] if data else [])
        if not files:
            if self.required:
                raise forms.ValidationError(NO_FILES, code="required")
            return []
        return [super(MultipleFileField, self).clean(f, initial) for f in files]


def clean_publication_date(day):
    """A form's publication date, refused outside the archive's range (ingest.dates)."""
    error = date_range_error(day)
    if error:
        raise forms.ValidationError(error, code="date_range")
    return day


class ArticleAdminForm(forms.ModelForm):
    """The admin's article edit: the same date range as the command and the upload."""

    def clean_published(self):
        return clean_publication_date(self.cleaned_data["published"])


class ImportUploadForm(forms.Form):
    """What an editor sends to the import page. The files themselves are already on disk in a
    fresh temporary folder (see ``admin_import.ImportUploadHandler``) when this form runs."""

    files = MultipleFileField(
        label="Files",
        help_text="One or more .txt files, or a .zip / .tar.gz archive of them.",
    )
    source = forms.CharField(
        required=False,
        max_length=200,
        help_text="Publisher of every article in the upload (e.g. Press TV). "
        "Leave empty to detect it from each article.",
    )
    section = forms.CharField(
        required=False,
        max_length=600,
        help_text="Section path for every article, e.g. “News / Iran”. "
        "Leave empty to use each article's breadcrumb.",
    )
    published = forms.DateField(
        required=False,
        label="Date",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text="Publication date for every article. Leave empty to read or infer it "
        "from each article.",
    )
    period = forms.CharField(
        required=False,
        max_length=50,
        help_text="The period the files come from: a year (1987), a month (2017-03) or a span "
        "(2017-01:2019-12). Dates read from the text then fall within it; leave empty if unknown.",
    )
    dry_run = forms.BooleanField(
        required=False,
        label="Dry run (preview only)",
        help_text="Parse and classify every file and show the report, without saving any article.",
    )

    def __init__(self, *args, upload_too_large: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.upload_too_large = upload_too_large

    def clean_files(self) -> list:
        files = self.cleaned_data["files"]
        if len(files) > settings.IMPORT_MAX_FILES:
            raise forms.ValidationError(
                TOO_MANY_UPLOADS.format(count=len(files), limit=settings.IMPORT_MAX_FILES)
            )
        bad = [BAD_SUFFIX.format(name=f.name) for f in files if not has_allowed_suffix(f.name)]
        if bad:
            raise forms.ValidationError(bad)
        seen: set[str] = set()
        twice = sorted({f.name for f in files if f.name in seen or seen.add(f.name)})
        if twice:
            raise forms.ValidationError([SAME_NAME.format(name=name) for name in twice])
        return files

    def clean_period(self):
        value = self.cleaned_data["period"].strip()
        if not value:
            return None
        try:
            return parse_period(value)
        except PeriodError as exc:
            raise forms.ValidationError(f"Not a period: {exc}.") from exc

    def clean_published(self):
        return clean_publication_date(self.cleaned_data["published"])

    def clean_section(self) -> list[str] | None:
        value = self.cleaned_data["section"].strip()
        if not value:
            return None
        names = [" ".join(part.split()) for part in value.split("/")]
        if any(not name or len(name) > 200 for name in names):
            raise forms.ValidationError(BAD_SECTION)
        return names

    def clean_source(self) -> str | None:
        return " ".join(self.cleaned_data["source"].split()) or None

    def clean(self):
        cleaned = super().clean()
        if self.upload_too_large:
            # The handler stopped storing files mid-way: refuse the whole upload rather than
            # import the part that arrived.
            raise forms.ValidationError(
                UPLOAD_TOO_LARGE.format(limit=filesizeformat(settings.IMPORT_MAX_UPLOAD_BYTES))
            )
        return cleaned


class AliasesField(forms.CharField):
    """A JSON list of aliases edited as one alias per line."""

    widget = forms.Textarea(attrs={"rows": 4, "cols": 60})

    def prepare_value(self, value):
        if isinstance(value, list | tuple):
            return "\n".join(str(v) for v in value)
        return value

    def to_python(self, value) -> list[str]:
        if isinstance(value, list | tuple):
            return clean_aliases(value)
        return clean_aliases((value or "").splitlines())


class _EntityForm(forms.ModelForm):
    aliases = AliasesField(
        required=False,
        help_text="Other spellings, one per line. Extraction links these names here.",
    )

    def clean(self):
        cleaned = super().clean()
        name = cleaned.get("name") or (self.instance.name if self.instance else "")
        cleaned["aliases"] = clean_aliases(cleaned.get("aliases") or [], name=name)
        return cleaned


class PersonForm(_EntityForm):
    class Meta:
        model = Person
        fields = ["name", "slug", "aliases", "is_entity", "merged_into"]


class PlaceForm(_EntityForm):
    class Meta:
        model = Place
        fields = [
            "name",
            "slug",
            "kind",
            "country",
            "iso_code",
            "aliases",
            "is_entity",
            "merged_into",
            "latitude",
            "longitude",
            "population",
            "geonames_id",
        ]


class MergeForm(forms.Form):
    """Which of two selected records to keep; the other is merged into it."""

    keep = forms.TypedChoiceField(coerce=int, widget=forms.RadioSelect, label="Keep")

    def __init__(self, *args, records, **kwargs):
        super().__init__(*args, **kwargs)
        self.records = list(records)
        self.fields["keep"].choices = [
            (r.pk, f"{r.name} — {r.article_count} articles (#{r.pk})") for r in self.records
        ]

    def keep_and_merge(self):
        keep_pk = self.cleaned_data["keep"]
        keep = next(r for r in self.records if r.pk == keep_pk)
        merge = next(r for r in self.records if r.pk != keep_pk)
        return keep, merge
