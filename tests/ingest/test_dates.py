"""infer_date: caption dates, weekday cross-checks, backdrop and historical dates, no guessing."""

import datetime as dt

import pytest

from articles.ingest.dates import MAX_EVIDENCE, infer_date
from articles.ingest.types import Block


def paras(*texts):
    return [Block(kind="paragraph", text=t) for t in texts]


def test_caption_date_with_matching_weekday_in_the_body_is_explicit():
    date, how, evidence = infer_date(
        "Kremlin ready for talks",
        "The president at a meeting in Moscow on February 25, 2022.",
        paras("On Friday, the spokesman said talks could start.", "On Thursday, troops moved."),
    )
    assert (date, how) == (dt.date(2022, 2, 25), "explicit")
    assert evidence == ('caption says "February 25, 2022"; a Friday, and the text says "On Friday"')


@pytest.mark.parametrize(
    "caption",
    [
        "Workers at the plant on Feb. 25, 2022.",
        "Workers at the plant on 25 February 2022.",
        "Workers at the plant, 2022-02-25.",
        "Workers at the plant on Friday, February 25th, 2022.",
    ],
)
def test_caption_date_formats(caption):
    assert infer_date("Headline", caption, paras("Text."))[:2] == (
        dt.date(2022, 2, 25),
        "explicit",
    )


def test_a_file_photo_caption_does_not_date_the_article():
    date, how, _ = infer_date(
        "Dam reopens",
        "The dam seen on June 3, 2015. (File photo)",
        paras("The dam reopened to visitors."),
    )
    assert (date, how) == (None, "unknown")


def test_historical_date_in_the_body_does_not_win_over_the_caption():
    date, how, _ = infer_date(
        "Talks on the nuclear deal resume",
        "Diplomats arrive in Vienna on April 6, 2021.",
        paras(
            "On Tuesday, diplomats returned to the 2015 deal signed on July 14, 2015.",
            "Talks continue.",
        ),
    )
    assert date == dt.date(2021, 4, 6)
    assert how == "explicit"


def test_historical_date_matching_a_weekday_word_is_still_not_taken():
    # July 14, 2015 was a Tuesday, and the article says "On Tuesday": still history.
    date, how, evidence = infer_date(
        "Talks on the nuclear deal resume",
        "",
        paras("On Tuesday, diplomats returned to the 2015 deal signed on July 14, 2015."),
    )
    assert (date, how, evidence) == (None, "unknown", "")


@pytest.mark.parametrize(
    "sentence",
    [
        "Sanctions have been in force since March 1, 2022, on Tuesday officials said.",
        "Profits fell in the three months to 31 December 2004, BA said on Friday.",
        "The summit will be held on Friday, March 4, 2022.",
        "Talks are scheduled for March 4, 2022, the ministry said on Friday.",
    ],
)
def test_backdrop_and_future_dates_are_not_taken(sentence):
    assert infer_date("Headline", "", paras(sentence))[:2] == (None, "unknown")


@pytest.mark.parametrize(
    "caption",
    [
        "The coach shouts from the touchline in Gothenburg on December 17, 2023.",
        "Delegates walk through the venue in Dubai on December 17, 2023.",
    ],
)
def test_ordinary_words_before_a_caption_date_are_not_a_backdrop(caption):
    assert infer_date("H", caption, paras("Text."))[:2] == (dt.date(2023, 12, 17), "explicit")


@pytest.mark.parametrize(
    "caption",
    [
        "Prices rose from December 17, 2023.",
        "Forms are due by December 17, 2023.",
        "Roads closed between December 17, 2023 and the new year.",
    ],
)
def test_a_preposition_right_before_a_date_makes_it_a_backdrop(caption):
    assert infer_date("H", caption, paras("Text."))[:2] == (None, "unknown")


