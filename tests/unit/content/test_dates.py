"""Dates at the precision the source gives: a year, a month, a day, approximate, or not given."""

from __future__ import annotations

import datetime as dt

import pytest

from contested.content.dates import UNKNOWN, DateError, PartialDate, parse_date


@pytest.mark.parametrize(("text", "precision", "approximate", "iso", "human"), [
    ("2020", "year", False, "2020", "2020"),
    ("2025-11", "month", False, "2025-11", "November 2025"),
    ("2025-11-14", "day", False, "2025-11-14", "14 November 2025"),
    ("2025-01-05", "day", False, "2025-01-05", "5 January 2025"),
    ("c. 2020", "year", True, "2020", "c. 2020"),
    ("c. 2025-11", "month", True, "2025-11", "c. November 2025"),
    ("c. 2025-11-14", "day", True, "2025-11-14", "c. 14 November 2025"),
    ("unknown", "unknown", False, "", "date not given"),
    ("  2020 ", "year", False, "2020", "2020"),
])
def test_every_precision(text, precision, approximate, iso, human):
    date = parse_date(text)
    assert date.precision == precision
    assert date.approximate is approximate
    assert date.known is (precision != "unknown")
    assert date.iso() == iso
    assert date.human() == human


def test_parsed_fields():
    assert parse_date("2020") == PartialDate(2020, 0, 0, False, "year")
    assert parse_date("2025-11") == PartialDate(2025, 11, 0, False, "month")
    assert parse_date("2025-11-14") == PartialDate(2025, 11, 14, False, "day")
    assert parse_date("c. 2020") == PartialDate(2020, 0, 0, True, "year")
    assert parse_date("unknown") is UNKNOWN


@pytest.mark.parametrize(("text", "message"), [
    ("2026-13-01", "'2026-13-01' has month 13; months run from 01 to 12"),
    ("2025-00", "'2025-00' has month 00; months run from 01 to 12"),
    ("2025-02-30", "'2025-02-30' is not a calendar date: February 2025 has 28 days"),
    ("2025-04-31", "'2025-04-31' is not a calendar date: April 2025 has 30 days"),
    ("2025-11-00", "'2025-11-00' is not a calendar date: November 2025 has 30 days"),
    ("2100-02-29", "'2100-02-29' is not a calendar date: February 2100 has 28 days"),
    ("0000", "'0000' has year 0000: dates run from 1000 to 2100"),
    ("0001-01-01", "'0001-01-01' has year 0001: dates run from 1000 to 2100"),
    ("0999-12", "'0999-12' has year 0999: dates run from 1000 to 2100"),
    ("2206-01-15", "'2206-01-15' has year 2206: dates run from 1000 to 2100"),
    ("c. 2101", "'c. 2101' has year 2101: dates run from 1000 to 2100"),
    ("14/11/2025", "'14/11/2025' is not a date"),
    ("2025-1-5", "'2025-1-5' is not a date"),
    ("Nov 2025", "'Nov 2025' is not a date"),
    ("c.2020", "'c.2020' is not a date"),
    ("circa 2020", "'circa 2020' is not a date"),
    ("2025-11-14T10:00", "'2025-11-14T10:00' is not a date"),
    ("20255", "'20255' is not a date"),
    ("", "'' is not a date"),
    ("Unknown", "'Unknown' is not a date"),
])
def test_rejected(text, message):
    with pytest.raises(DateError) as info:
        parse_date(text)
    assert str(info.value) == message


@pytest.mark.parametrize("text", ["2024-02-29", "2000-02-29", "2025-12-31", "1000-01-01", "2100-12-31"])
def test_calendar_edges_accepted(text):
    assert parse_date(text).iso() == text


@pytest.mark.parametrize(("text", "earliest", "latest"), [
    ("2020", (2020, 1, 1), dt.date(2020, 12, 31)),
    ("2024-02", (2024, 2, 1), dt.date(2024, 2, 29)),
    ("2025-11-14", (2025, 11, 14), dt.date(2025, 11, 14)),
    ("c. 2020", (2020, 1, 1), dt.date(2020, 12, 31)),
    ("unknown", (0, 0, 0), None),
])
def test_sort_key_and_latest_day(text, earliest, latest):
    date = parse_date(text)
    assert date.sort_key() == earliest
    assert date.latest_day() == latest


@pytest.mark.parametrize(("first", "second", "before"), [
    ("2025-11-13", "2025-11-14", True),
    ("2025-11-14", "2025-11-14", False),
    ("2025-10", "2025-11-14", True),
    ("2025-11", "2025-11-14", False),    # the month may mean the 20th
    ("2025-11-14", "2025-11", False),
    ("2024", "2025-01-01", True),
    ("2025-03", "2025", False),
    ("unknown", "2025", False),
    ("2025", "unknown", False),
])
def test_surely_before(first, second, before):
    assert parse_date(first).surely_before(parse_date(second)) is before
