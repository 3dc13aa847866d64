"""The build's calendar: one today (in UTC), one rule for the future, one way to write a day."""

from __future__ import annotations

import datetime as dt
import re
import time
from collections.abc import Iterator

import pytest

from spanvero_site.core import dates
from spanvero_site.stopped import UsageError

D = dt.date
# The zones furthest from UTC: 14 hours ahead and 12 behind (POSIX names flip the sign). At any
# moment their local days differ from each other, so a build that took the machine's day would
# give two answers.
FAR_EAST, FAR_WEST = "Etc/GMT-14", "Etc/GMT+12"


@pytest.fixture
def machine_zone(monkeypatch: pytest.MonkeyPatch) -> Iterator[pytest.MonkeyPatch]:
    """Lets a test set TZ (and SOURCE_DATE_EPOCH); the process's zone is put back after."""
    yield monkeypatch
    monkeypatch.undo()
    time.tzset()


def _today_in(zone: str, monkeypatch: pytest.MonkeyPatch) -> dt.date:
    monkeypatch.setenv("TZ", zone)
    time.tzset()
    return dates.build_date()


def test_today_is_the_day_in_utc_whatever_zone_the_machine_is_in(
    machine_zone: pytest.MonkeyPatch,
) -> None:
    machine_zone.delenv("SOURCE_DATE_EPOCH")
    for _ in range(3):  # measured again only if UTC's day changed while it was measured
        before = dt.datetime.now(dt.UTC).date()
        east, west = _today_in(FAR_EAST, machine_zone), _today_in(FAR_WEST, machine_zone)
        if dt.datetime.now(dt.UTC).date() == before:
            break
    assert (east, west) == (before, before)


@pytest.mark.parametrize(
    ("moment", "day"),
    [("2026-12-31T23:59:00+00:00", D(2026, 12, 31)), ("2027-01-01T00:01:00+00:00", D(2027, 1, 1))],
)
def test_source_date_epoch_is_read_as_a_day_in_utc(
    moment: str, day: dt.date, machine_zone: pytest.MonkeyPatch
) -> None:
    epoch = int(dt.datetime.fromisoformat(moment).timestamp())
    machine_zone.setenv("SOURCE_DATE_EPOCH", str(epoch))
    assert _today_in(FAR_EAST, machine_zone) == _today_in(FAR_WEST, machine_zone) == day


@pytest.mark.parametrize(
    ("value", "problem"),
    [
        ("abc", "must be a whole number of seconds since 1970-01-01 UTC, not 'abc'"),
        ("-5", "must be a whole number of seconds since 1970-01-01 UTC, not '-5'"),
        ("1.5", "must be a whole number of seconds since 1970-01-01 UTC, not '1.5'"),
        ("\u0661\u0662", "must be a whole number of seconds since 1970-01-01 UTC"),
        ("9" * 20, "is past the last day a date can hold"),
    ],
)
def test_a_malformed_source_date_epoch_stops_the_run(
    value: str, problem: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The reproducible-builds specification asks a tool to fail on a malformed value: dating
    the build today instead would hide the mistake (and make two builds differ)."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", value)
    with pytest.raises(UsageError, match=re.escape(problem)):
        dates.build_date()


def test_an_empty_source_date_epoch_is_unset(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "")
    assert dates.build_date() == dt.datetime.now(dt.UTC).date()


def test_the_future_starts_two_days_after_the_build_day() -> None:
    """An editor at UTC+14 is a day ahead of the build; a day more is a typo."""
    today = D(2026, 12, 31)
    assert not dates.is_future(D(2027, 1, 1), today)
    assert dates.is_future(D(2027, 1, 2), today)


@pytest.mark.parametrize("text", ["2028-02-29", "2026-12-31", "2020-12-31"])
def test_a_real_day(text: str) -> None:
    assert dates.parse_day(text) == dt.date.fromisoformat(text)


@pytest.mark.parametrize(
    ("text", "hint"),
    [
        (
            "2027-02-29",
            "February 2027 has 28 days (2027 is not a leap year): write a day from 01 to 28",
        ),
        ("2026-11-31", "November 2026 has 30 days: write a day from 01 to 30"),
        (
            "2026-28-11",
            "there is no month 28, write YYYY-MM-DD; if the day came first, write 2026-11-28",
        ),
        ("2026-1-5", "write the month and the day with two digits each: 2026-01-05"),
        (
            "05/01/2026",
            "write the year first, then the month, then the day: 05/01/2026 could be 2026-01-05 "
            "or 2026-05-01",
        ),
        ("2026-11-05T10:00:00Z", "write the day alone, without a time or zone: 2026-11-05"),
        ("2026-11-05 10:00:00+02:00", "write the day alone, without a time or zone: 2026-11-05"),
        # Python reads these as days; a reader of the file would not.
        ("2026-W45", "write the day as YYYY-MM-DD, e.g. 2026-11-28"),
        ("2026-W53-4", "write the day as YYYY-MM-DD, e.g. 2026-11-28"),
        ("20261231", "write the day as YYYY-MM-DD, e.g. 2026-11-28"),
        ("٢٠٢٦-١١-٢٨", "write the day as YYYY-MM-DD, e.g. 2026-11-28"),
    ],
)
def test_anything_else_is_refused_with_a_hint_that_names_the_problem(text: str, hint: str) -> None:
    with pytest.raises(ValueError) as refused:
        dates.parse_day(text)
    assert str(refused.value) == hint


def test_a_span_names_both_years_only_across_a_new_year() -> None:
    assert dates.day_range(D(2026, 12, 28), D(2027, 1, 3)) == "28 Dec 2026 – 3 Jan 2027"
    assert dates.day_range(D(2026, 11, 2), D(2026, 11, 8)) == "2 Nov – 8 Nov"


@pytest.mark.parametrize(
    ("day", "shown"),
    [(dt.date(2026, 11, 5), "5 November 2026"), (dt.date(2027, 1, 31), "31 January 2027")],
)
def test_a_day_in_words_has_no_padding_and_an_english_month(day: dt.date, shown: str) -> None:
    assert dates.long_day(day) == shown
