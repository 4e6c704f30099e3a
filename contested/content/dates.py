"""Dates at the precision a source gives them: a year, a month or a day, maybe approximate."""

from __future__ import annotations

import calendar
import datetime as dt
import functools
import re
from dataclasses import dataclass
from typing import Literal

Precision = Literal["year", "month", "day", "unknown"]

_FORM = re.compile(r"^(?P<approx>c\. )?(?P<year>\d{4})(?:-(?P<month>\d{2})(?:-(?P<day>\d{2}))?)?$")
FORMS_HINT = 'write "2020", "2025-11" or "2025-11-14", with "c. " before it if approximate, or "unknown"'
# For a date in words ("Tuesday", "last week") where the story can keep the source's own wording.
WORDS_HINT = ("write the words the source used in `date_as_given`, and the date as YYYY, YYYY-MM, "
              "YYYY-MM-DD or unknown")
_WORDS = re.compile(r"[^\W\d_]+(?:[\s,.'-]+[^\W\d_]+)*")  # words only ("Nov 2025" is a date misspelt)
JSON_SCHEMA_PATTERN = r"^(unknown|(c\. )?\d{4}(-\d{2}(-\d{2})?)?)$"
# Outside these years a date is a typo ("2206" for "2026"), and the engine's timestamps (gzip,
# sitemap: 32-bit seconds from 1970) cannot hold a story's date: history back to 1000 is allowed.
MIN_YEAR, MAX_YEAR = 1000, 2100
# Read once: `calendar.month_name[m]` calls strftime on every lookup, and a build looks up tens of
# thousands of dates.
_MONTH_NAMES = tuple(calendar.month_name)


class DateError(ValueError):
    """The text is not a date in one of the accepted forms; `hint` says what to write; `words`:
    the text is a date in words, which belongs in `date_as_given` where the object has one."""

    def __init__(self, message: str, hint: str = FORMS_HINT, words: bool = False) -> None:
        super().__init__(message)
        self.hint = hint
        self.words = words


@dataclass(frozen=True, order=True)
class PartialDate:
    year: int = 0
    month: int = 0
    day: int = 0
    approximate: bool = False
    precision: Precision = "unknown"

    @property
    def known(self) -> bool:
        return self.precision != "unknown"

    def iso(self) -> str:
        """ISO 8601 at the date's own precision ('2020', '2025-11', '2025-11-14'); '' if unknown."""
        if self.precision == "year":
            return f"{self.year:04d}"
        if self.precision == "month":
            return f"{self.year:04d}-{self.month:02d}"
        if self.precision == "day":
            return f"{self.year:04d}-{self.month:02d}-{self.day:02d}"
        return ""

    def human(self) -> str:
        """'2020', 'November 2025', '14 November 2025', 'c. 2020' or 'date not given'."""
        if not self.known:
            return "date not given"
        text = str(self.year)
        if self.precision in ("month", "day"):
            text = f"{_MONTH_NAMES[self.month]} {text}"
        if self.precision == "day":
            text = f"{self.day} {text}"
        return f"c. {text}" if self.approximate else text

    def sort_key(self) -> tuple[int, int, int]:
        """Earliest day the date can mean; unknown dates sort first."""
        return (self.year, self.month or 1, self.day or 1) if self.known else (0, 0, 0)

    def latest_day(self) -> dt.date | None:
        """The last calendar day the date can mean, for comparisons such as 'updated ≥ published'."""
        if not self.known:
            return None
        month = self.month or 12
        day = self.day or calendar.monthrange(self.year, month)[1]
        return dt.date(self.year, month, day)

    def surely_before(self, other: PartialDate) -> bool:
        """True when every day this date can mean is before every day `other` can mean.

        At mixed precision only a sure order counts: '2025-03' is not before '2025', nor
        'November 2025' before '14 November 2025'. Unknown dates are never before anything.
        """
        end = self.latest_day()
        return end is not None and other.known and (end.year, end.month, end.day) < other.sort_key()


UNKNOWN = PartialDate()


@functools.lru_cache(maxsize=16384)
def parse_date(text: str) -> PartialDate:
    """Parse the forms editors write; raise DateError with a reason otherwise.

    Cached: an archive repeats the same dates, and one shared (frozen) object per date lets the
    caches keyed by dates in resolve and exports match by identity instead of field by field."""
    text = text.strip()
    if text == "unknown":
        return UNKNOWN
    match = _FORM.fullmatch(text)
    if not match:
        if _WORDS.fullmatch(text) and text.casefold() != "unknown":
            raise DateError(f"'{text}' is a date in words, not one of the date forms", words=True)
        raise DateError(f"'{text}' is not a date")
    year = int(match["year"])
    month = int(match["month"] or 0)
    day = int(match["day"] or 0)
    approx = bool(match["approx"])
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise DateError(f"'{text}' has year {year:04d}: dates run from {MIN_YEAR} to {MAX_YEAR}",
                        f"check the year for a typo (e.g. 2206 for 2026); {FORMS_HINT}")
    if match["month"] and not 1 <= month <= 12:
        raise DateError(f"'{text}' has month {month:02d}; months run from 01 to 12")
    if match["day"]:
        last = calendar.monthrange(year, month)[1]
        if not 1 <= day <= last:
            raise DateError(f"'{text}' is not a calendar date: {calendar.month_name[month]} {year} "
                            f"has {last} days")
        return PartialDate(year, month, day, approx, "day")
    return PartialDate(year, month, 0, approx, "month" if month else "year")


def date_text(date: PartialDate, as_given: str | None = None,
              given_in: tuple[str, PartialDate] | None = None) -> str:
    """A date as readers see it, on the pages and in the open data: "14 November 2025", "c. 2020",
    or, for an unknown date, the source's wording when the story gives it, with what the wording is
    relative to (`given_in`: the title and date of the source whose words they are), so "earlier
    this month" is never read against the page's own date."""
    if not date.known and as_given:
        wording = " ".join(as_given.split())  # as markup.one_line
        if given_in is None:
            return f"{wording} (exact date not given)"
        return f"{wording}, as {relative_to(*given_in)}"
    return date.human()


def relative_to(title: str, date: PartialDate) -> str:
    """'“Title” puts it; its date is not given': what a relative wording is relative to."""
    title = " ".join(title.split())
    when = f"it is dated {date.human()}" if date.known else "its date is not given"
    return f"“{title}” puts it; {when}"
