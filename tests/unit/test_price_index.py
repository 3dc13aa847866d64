"""Price changes are derived from the histories, never typed: checked against hand figures."""

from __future__ import annotations

import datetime as dt

from spanvero_site.core.dates import too_old
from spanvero_site.data.records import ApiPrice, Observation, Prices, RentalPrice
from spanvero_site.sections.prices.index import (
    WeekDates,
    by_week,
    price_changes,
    week_dates,
    week_range,
    week_summary,
)

D = dt.date


def obs(day: dt.date, recorded: dt.date | None = None, **values: float) -> Observation:
    return Observation(day, tuple(values.items()), "https://example.org/prices", recorded=recorded)


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
    as_of = PRICES.rental[0].current.as_of
    assert not too_old(as_of, D(2026, 11, 28), 30)
    assert too_old(as_of, D(2026, 12, 10), 30)
    assert not too_old(as_of, as_of + dt.timedelta(days=30), 30)  # the limit's own day is fine


def dates_of(*histories: tuple[Observation, ...]) -> dict[str, WeekDates]:
    prices = Prices(
        None,
        tuple(
            RentalPrice(f"gpu-{i}", "cloud", "Cloud", "on-demand", h)
            for i, h in enumerate(histories)
        ),
        (),
    )
    return week_dates(prices, {}, by_week(price_changes(prices, {})))


# Week 39 of 2026 runs from Monday 21 to Sunday 27 September; week 43 from 19 to 25 October.
H100 = (
    obs(D(2026, 9, 1), usd_per_hour=3.29),
    obs(D(2026, 9, 25), usd_per_hour=3.49),
    obs(D(2026, 10, 19), usd_per_hour=3.99),
)


def test_weeks_no_late_reading_touched_are_dated_by_their_newest_change() -> None:
    assert dates_of(H100) == {
        "2026-w43": WeekDates(D(2026, 10, 19)),
        "2026-w39": WeekDates(D(2026, 9, 25)),
    }


def test_a_late_reading_within_its_week_moves_its_date_and_says_nothing() -> None:
    """Recorded on the Wednesday for the Tuesday: the week is still being written."""
    late = (*H100, obs(D(2026, 10, 20), recorded=D(2026, 10, 21), usd_per_hour=3.79))
    assert dates_of(late)["2026-w43"] == WeekDates(D(2026, 10, 21))
    assert dates_of(late)["2026-w39"] == WeekDates(D(2026, 9, 25))


def test_a_reading_inserted_before_another_corrects_the_week_of_the_next() -> None:
    """3.29 → 3.49 on 25 Sep becomes 3.39 → 3.49 once 10 Sep's 3.39 is recorded on 2 Nov."""
    backfilled = (
        H100[0],
        obs(D(2026, 9, 10), recorded=D(2026, 11, 2), usd_per_hour=3.39),
        *H100[1:],
    )
    dates = dates_of(backfilled)
    assert dates["2026-w39"] == WeekDates(D(2026, 11, 2), corrected=D(2026, 11, 2))
    assert dates["2026-w37"] == WeekDates(D(2026, 11, 2), added=D(2026, 11, 2))
    assert dates["2026-w43"] == WeekDates(D(2026, 10, 19))


def test_a_move_taken_away_from_a_week_that_keeps_others_is_a_correction() -> None:
    """10 Sep's 3.49, recorded on 2 Nov, moves the rise to week 37: week 39 keeps only the
    other offer's move, and is corrected though none of its remaining rows changed."""
    other = (obs(D(2026, 9, 1), usd_per_hour=1.0), obs(D(2026, 9, 24), usd_per_hour=1.1))
    backfilled = (
        H100[0],
        obs(D(2026, 9, 10), recorded=D(2026, 11, 2), usd_per_hour=3.49),
        *H100[1:],
    )
    dates = dates_of(backfilled, other)
    assert dates["2026-w39"] == WeekDates(D(2026, 11, 2), corrected=D(2026, 11, 2))


def test_a_reading_that_moves_nothing_changes_no_date() -> None:
    """10 Sep's 3.29, the price of 1 Sep: every week shows what it showed."""
    backfilled = (
        H100[0],
        obs(D(2026, 9, 10), recorded=D(2026, 11, 2), usd_per_hour=3.29),
        *H100[1:],
    )
    assert dates_of(backfilled) == dates_of(H100)


def test_the_latest_day_is_kept_and_an_addition_older_than_a_correction_is_not_told() -> None:
    corrected_later = (
        H100[0],
        obs(D(2026, 9, 10), recorded=D(2026, 11, 9), usd_per_hour=3.39),
        obs(D(2026, 9, 25), usd_per_hour=3.49),
        obs(D(2026, 9, 26), recorded=D(2026, 11, 2), usd_per_hour=3.59),
    )
    assert dates_of(corrected_later)["2026-w39"] == WeekDates(
        D(2026, 11, 9), corrected=D(2026, 11, 9)
    )


def test_a_log_of_one_kind_is_dated_by_its_own_corrections_only() -> None:
    """Week 39 holds a rental move, corrected on 2 Nov, and an API move: the rental log says
    so, the API log, whose move no late reading touched, does not."""
    rental = (
        H100[0],
        obs(D(2026, 9, 10), recorded=D(2026, 11, 2), usd_per_hour=3.39),
        *H100[1:],
    )
    api = (
        obs(D(2026, 9, 1), usd_per_mtok_output=0.88),
        obs(D(2026, 9, 24), usd_per_mtok_output=0.9),
    )
    prices = Prices(
        None,
        (RentalPrice("h100", "cloud", "Cloud", "on-demand", rental),),
        (ApiPrice("llama", "api", "API", None, api),),
    )
    changes = price_changes(prices, {})

    def dates(kind: str | None) -> WeekDates:
        weeks = by_week(c for c in changes if kind is None or c.kind == kind)
        return week_dates(prices, {}, weeks, kind)["2026-w39"]

    assert dates(None) == dates("rental") == WeekDates(D(2026, 11, 2), corrected=D(2026, 11, 2))
    assert dates("api") == WeekDates(D(2026, 9, 24))
