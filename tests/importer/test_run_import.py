"""The importer: created / unchanged / duplicate / updated / failed, idempotency, entity links."""

import datetime as dt
import os
import socket
import subprocess

import pytest

from articles.importing import ImportOptions, replace_entities, run_import
from articles.ingest.types import ParsedArticle, PersonMention, PlaceMention, RawFile
from articles.models import (
    Article,
    ArticlePerson,
    ArticlePlace,
    ArticleRevision,
    ImportBatch,
    Person,
    Place,
)
from tests.snapshots import archive_snapshot

pytestmark = pytest.mark.django_db

HARBOUR = """News   /   Europe

Harbour workers in Gdansk end a nine-day strike

Dock workers leave the container terminal in Gdansk on May 6, 2024. (Photo by Sample Wire)

Dock workers in the Polish port of Gdansk returned to work on Monday after a nine-day strike over pay ended with a deal.

The agreement raises wages by eight percent over two years, union leader Marta Zielinska told reporters.

Zielinska said the union would watch closely how the deal was applied.

The Meridian Herald’s website can also be accessed at the following alternate addresses:

www.meridianherald.example

SHARE THIS ARTICLE
The Meridian Herald News Roku
"""

ORCHARD = """Business   /   Markets

Apple growers count the cost of a late frost

Farmers in the valley say the frost of last week destroyed half of the blossom.

Prices for the new season are expected to rise sharply, traders said.
"""


def raw(name: str, text: str) -> RawFile:
    return RawFile(name=name, data=text.encode("utf-8"))


def test_first_import_creates_articles_with_their_original_text():
    batch = run_import([raw("a/001_harbour.txt", HARBOUR), raw("a/002_orchard.txt", ORCHARD)])

    assert (batch.created_count, batch.failed_count, batch.processed_files) == (2, 0, 2)
    assert batch.status == ImportBatch.Status.DONE
    article = Article.objects.get(original_filename="a/001_harbour.txt")
    assert article.original_text == HARBOUR
    assert article.headline == "Harbour workers in Gdansk end a nine-day strike"
    assert article.section.full_name == "News / Europe"
    assert article.section.parent.name == "News"
    assert article.caption_credit == "Photo by Sample Wire"
    assert article.body[0]["kind"] == "paragraph"
    assert "Roku" not in article.body_text
    assert article.source.name == "The Meridian Herald"
    assert article.slug == "harbour-workers-in-gdansk-end-a-nine-day-strike"
    assert list(batch.files.values_list("status", flat=True)) == ["created", "created"]


def test_importing_twice_changes_nothing():
    files = [raw("a/001_harbour.txt", HARBOUR), raw("a/002_orchard.txt", ORCHARD)]
    run_import(files)
    before = archive_snapshot()

    second = run_import(files)

    assert archive_snapshot() == before
    assert (second.unchanged_count, second.created_count, second.updated_count) == (2, 0, 0)


def test_identical_text_under_another_name_is_a_duplicate():
    run_import([raw("a/001_harbour.txt", HARBOUR)])

    batch = run_import([raw("b/copy_of_harbour.txt", HARBOUR)])

    assert batch.duplicate_count == 1
    row = batch.files.get()
    assert row.status == "duplicate"
    assert row.reason == "same text as a/001_harbour.txt"
    assert row.article == Article.objects.get()
    assert Article.objects.count() == 1


def test_duplicates_inside_one_run_are_reported_too():
    batch = run_import([raw("one.txt", ORCHARD), raw("two.txt", ORCHARD)])

    assert (batch.created_count, batch.duplicate_count) == (1, 1)
    assert Article.objects.count() == 1


def test_changed_file_updates_the_article_and_keeps_the_replaced_text():
    run_import([raw("a/002_orchard.txt", ORCHARD)])
    article = Article.objects.get()
    changed = ORCHARD.replace("half of the blossom", "two thirds of the blossom")

    batch = run_import([raw("a/002_orchard.txt", changed)])

    assert batch.updated_count == 1
    article.refresh_from_db()
    assert article.original_text == changed
    assert "two thirds" in article.body_text
    revision = ArticleRevision.objects.get(article=article)
    assert revision.original_text == ORCHARD
    assert revision.batch == batch
    assert Article.objects.count() == 1


