"""Date traps from real news, in our own words: backdrop dates, event dates, weekday
coincidences, and the period an import is told its files come from."""

import datetime as dt

import pytest

from articles.ingest.datelines import Dateline
from articles.ingest.dates import infer_date
from articles.ingest.parser import parse_text
from articles.ingest.periods import Period, PeriodError, parse_period
from articles.ingest.types import Block


def paras(*texts):
    return [Block(kind="paragraph", text=t) for t in texts]


YEAR_1987 = parse_period("1987")


def test_a_recalled_crash_with_a_weekday_elsewhere_gives_no_date():
    # The 1929 crash was on a Tuesday; "on Monday" must not make it 1929-11-04.
    date, how, _ = infer_date(
        "STOCKS SLIDE",
        "",
        paras("Traders recalled the crash of Oct 29, 1929, as prices fell on Monday."),
    )
    assert (date, how) == (None, "unknown")


def test_a_story_that_only_recalls_black_tuesday_is_not_dated_1929():
    date, how, _ = infer_date(
        "H", "", paras("On Tuesday, October 29, 1929, the 1929 crash wiped out savings.")
    )
    assert (date, how) == (None, "unknown")


def test_an_anniversary_date_with_its_weekday_is_a_backdrop():
    date, _, _ = infer_date(
        "H",
        "",
        paras("Crowds marked the anniversary of Friday, November 22, 1963, in Dallas."),
    )
    assert date is None


@pytest.mark.parametrize(
    "sentence",
    [
        "A meeting of the growers' council is set for Thursday, March 19, 1987.",
        "The new fares are effective Saturday, March 7, 1987.",
        "Subscriptions close Friday, March 20, 1987, the bank said.",
        "On April 17, 1987, he would raise the duties, the minister said.",
        "Stocks as of Friday, April 3, 1987 were higher.",
    ],
)
def test_plans_deadlines_and_effective_dates_are_not_the_news_day(sentence):
    assert infer_date("H", "", paras(sentence))[:2] == (None, "unknown")


def test_a_weekday_in_another_sentence_does_not_date_a_month_and_day():
    date, _, _ = infer_date(
        "H",
        "",
        paras("The 2022 fair opened on 25 February. It rained on Friday."),
    )
    assert date is None


def test_a_month_and_day_in_the_period_year_with_its_weekday_is_inferred():
    date, how, evidence = infer_date(
        "H", "", paras("The talks resumed on Monday, March 2, the envoy said."), period=YEAR_1987
    )
    assert (date, how) == (dt.date(1987, 3, 2), "inferred")
    assert "the files are from 1987" in evidence


def test_the_dateline_day_takes_the_period_year():
    dateline = Dateline(text="WASHINGTON, March 2", place="Washington", month=3, day=2)
    date, how, evidence = infer_date(
        "H", "", paras("WASHINGTON, March 2 - Officials met."), period=YEAR_1987, dateline=dateline
    )
    assert (date, how) == (dt.date(1987, 3, 2), "inferred")
    assert evidence == 'dateline "WASHINGTON, March 2"; the files are from 1987'


def test_without_a_period_the_dateline_day_dates_nothing():
    dateline = Dateline(text="WASHINGTON, March 2", place="Washington", month=3, day=2)
    assert infer_date("H", "", paras("Officials met."), dateline=dateline)[0] is None


def test_a_period_refuses_an_explicit_date_outside_it():
    date, _, _ = infer_date(
        "H", "", paras("On Sunday, December 18, 2016, the museum opened."), period=YEAR_1987
    )
    assert date is None
    date, how, _ = infer_date(
        "H",
        "",
        paras("On Sunday, December 18, 2016, the museum opened."),
        period=parse_period("2016-01:2019-12"),
    )
    assert (date, how) == (dt.date(2016, 12, 18), "explicit")


def test_a_period_over_several_years_needs_the_year_from_the_text():
    period = parse_period("2017-01:2019-12")
    assert infer_date("H", "", paras("It opened on Monday, March 2."), period=period)[0] is None


def test_wire_headline_day_in_the_period():
    text = "LONDON METALS VOLUMES - APR 7\n\nCopper   1,200   1,150\n    Zinc     800     760\n"
    text += "    Dealers said trade was thin before the holiday weekend in most of the\n"
    text += "markets they follow.\n"
    parsed = parse_text(text, "wire/metals.txt", period=YEAR_1987)
    assert (parsed.published, parsed.published_how) == (dt.date(1987, 4, 7), "inferred")
    assert parsed.published_evidence == 'headline "APR 7"; the files are from 1987'
    assert parse_text(text, "wire/metals.txt").published is None


def test_the_period_is_part_of_the_evidence_of_an_explicit_date():
    parsed = parse_text(
        "Title\n\nMinisters met in Ankara on March 18, 2021. On Thursday they signed a pact.\n",
        "a.txt",
        period=parse_period("2021"),
    )
    assert parsed.published == dt.date(2021, 3, 18)
    assert parsed.published_evidence.endswith("; the files are from 2021")


@pytest.mark.parametrize(
    "text, start, end",
    [
        ("1987", dt.date(1987, 1, 1), dt.date(1987, 12, 31)),
        ("1987-02", dt.date(1987, 2, 1), dt.date(1987, 2, 28)),
        ("2017-01:2019-12", dt.date(2017, 1, 1), dt.date(2019, 12, 31)),
        ("2020-02-10:2020-03", dt.date(2020, 2, 10), dt.date(2020, 3, 31)),
    ],
)
def test_period_formats(text, start, end):
    assert parse_period(text) == Period(start=start, end=end)


@pytest.mark.parametrize("text", ["", "87", "1987-13", "2019:2017", "1987-02-30", "spring"])
def test_bad_periods_are_refused_with_a_reason(text):
    with pytest.raises(PeriodError):
        parse_period(text)


def test_period_label_and_membership():
    assert YEAR_1987.label() == "1987"
    assert parse_period("2017-01:2019-12").label() == "2017-01-01 to 2019-12-31"
    assert dt.date(1987, 6, 1) in YEAR_1987
    assert dt.date(1988, 1, 1) not in YEAR_1987


def test_a_weekday_in_the_next_sentence_does_not_move_a_stated_date():
    date, _, _ = infer_date(
        "H", "", paras("The envoys arrived in Geneva on 22 February 2022. They left on Friday.")
    )
    assert date is None


def test_the_date_of_an_embedded_post_is_not_the_story_date():
    date, _, _ = infer_date(
        "H",
        "",
        paras("The clip spread fast. Posted by Harbour Watch on Tuesday, November 13, 2018"),
    )
    assert date is None


def test_a_day_that_an_occasion_marks_is_a_backdrop():
    date, _, _ = infer_date(
        "H",
        "",
        paras("On Sunday the rally marks the seizure of the mission on Sunday, November 4, 1979."),
    )
    assert date is None


def test_an_earlier_year_loses_to_an_upcoming_event_of_a_later_year():
    date, _, _ = infer_date(
        "H",
        "",
        paras(
            "She will race at the 2018 Asian Games.",
            "On 15 September 2013, on a Sunday, she won in London.",
        ),
    )
    assert date is None
