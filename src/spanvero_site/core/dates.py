"""Calendar days: the build's today, what counts as the future, and how a day is written.

One rule for each, so that every check agrees: an explainer's future date (W213), any day in a
data file in the future (E709), stale prices (W707, `too_old`) and `spanvero prices add` all
count days the same way, whatever zone the machine is set to. The one day written for an editor,
`spanvero new`'s, is the editor's own (`editor_day`), which that rule always accepts.
"""

from __future__ import annotations

import calendar
import datetime as dt
import os
import re

from spanvero_site.stopped import UsageError

# Editors write the day it is where they are. The build's day is the day in UTC, and the
# zones east of it (up to UTC+14) are at most one day ahead, so one day later is still today
# somewhere; anything after that is a typo.
SLACK = dt.timedelta(days=1)

# The months as the site writes them. Not `calendar.month_name` or strftime's %B, which follow
# the C library's LC_TIME (French month names in a process that called setlocale), nor %-d,
# which only glibc knows: a page must read the same whichever machine built it.
MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)

_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")  # ASCII digits only: \d takes any script's
_UNPADDED = re.compile(r"([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})")
_WITH_TIME = re.compile(r"([0-9]{4}-[0-9]{2}-[0-9]{2})[T ][0-9]{1,2}:[0-9]{2}.*")
_SLASHED = re.compile(r"([0-9]{1,2})[/.]([0-9]{1,2})[/.]([0-9]{4})")


def build_date() -> dt.date:
    """The day data ages are measured against: SOURCE_DATE_EPOCH's day when it is set (so two
    builds of the same input are byte-identical, as reproducible-builds tooling expects), else
    today. Both are the day in UTC, not in the machine's zone: a build on a laptop in Auckland
    and one on a CI runner in Oregon at the same moment must report the same diagnostics."""
    return _now().date()


def editor_day() -> dt.date:
    """The day it is where the editor is, in the machine's zone: the date `spanvero new`
    writes, because it is the date the editor would write by hand. At SOURCE_DATE_EPOCH's
    moment when it is set (so tests and reproducible runs agree), else now. East of UTC it can
    be the build's day plus one, which `is_future` allows (SLACK); never more."""
    return _now().astimezone().date()


def _now() -> dt.datetime:
    """This moment in UTC, or SOURCE_DATE_EPOCH's when it is set."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if not epoch:  # unset, or set empty as shells and CI templates often leave it
        return dt.datetime.now(dt.UTC)
    # A malformed value stops the run (the reproducible-builds specification asks for a
    # non-zero exit) rather than dating the build today, which would hide the mistake.
    problem = (
        f"SOURCE_DATE_EPOCH must be a whole number of seconds since 1970-01-01 UTC, not {epoch!r}"
    )
    if not (epoch.isascii() and epoch.isdigit()):
        raise UsageError(problem)
    try:
        return dt.datetime.fromtimestamp(int(epoch), tz=dt.UTC)
    except (OverflowError, OSError, ValueError):
        raise UsageError(
            f"SOURCE_DATE_EPOCH {epoch} is past the last day a date can hold"
        ) from None


def is_future(day: dt.date, today: dt.date) -> bool:
    """Whether no place on Earth has reached `day` yet on the build's day `today` (UTC)."""
    return day > today + SLACK


def age_days(day: dt.date, today: dt.date) -> int:
    """How many days before the build's day `today` a price was observed."""
    return (today - day).days


def too_old(day: dt.date, today: dt.date, max_age_days: int) -> bool:
    """Whether a price observed on `day` is past the site's limit (checks.max_price_age_days):
    the one rule behind W707, `prices stale`, the price log's marks and the offers the
    calculator and the advisor will not choose, so no two of them can disagree about a price."""
    return age_days(day, today) > max_age_days


def in_the_future(name: str, day: dt.date, today: dt.date) -> str:
    """The one wording for a day past `is_future`, whichever file and field it is in (W213,
    E709), so an editor reads the same sentence and sees the build's day it was measured by."""
    return f"'{name}' ({day}) is in the future (the build's date is {today})"


def is_day(text: str) -> bool:
    """Whether `text` has the one form a date is written in: YYYY-MM-DD (it may still not be a
    real day, e.g. 2027-02-29). Python's `date.fromisoformat` also takes 20261105 and week
    dates like 2026-W45-1; a file should not mean a day in a way no one reading it expects."""
    return bool(_DAY.fullmatch(text))


def parse_day(text: str) -> dt.date:
    """A YYYY-MM-DD text as a date; ValueError, with `hint(text)` as its message, otherwise."""
    if is_day(text):
        try:
            return dt.date.fromisoformat(text)
        except ValueError:
            pass
    raise ValueError(hint(text))


def hint(text: str) -> str:
    """How to write `text` as a real YYYY-MM-DD day, naming what is wrong with it."""
    if unpadded := _UNPADDED.fullmatch(text):
        year, month, day = (int(part) for part in unpadded.groups())
        if is_day(text):
            return _not_a_day(year, month, day)
        return f"write the month and the day with two digits each: {year:04d}-{month:02d}-{day:02d}"
    if with_time := _WITH_TIME.fullmatch(text):
        return f"write the day alone, without a time or zone: {with_time.group(1)}"
    if slashed := _SLASHED.fullmatch(text):
        first, second, year = (int(part) for part in slashed.groups())
        return (
            f"write the year first, then the month, then the day: {text} could be "
            f"{year:04d}-{second:02d}-{first:02d} or {year:04d}-{first:02d}-{second:02d}"
        )
    return "write the day as YYYY-MM-DD, e.g. 2026-11-28"


def _not_a_day(year: int, month: int, day: int) -> str:
    if not 1 <= month <= 12:
        swapped = f"; if the day came first, write {year:04d}-{day:02d}-{month:02d}"
        return f"there is no month {month}, write YYYY-MM-DD" + (swapped if 1 <= day <= 12 else "")
    last = calendar.monthrange(year, month)[1]
    leap = f" ({year} is not a leap year)" if month == 2 and last == 28 else ""
    return f"{MONTHS[month - 1]} {year} has {last} days{leap}: write a day from 01 to {last}"


def day_range(first: dt.date, last: dt.date) -> str:
    """Two days as a span a reader cannot misplace: '28 Dec 2026 – 3 Jan 2027' across a new
    year (an ISO week can start in one year and end in the next), '2 Nov – 8 Nov' within one."""
    if first.year != last.year:
        return f"{_short(first)} {first.year} – {_short(last)} {last.year}"
    return f"{_short(first)} – {_short(last)}"


def long_day(day: dt.date) -> str:
    """A day as a page shows it in words, '5 November 2026': the `day` filter of every
    template, the same bytes under any locale and C library."""
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def _short(day: dt.date) -> str:
    return f"{day.day} {MONTHS[day.month - 1][:3]}"