def test_failed_files_are_reported_and_the_good_ones_imported():
    batch = run_import(
        [
            raw("good.txt", ORCHARD),
            RawFile(name="bad.bin", data=b"\x00\x01\x02binary"),
            RawFile(name="unreadable.txt", error="permission denied"),
        ]
    )

    assert (batch.created_count, batch.failed_count) == (1, 2)
    reasons = dict(batch.files.filter(status="failed").values_list("filename", "reason"))
    assert reasons["unreadable.txt"] == "permission denied"
    assert "binary" in reasons["bad.bin"]
    assert Article.objects.count() == 1


def test_dry_run_classifies_but_writes_no_article():
    batch = run_import([raw("good.txt", ORCHARD)], options=ImportOptions(dry_run=True))

    assert batch.dry_run
    assert batch.created_count == 1
    assert batch.files.get().status == "created"
    assert Article.objects.count() == 0


def test_source_section_and_date_given_for_the_whole_run():
    run_import(
        [raw("good.txt", ORCHARD)],
        options=ImportOptions(
            source_name="Valley Gazette",
            section_path=["Business", "Farming"],
            published=dt.date(2024, 4, 2),
        ),
    )

    article = Article.objects.get()
    assert article.source.name == "Valley Gazette"
    assert article.section.full_name == "Business / Farming"
    assert (article.published, article.published_how) == (dt.date(2024, 4, 2), "given")
    assert article.source.article_count == 1
    assert article.section.article_count == 1


# --- people and places ------------------------------------------------------------------------


def parsed_with(people=(), places=()) -> ParsedArticle:
    return ParsedArticle(
        file="x.txt",
        text="x",
        people=[PersonMention(name=n, mentions=m, role=r) for n, m, r in people],
        places=[PlaceMention(name=n, kind=k, country_code=c, mentions=m) for n, k, c, m in places],
    )


@pytest.fixture
def two_articles():
    run_import([raw("a/001_harbour.txt", HARBOUR), raw("a/002_orchard.txt", ORCHARD)])
    return list(Article.objects.order_by("original_filename"))


def test_entities_are_linked_and_a_city_links_its_country(two_articles):
    first, _ = two_articles
    replace_entities(
        [
            (
                first,
                parsed_with(
                    people=[("Marta Zielinska", 2, "union leader")],
                    places=[("Gdansk", "city", "PL", 2)],
                ),
            )
        ]
    )

    person = Person.objects.get(name="Marta Zielinska")
    assert person.slug == "marta-zielinska"
    assert (person.article_count, person.mention_count) == (1, 2)
    link = ArticlePerson.objects.get(article=first)
    assert (link.mentions, link.role) == (2, "union leader")
    city = Place.objects.get(name="Gdansk")
    poland = Place.objects.get(kind="country", iso_code="PL")
    assert city.country == poland
    country_link = ArticlePlace.objects.get(article=first, place=poland)
    assert (country_link.mentions, country_link.via_city) == (0, True)
    assert Article.objects.in_country("pl").get() == first


def test_a_surname_alone_attaches_to_the_one_person_who_has_it(two_articles):
    first, second = two_articles
    replace_entities([(first, parsed_with(people=[("Marta Zielinska", 1, "")]))])

    replace_entities([(second, parsed_with(people=[("Zielinska", 1, "")]))])

    assert Person.objects.count() == 1
    assert Person.objects.get().article_count == 2


def test_an_ambiguous_surname_becomes_its_own_person(two_articles):
    first, second = two_articles
    replace_entities(
        [(first, parsed_with(people=[("Marta Zielinska", 1, ""), ("Anna Zielinska", 1, "")]))]
    )

    replace_entities([(second, parsed_with(people=[("Zielinska", 1, "")]))])

    assert set(Person.objects.values_list("name", flat=True)) == {
        "Marta Zielinska",
        "Anna Zielinska",
        "Zielinska",
    }


