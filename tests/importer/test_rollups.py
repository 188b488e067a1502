"""The monthly counts (``MonthlyCount``) stay equal to what the rows say after every kind of
write: an import, an updated file, a re-extraction, a merge, "not an entity"; and an import
bumps only the cache scopes of what it wrote to."""

import datetime as dt

import pytest

from articles import curation
from articles.importing.rollups import contributions
from articles.models import Article, MonthlyCount, Person, Place, ScopeVersion, Section
from tests.factories import import_texts

pytestmark = pytest.mark.django_db


def story(section: str, headline: str, body: str) -> str:
    return f"{section}\n\n{headline}\n\n{body}\n"


HARBOUR = story(
    "News   /   Europe",
    "Harbour workers end their strike",
    "Foreign Minister Arvid Tallen said in Minsk on Monday that the harbour would reopen. "
    "Tallen told reporters that talks with Russia had helped.",
)
MATCH = story(
    "Sport   /   Football",
    "A late goal decides the cup final",
    "Coach Marten Ulvaeus said in Moscow that his striker had never played better. "
    "Ulvaeus thanked the fans who had travelled from Belarus.",
)


def stored() -> dict:
    rows = MonthlyCount.objects.exclude(articles=0)
    return {(r.kind, r.entity_id, r.month): r.articles for r in rows}


def recomputed() -> dict:
    return dict(contributions(Article.objects.values_list("pk", flat=True)))


def test_an_import_fills_the_monthly_counts_in_its_own_transaction():
    import_texts({"a/harbour.txt": HARBOUR}, published=dt.date(2023, 3, 6))
    import_texts({"a/match.txt": MATCH}, published=dt.date(2023, 4, 2))

    counts = stored()
    assert counts == recomputed()
    march, april = dt.date(2023, 3, 1), dt.date(2023, 4, 1)
    assert counts[("archive", 0, march)] == 1
    assert counts[("archive", 0, april)] == 1
    news = Section.objects.get(path="news")
    europe = Section.objects.get(path="news/europe")
    assert counts[("section", news.pk, march)] == 1  # a parent counts its subsections
    assert counts[("section", europe.pk, march)] == 1
    belarus = Place.objects.get(iso_code="BY", kind="country")
    # Belarus: through Minsk in March, named in April
    assert counts[("place", belarus.pk, march)] == 1
    assert counts[("place", belarus.pk, april)] == 1
    tallen = Person.objects.get(name="Arvid Tallen")
    assert counts[("person", tallen.pk, march)] == 1


def test_an_updated_file_moves_its_counts_to_its_new_month_and_section():
    import_texts({"a/harbour.txt": HARBOUR}, published=dt.date(2023, 3, 6))
    changed = HARBOUR.replace("News   /   Europe", "Business").replace("Monday", "Friday")
    batch = import_texts({"a/harbour.txt": changed}, published=dt.date(2024, 1, 9))

    assert batch.updated_count == 1
    counts = stored()
    assert counts == recomputed()
    assert ("archive", 0, dt.date(2023, 3, 1)) not in counts
    assert counts[("archive", 0, dt.date(2024, 1, 1))] == 1
    europe = Section.objects.get(path="news/europe")
    assert not [key for key in counts if key[:2] == ("section", europe.pk)]


def test_curation_keeps_the_monthly_counts_right():
    import_texts({"a/harbour.txt": HARBOUR, "a/match.txt": MATCH}, published=dt.date(2023, 3, 6))
    tallen = Person.objects.get(name="Arvid Tallen")
    ulvaeus = Person.objects.get(name="Marten Ulvaeus")
    curation.merge_people(keep=tallen, merge=ulvaeus)
    assert stored() == recomputed()
    assert stored()[("person", tallen.pk, dt.date(2023, 3, 1))] == 2

    moscow = Place.objects.get(name="Moscow")
    curation.mark_not_entity(place=moscow)
    assert stored() == recomputed()

    curation.reextract_articles(Article.objects.all())
    assert stored() == recomputed()


def test_an_import_bumps_only_the_scopes_it_wrote_to():
    import_texts({"a/harbour.txt": HARBOUR}, published=dt.date(2023, 3, 6))
    before = dict(ScopeVersion.objects.values_list("scope", "version"))

    import_texts({"a/match.txt": MATCH}, published=dt.date(2023, 4, 2))

    after = dict(ScopeVersion.objects.values_list("scope", "version"))
    bumped = {scope for scope, v in after.items() if v != before.get(scope)}
    assert {"section:sport", "section:sport/football", "person:marten-ulvaeus"} <= bumped
    assert "place:belarus" in bumped  # named in the new story
    assert "person:arvid-tallen" not in bumped
    assert "section:news" not in bumped and "section:news/europe" not in bumped
    assert "*" not in bumped


def test_an_article_edited_or_deleted_one_at_a_time_keeps_the_counts_right():
    import_texts({"a/harbour.txt": HARBOUR, "a/match.txt": MATCH}, published=dt.date(2023, 3, 6))
    article = Article.objects.get(original_filename="a/harbour.txt")
    article.published = dt.date(2021, 7, 1)  # as an editor would in the admin
    article.section = Section.objects.get(path="sport")
    article.save()
    counts = stored()
    assert counts == recomputed()
    assert counts[("archive", 0, dt.date(2021, 7, 1))] == 1
    assert counts[("archive", 0, dt.date(2023, 3, 1))] == 1

    Article.objects.get(original_filename="a/match.txt").delete()
    assert stored() == recomputed()
    assert ("archive", 0, dt.date(2023, 3, 1)) not in stored()
