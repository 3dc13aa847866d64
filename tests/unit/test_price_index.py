"""Price changes are derived from the histories, never typed: checked against hand figures."""

from __future__ import annotations

import datetime as dt

from spanvero_site.data.records import ApiPrice, Observation, Prices, RentalPrice
from spanvero_site.sections.prices.index import (
    by_week,
    is_stale,
    price_changes,
    week_range,
    week_summary,
)

D = dt.date


def obs(day: dt.date, **values: float) -> Observation:
    return Observation(day, tuple(values.items()), "https://example.org/prices")


PRICES = Prices(
    None,
    (
        RentalPrice(
            "h100",
            "cloud",
            "Cloud",
            "on-demand",
            (
                obs(D(2026, 9, 1), usd_per_hour=3.29),
                obs(D(2026, 9, 25), usd_per_hour=3.49),
                obs(D(2026, 10, 19), usd_per_hour=3.99),
                obs(D(2026, 11, 9), usd_per_hour=3.99),
            ),
        ),
    ),
    (
        ApiPrice(
            "llama",
            "api",
            "API",
            None,
            (
                obs(D(2026, 10, 1), usd_per_mtok_input=0.88, usd_per_mtok_output=0.88),
                obs(D(2026, 10, 20), usd_per_mtok_input=1.04, usd_per_mtok_output=0.88),
            ),
        ),
    ),
)
NAMES = {"h100": "H100", "llama": "Llama"}


def test_changes_are_consecutive_differences_newest_first() -> None:
    changes = price_changes(PRICES, NAMES)
    assert [(c.label, c.field, c.old, c.new, c.date) for c in changes] == [
        ("API: Llama", "usd_per_mtok_input", 0.88, 1.04, D(2026, 10, 20)),
        ("Cloud: H100 (on-demand)", "usd_per_hour", 3.49, 3.99, D(2026, 10, 19)),
        ("Cloud: H100 (on-demand)", "usd_per_hour", 3.29, 3.49, D(2026, 9, 25)),
    ]
    assert changes[0].percent == (1.04 - 0.88) / 0.88 * 100  # +18.18%
    assert changes[1].percent == (3.99 - 3.49) / 3.49 * 100  # +14.33%
    assert changes[2].percent == (3.49 - 3.29) / 3.29 * 100  # +6.08%


def test_weeks_are_iso_weeks() -> None:
    weeks = by_week(price_changes(PRICES, NAMES))
    assert list(weeks) == ["2026-w43", "2026-w39"]  # 19 and 20 Oct are Monday and Tuesday of w43
    assert len(weeks["2026-w43"]) == 2
    assert week_range("2026-w43") == (D(2026, 10, 19), D(2026, 10, 25))
    assert week_range("2026-w01") == (D(2025, 12, 29), D(2026, 1, 4))


def test_week_summary_counts_and_names_the_largest_moves() -> None:
    week = by_week(price_changes(PRICES, NAMES))["2026-w43"]
    assert week_summary(week) == (
        "2 price changes this week (2 up, 0 down). The largest: API: Llama input, per 1M "
        "tokens $0.88 → $1.04 (+18%); Cloud: H100 (on-demand) per GPU-hour $3.49 → $3.99 (+14%)."
    )


def test_staleness() -> None:
    current = PRICES.rental[0].current
    assert not is_stale(current, D(2026, 11, 28), 30)
    assert is_stale(current, D(2026, 12, 10), 30)
