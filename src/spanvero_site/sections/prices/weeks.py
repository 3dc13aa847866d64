"""One week of the price index as every output shows it: its page, feed entry, email and log.

Each of them is made from a `PriceWeek`, never from a slug and its changes alone, so none can
show a week without what its readers must be told: its title, its summary and, when a reading
recorded late changed it after it was out, the notes that say so. The email once was made from
the slug and the changes, and told subscribers nothing of a correction the page and the feed
stated; with one record there is one place the notes come from.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from spanvero_site.core.dates import day_range, long_day
from spanvero_site.data.records import Prices
from spanvero_site.sections.prices.index import (
    PriceChange,
    WeekDates,
    by_week,
    week_dates,
    week_range,
    week_summary,
)


def week_url(slug: str) -> str:
    return f"/prices/{slug}/"


def week_title(slug: str) -> str:
    """'Week 53, 2026 (28 Dec 2026 – 3 Jan 2027)': the ISO year and week, and its seven days."""
    year, week = slug.split("-w")
    return f"Week {int(week)}, {year} ({day_range(*week_range(slug))})"


def revision_notes(dates: WeekDates) -> tuple[str, ...]:
    """In plain words, when a week changed after readers could have seen it, so that whoever
    trusted an earlier figure is told."""
    notes = []
    if dates.corrected:
        notes.append(
            f"Corrected on {long_day(dates.corrected)}: a price recorded late changed a move "
            "this week showed before."
        )
    if dates.added:
        notes.append(
            f"Updated on {long_day(dates.added)}: price moves recorded after the week ended "
            "were added."
        )
    return tuple(notes)


@dataclass(frozen=True)
class PriceWeek:
    """An ISO week with price changes, and the dates `index.week_dates` found for it."""

    slug: str
    changes: tuple[PriceChange, ...]
    dates: WeekDates

    @property
    def url(self) -> str:
        return week_url(self.slug)

    @property
    def title(self) -> str:
        return week_title(self.slug)

    @property
    def summary(self) -> str:
        return week_summary(self.changes)

    @property
    def notes(self) -> tuple[str, ...]:
        return revision_notes(self.dates)


def price_weeks(
    prices: Prices,
    names: Mapping[str, str],
    changes: Sequence[PriceChange],
    kind: str | None = None,
) -> list[PriceWeek]:
    """The weeks of `changes` (from `index.price_changes`), newest first, each with its dates;
    with a `kind`, the weeks as that kind's log shows them: its changes, its corrections."""
    weeks = by_week(c for c in changes if kind is None or c.kind == kind)
    dates = week_dates(prices, names, weeks, kind)
    return [PriceWeek(slug, tuple(week), dates[slug]) for slug, week in weeks.items()]
