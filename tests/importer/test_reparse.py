"""The one re-parse path for a stored article (``reparse_article``), used by ``reextract``,
curation's re-extraction and the extraction evaluation: the stored text, not decoded again,
the size limit of an import, and the article's own source and section as the overrides."""

import io

import pytest
from django.core.management import call_command

from articles.curation import reextract_articles
from articles.importing import reparse_article
from articles.ingest.pipeline import ERR_TOO_LONG, MAX_ARTICLE_CHARS
from articles.models import ArticlePerson
from tests.factories import link_person, make_article, make_person, make_source

pytestmark = pytest.mark.django_db

TEXT = (
    "News   /   Europe\n\n"
    "Port reopens after repairs\n\n"
    "Port director Ilse Varga said on Friday that the harbour in Tallinn had reopened.\n\n"
    "Varga said the breakwater repairs were finished.\n"
)


def stored(text: str = TEXT, **extra):
    article = make_article("Port reopens after repairs", **extra)
    article.original_text = text
    article.save(update_fields=["original_text"])
    return article


def too_long() -> str:
    paragraph = "The harbour stayed busy all week and the ferries ran on time. " * 40
    count = MAX_ARTICLE_CHARS // len(paragraph) + 2
    return "Port reopens after repairs\n\n" + "\n\n".join([paragraph] * count) + "\n"


def test_the_stored_section_and_source_override_what_the_text_says():
    article = stored(section="Business / Shipping", source=make_source("Harbour Radio"))

    parsed = reparse_article(article)

    assert parsed.error is None
    assert parsed.section_path == ["Business", "Shipping"]  # not the text's News / Europe
    assert parsed.source == "Harbour Radio"
    assert "Ilse Varga" in {p.name for p in parsed.people}


def test_the_stored_text_is_not_decoded_again(monkeypatch):
    from articles.ingest import pipeline

    def refuse(data):
        raise AssertionError("decoded again")

    monkeypatch.setattr(pipeline, "decode_bytes", refuse)
    article = stored(original_encoding="cp1252")

    parsed = reparse_article(article)

    assert parsed.error is None
    assert parsed.encoding == "cp1252"


def test_the_size_limit_of_an_import_holds():
    parsed = reparse_article(stored(too_long()))

    assert parsed.error is not None
    assert parsed.error.startswith(ERR_TOO_LONG.split("{")[0])


def test_the_command_and_curation_both_refuse_a_text_over_the_limit():
    article = stored(too_long())
    person = make_person("Kept Person")
    link_person(article, person)

    err = io.StringIO()
    call_command("reextract", "--ids", str(article.pk), stdout=io.StringIO(), stderr=err)
    assert "too long for one article" in err.getvalue()
    assert reextract_articles([article]) == 0

    assert list(ArticlePerson.objects.filter(article=article).values_list("person", flat=True)) == [
        person.pk
    ]


def test_the_command_and_curation_apply_the_same_path(monkeypatch):
    seen: list[int] = []
    real = reparse_article

    def recording(article):
        seen.append(article.pk)
        return real(article)

    monkeypatch.setattr("articles.curation.reparse_article", recording)
    monkeypatch.setattr("articles.management.commands.reextract.reparse_article", recording)
    one, two = stored(), stored()

    call_command("reextract", "--ids", str(one.pk), stdout=io.StringIO())
    reextract_articles([two])

    assert seen == [one.pk, two.pk]
    for article in (one, two):
        names = ArticlePerson.objects.filter(article=article).values_list("person__name", flat=True)
        assert "Ilse Varga" in set(names)
