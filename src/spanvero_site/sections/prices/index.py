"""The price index: changes derived from the dated price histories, grouped by ISO week.

A change is never typed by hand: it is the difference between two consecutive observations of
one price, with the newer observation's date and source. Weeks are ISO weeks (Monday first).
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from spanvero_site.data.records import Observation, Prices

FIELDS = {
    "usd_per_hour": "per GPU-hour",
    "usd_per_mtok_input": "input, per 1M tokens",
    "usd_per_mtok_output": "output, per 1M tokens",
    "usd_per_mtok_cached_input": "cached input, per 1M tokens",
}


@dataclass(frozen=True)
class PriceChange:
    """One price moving from one observation to the next."""

    kind: str  # "rental" or "api"
    subject: str  # a GPU id or a model id
    label: str
    field: str
    old: float
    new: float
    date: dt.date
    source: str

    @property
    def percent(self) -> float:
        return (self.new - self.old) / self.old * 100

    @property
    def week(self) -> str:
        """The ISO week slug, e.g. '2026-w45'."""
        year, week, _ = self.date.isocalendar()
        return f"{year}-w{week:02d}"


def week_range(slug: str) -> tuple[dt.date, dt.date]:
    """Monday and Sunday of an ISO week slug."""
    year, week = slug.split("-w")
    monday = dt.date.fromisocalendar(int(year), int(week), 1)
    return monday, monday + dt.timedelta(days=6)


def price_changes(prices: Prices, names: Mapping[str, str]) -> list[PriceChange]:
    """Every change in every price history, newest first (then by label, for a stable order)."""
    found: list[PriceChange] = []
    for rental in prices.rental:
        label = f"{rental.provider_name}: {names.get(rental.gpu, rental.gpu)} ({rental.tier})"
        found += _changes("rental", rental.gpu, label, rental.history)
    for api in prices.api:
        label = f"{api.provider_name}: {names.get(api.model, api.model)}"
        found += _changes("api", api.model, label, api.history)
    return sorted(found, key=lambda c: (-c.date.toordinal(), c.label, c.field))


def _changes(
    kind: str, subject: str, label: str, history: Iterable[Observation]
) -> list[PriceChange]:
    found = []
    for before, after in itertools.pairwise(history):
        for field, new in after.values:
            old = before.value(field)
            if old is not None and old != new:
                found.append(
                    PriceChange(kind, subject, label, field, old, new, after.as_of, after.source)
                )
    return found


def by_week(changes: Iterable[PriceChange]) -> dict[str, list[PriceChange]]:
    """Changes grouped by ISO week, newest week first."""
    weeks: dict[str, list[PriceChange]] = {}
    for change in changes:
        weeks.setdefault(change.week, []).append(change)
    return dict(sorted(weeks.items(), reverse=True))


def week_summary(changes: list[PriceChange]) -> str:
    """One paragraph for a week: how many prices moved, which way, and the largest moves."""
    ups = sum(1 for c in changes if c.new > c.old)
    downs = len(changes) - ups
    largest = sorted(changes, key=lambda c: (-abs(c.percent), c.label, c.field))[:3]
    moves = "; ".join(
        f"{c.label} {FIELDS[c.field]} {_money(c.old)} → {_money(c.new)} ({c.percent:+.0f}%)"
        for c in largest
    )
    counted = f"{len(changes)} price change{'s' if len(changes) != 1 else ''}"
    direction = f"{ups} up, {downs} down"
    return f"{counted} this week ({direction}). The largest: {moves}."


def _money(value: float) -> str:
    return f"${value:,.2f}" if value < 100 else f"${value:,.0f}"


def is_stale(observation: Observation, today: dt.date, max_age_days: int) -> bool:
    """Whether a current price is older than the site's limit (shown on the page, warned)."""
    return (today - observation.as_of).days > max_age_days
