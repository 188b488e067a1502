"""reextract: re-runs extraction from each article's stored original text, in bulk."""

import datetime as dt
import io

import pytest
from django.core.management import CommandError, call_command

from articles.models import ArticlePerson, ArticlePlace, Person, Place
from tests.factories import make_article, make_person, make_section, make_source

pytestmark = pytest.mark.django_db

HARBOUR = (
    "Harbour workers return after strike\n\n"
    "Dock workers in Gdansk went back to work on Monday after a week-long strike.\n\n"
    'Union leader Marta Zielinska said the deal was "a fair one". Zielinska added that '
    "Polish ports would be busy all winter."
)
ORCHARD = (
    "Orchards recover after frost\n\n"
    "Apple growers near Nairobi said the harvest had recovered.\n\n"
    "Farm minister Daniel Mwangi told reporters that Kenyan exports would rise."
)


def article_with(text: str, **extra):
    article = make_article(text.split("\n\n")[0], **extra)
    article.original_text = text
    article.save(update_fields=["original_text"])
    return article


def run(*args) -> str:
    out = io.StringIO()
    call_command("reextract", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def test_reextract_links_people_and_places_from_the_original_text():
    article = article_with(HARBOUR)

    out = run("--ids", str(article.pk))

    link = ArticlePerson.objects.get(article=article)
    assert (link.person.name, link.mentions, link.role) == ("Marta Zielinska", 2, "Union leader")
    codes = set(
        ArticlePlace.objects.filter(article=article).values_list("place__iso_code", flat=True)
    )
    assert codes == {"PL"}
    assert Place.objects.get(kind="city", name="Gdańsk").country.iso_code == "PL"
    assert "Re-extracted 1 of 1 articles" in out


def test_reextract_replaces_stale_links_and_keeps_counts_right():
    article = article_with(HARBOUR)
    stale = make_person("Somebody Wrong")
    ArticlePerson.objects.create(article=article, person=stale, mentions=4)

    run("--all")

    assert not ArticlePerson.objects.filter(person=stale).exists()
    stale.refresh_from_db()
    assert stale.article_count == 0
    assert Person.objects.get(name="Marta Zielinska").article_count == 1


def test_reextract_works_in_several_batches():
    articles = [article_with(HARBOUR if i % 2 else ORCHARD) for i in range(5)]

    out = run("--all", "--batch-size", "2")

    assert "Re-extracted 5 of 5 articles" in out
    assert ArticlePerson.objects.filter(article__in=articles).count() == 5
    assert Person.objects.get(name="Daniel Mwangi").article_count == 3


def test_filters_choose_the_articles():
    bbc = make_source("BBC News")
    a = article_with(HARBOUR, source=bbc, section=make_section("Business / Ports"))
    b = article_with(ORCHARD, published=dt.date(2020, 1, 1))

    run("--source", "bbc-news")
    assert ArticlePerson.objects.filter(article=a).exists()
    assert not ArticlePerson.objects.filter(article=b).exists()

    run("--until", "2020-12-31")
    assert ArticlePerson.objects.filter(article=b).exists()

    ArticlePerson.objects.all().delete()
    run("--section", "business")
    assert list(ArticlePerson.objects.values_list("article_id", flat=True)) == [a.pk]


def test_an_article_that_no_longer_parses_keeps_its_people():
    article = article_with(HARBOUR)
    person = make_person("Kept Person")
    ArticlePerson.objects.create(article=article, person=person)
    article.original_text = "   \n\n  "
    article.save(update_fields=["original_text"])
    err = io.StringIO()

    call_command("reextract", "--all", stdout=io.StringIO(), stderr=err)

    assert ArticlePerson.objects.filter(article=article, person=person).exists()
    assert f"article {article.pk}" in err.getvalue()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ((), "say which articles"),
        (("--ids", "1,x"), "comma-separated article ids"),
        (("--since", "yesterday"), "YYYY-MM-DD"),
        (("--source", "nowhere"), "no source with slug"),
        (("--section", "no/such"), "no section with path"),
        (("--all", "--batch-size", "0"), "--batch-size"),
    ],
)
def test_bad_options_fail_with_a_clear_message(args, message):
    make_source()
    with pytest.raises(CommandError, match=message):
        run(*args)


def test_nothing_to_do_is_said_plainly():
    assert "nothing to do" in run("--all")
