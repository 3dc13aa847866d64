"""The price index: changes derived from the dated price histories, grouped by ISO week.

A change is never typed by hand: it is the difference between two consecutive observations of
one price, with the newer observation's date and source. Weeks are ISO weeks (Monday first).

A week's page changes whenever the log gains a reading that touches it, and a reading recorded
after its date (`recorded:`, a backfill or a correction) can touch a week long published: its
own, and the week of the next reading, whose change it now starts from. `week_dates` finds
those days by replaying each history as it stood on each such day, from the file alone (no
clock, no previous build), so the feed, the sitemap and the page itself can say so.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass

from spanvero_site.core.formatting import money, signed_percent
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


@dataclass(frozen=True)
class _History:
    """One price's observations, with what its changes are labelled."""

    kind: str
    subject: str
    label: str
    observations: tuple[Observation, ...]

    def changes(self, observations: Sequence[Observation] | None = None) -> list[PriceChange]:
        """Its changes, or those of a part of its observations (the log as it once stood)."""
        chosen = self.observations if observations is None else observations
        return _changes(self.kind, self.subject, self.label, chosen)


def _histories(prices: Prices, names: Mapping[str, str]) -> Iterator[_History]:
    """Every price's history, those of offers that ended included: their moves stay in the log."""
    for rental in (*prices.rental, *prices.ended_rental):
        label = rental.label(names.get(rental.gpu, rental.gpu))
        yield _History("rental", rental.gpu, label, rental.history)
    for api in (*prices.api, *prices.ended_api):
        label = api.label(names.get(api.model, api.model))
        yield _History("api", api.model, label, api.history)


def price_changes(prices: Prices, names: Mapping[str, str]) -> list[PriceChange]:
    """Every change in every price history, newest first (then by label, for a stable order)."""
    found = [change for history in _histories(prices, names) for change in history.changes()]
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


@dataclass(frozen=True)
class WeekDates:
    """When a week's page last changed, and whether after it was out.

    `updated` dates its feed entry and sitemap entry: its newest change, or a later day on
    which a reading recorded late changed what it shows. `corrected` is the last day such a
    reading changed or took away a change the week showed; `added` the last day after the
    week ended (and after `corrected`) on which such readings added changes to it. Both are
    None for a week no late reading touched since it ended.
    """

    updated: dt.date
    corrected: dt.date | None = None
    added: dt.date | None = None


def week_dates(
    prices: Prices,
    names: Mapping[str, str],
    weeks: Mapping[str, list[PriceChange]],
    kind: str | None = None,
) -> dict[str, WeekDates]:
    """The dates of each week in `weeks` (from `by_week`), by replaying every history that has
    a reading recorded after its date, as the log stood on each day such a reading was added.
    With a `kind` ("rental" or "api"), only that kind's histories count: `weeks` holds only
    its changes, and a log of that kind does not speak of the other's corrections."""
    touched: dict[str, list[tuple[dt.date, bool]]] = {}
    for history in _histories(prices, names):
        if kind is not None and history.kind != kind:
            continue
        for slug, day, removed in _revisions(history):
            touched.setdefault(slug, []).append((day, removed))
    dates = {}
    for slug, changes in weeks.items():
        revisions = touched.get(slug, [])
        sunday = week_range(slug)[1]
        corrected = max((day for day, removed in revisions if removed), default=None)
        added = max((day for day, removed in revisions if day > sunday), default=None)
        dates[slug] = WeekDates(
            max([c.date for c in changes] + [day for day, _ in revisions]),
            corrected,
            added if added and (corrected is None or added > corrected) else None,
        )
    return dates


def _revisions(history: _History) -> Iterator[tuple[str, dt.date, bool]]:
    """(week, day, whether a change the week showed was changed or taken away) for each day a
    reading recorded late changed what a week shows of this history."""
    late_days = sorted({o.known_from for o in history.observations if o.known_from > o.as_of})
    for day in late_days:
        after = [o for o in history.observations if o.known_from <= day]
        before = [o for o in after if o.known_from < day or o.as_of == day]
        was, now = _by_week(history.changes(before)), _by_week(history.changes(after))
        for slug in sorted(was.keys() | now.keys()):
            if was[slug] != now[slug]:
                yield slug, day, bool(was[slug] - now[slug])


def _by_week(changes: Iterable[PriceChange]) -> defaultdict[str, Counter[PriceChange]]:
    weeks: defaultdict[str, Counter[PriceChange]] = defaultdict(Counter)
    for change in changes:
        weeks[change.week][change] += 1
    return weeks


def week_summary(changes: Sequence[PriceChange]) -> str:
    """One paragraph for a week: how many prices moved, which way, and the largest moves."""
    ups = sum(1 for c in changes if c.new > c.old)
    downs = len(changes) - ups
    largest = sorted(changes, key=lambda c: (-abs(c.percent), c.label, c.field))[:3]
    moves = "; ".join(
        f"{c.label} {FIELDS[c.field]} {money(c.old)} → {money(c.new)} "
        f"({signed_percent(c.percent, 0)})"
        for c in largest
    )
    counted = f"{len(changes)} price change{'s' if len(changes) != 1 else ''}"
    direction = f"{ups} up, {downs} down"
    return f"{counted} this week ({direction}). The largest: {moves}."