def test_body_date_confirmed_by_a_weekday_in_its_paragraph_is_explicit():
    date, how, evidence = infer_date(
        "Ministers meet",
        "",
        paras("Ministers met in Ankara on March 18, 2021. On Thursday they signed a pact."),
    )
    assert (date, how) == (dt.date(2021, 3, 18), "explicit")
    assert evidence == 'body says "March 18, 2021", a Thursday, and "On Thursday"'


def test_body_date_with_its_own_weekday_is_explicit():
    date, how, _ = infer_date("H", "", paras("On Sunday, December 18, 2016, the museum opened."))
    assert (date, how) == (dt.date(2016, 12, 18), "explicit")


def test_a_wrong_weekday_written_with_a_date_does_not_confirm_it():
    # February 25, 2022 was a Friday.
    assert infer_date("H", "", paras("It happened on Thursday, February 25, 2022."))[:2] == (
        None,
        "unknown",
    )


def test_a_body_date_alone_is_not_taken():
    date, how, _ = infer_date("H", "", paras("The law came into force on May 5, 2020."))
    assert (date, how) == (None, "unknown")


def test_the_latest_confirmed_date_wins():
    date, _, _ = infer_date(
        "H",
        "",
        paras(
            "On Monday, March 1, 2021, the first round ended.",
            "On Wednesday, March 3, 2021, the second round began.",
        ),
    )
    assert date == dt.date(2021, 3, 3)


def test_an_older_year_loses_to_a_later_stated_date():
    date, how, _ = infer_date(
        "H",
        "",
        paras(
            "The film was first shown on Friday, 12 March 1993.",
            "It returns to cinemas on 4 May 2005, the studio said.",
        ),
    )
    assert (date, how) == (None, "unknown")


def test_weekday_after_a_stated_date_in_the_same_paragraph_is_inferred():
    date, how, evidence = infer_date(
        "H",
        "",
        paras("Talks opened in Geneva on February 22, 2022, and on Friday the envoys left."),
    )
    assert (date, how) == (dt.date(2022, 2, 25), "inferred")
    assert evidence == '"on Friday" after "February 22, 2022"'


def test_month_and_day_with_a_weekday_in_the_one_year_mentioned_is_inferred():
    date, how, evidence = infer_date(
        "H",
        "",
        paras("The 2022 season opened on Friday, 25 February, with a home match."),
    )
    assert (date, how) == (dt.date(2022, 2, 25), "inferred")
    assert "Friday, 25 February" in evidence


def test_month_and_day_is_not_dated_when_several_years_are_mentioned():
    date, how, _ = infer_date(
        "H",
        "",
        paras("Between 2015 and 2022 the season opened on Friday, 25 February, once."),
    )
    assert (date, how) == (None, "unknown")


def test_month_and_day_without_any_year_is_not_dated():
    assert infer_date("H", "", paras("The club fined him on Friday, 18 October."))[:2] == (
        None,
        "unknown",
    )


def test_named_days_and_habits_are_not_weekday_evidence():
    # Friday 25 February 2022: "Good Friday" and "on Fridays" must not confirm it.
    date, how, _ = infer_date(
        "H",
        "",
        paras("Markets close on Fridays and on Good Friday; rates were set on February 25, 2022."),
    )
    assert (date, how) == (None, "unknown")


def test_a_date_in_the_future_is_never_taken():
    assert infer_date("H", "A rally on Friday, March 4, 2101.", paras("Text."))[:2] == (
        None,
        "unknown",
    )


def test_text_without_dates_is_unknown():
    assert infer_date("Chelsea sack Mutu", "", paras("Chelsea have sacked the striker.")) == (
        None,
        "unknown",
        "",
    )


def test_evidence_is_short_enough_for_the_database():
    long_caption = "Crowds on February 25, 2022 " + "x" * 400
    _, _, evidence = infer_date("H", long_caption + ".", paras("On Friday " + "y" * 400))
    assert len(evidence) <= MAX_EVIDENCE