def test_names_marked_not_an_entity_never_come_back(two_articles):
    first, _ = two_articles
    replace_entities([(first, parsed_with(people=[("Sample Wire", 1, "")]))])
    Person.objects.filter(name="Sample Wire").update(is_entity=False)

    replace_entities([(first, parsed_with(people=[("Sample Wire", 1, "")]))])

    assert not ArticlePerson.objects.exists()


def test_merged_people_resolve_to_the_person_kept(two_articles):
    first, second = two_articles
    replace_entities([(first, parsed_with(people=[("Marta Zielinska", 1, "")]))])
    keep = Person.objects.get()
    Person.objects.create(name="M. Zielinska", slug="m-zielinska", merged_into=keep)

    replace_entities([(second, parsed_with(people=[("M. Zielinska", 1, "")]))])

    assert ArticlePerson.objects.filter(person=keep).count() == 2


def test_replacing_entities_drops_old_links_and_recounts(two_articles):
    first, _ = two_articles
    replace_entities([(first, parsed_with(people=[("Marta Zielinska", 1, "")]))])

    replace_entities([(first, parsed_with(people=[("Jan Nowak", 1, "")]))])

    assert Person.objects.get(name="Marta Zielinska").article_count == 0
    assert Person.objects.get(name="Jan Nowak").article_count == 1


def test_two_texts_under_one_name_in_one_run_end_as_one_updated_article():
    changed = ORCHARD.replace("half of the blossom", "all of the blossom")

    batch = run_import(
        [raw("same.txt", ORCHARD), raw("same.txt", changed)], options=ImportOptions(chunk_size=10)
    )

    assert (batch.created_count, batch.updated_count, batch.failed_count) == (1, 1, 0)
    article = Article.objects.get()
    assert article.original_text == changed
    assert article.revisions.get().original_text == ORCHARD


def test_a_country_listed_only_for_its_city_is_linked_via_the_city(two_articles):
    first, _ = two_articles
    replace_entities(
        [
            (
                first,
                parsed_with(places=[("Gdansk", "city", "PL", 1), ("Poland", "country", "PL", 0)]),
            )
        ]
    )

    link = ArticlePlace.objects.get(article=first, place__kind="country")
    assert (link.mentions, link.via_city) == (0, True)


def test_a_rerun_classifies_stored_texts_without_parsing_them(monkeypatch):
    files = [raw("a/001_harbour.txt", HARBOUR), raw("b/copy.txt", HARBOUR)]
    run_import(files[:1])
    from articles.ingest import pipeline

    parsed_names = []
    real_parse_raw = pipeline.parse_raw

    def spy(raw_file, **kwargs):
        parsed_names.append(raw_file.name)
        return real_parse_raw(raw_file, **kwargs)

    monkeypatch.setattr(pipeline, "parse_raw", spy)

    batch = run_import([*files, raw("a/002_orchard.txt", ORCHARD)])

    assert parsed_names == ["a/002_orchard.txt"]
    assert dict(batch.files.values_list("filename", "status")) == {
        "a/001_harbour.txt": "unchanged",
        "b/copy.txt": "duplicate",
        "a/002_orchard.txt": "created",
    }


def test_a_run_closes_batches_left_running_by_a_dead_process():
    ended = subprocess.Popen(["true"])  # a process that has ended and been reaped
    ended.wait()
    here = socket.gethostname()
    dead = ImportBatch.objects.create(options={"host": here, "pid": ended.pid})
    elsewhere = ImportBatch.objects.create(options={"host": "another-host", "pid": ended.pid})
    alive = ImportBatch.objects.create(options={"host": here, "pid": os.getpid()})

    run_import([raw("good.txt", ORCHARD)])

    dead.refresh_from_db()
    assert dead.status == ImportBatch.Status.FAILED
    assert dead.error.startswith("interrupted")
    assert dead.finished_at is not None
    for batch in (elsewhere, alive):
        batch.refresh_from_db()
        assert batch.status == ImportBatch.Status.RUNNING
