"""Read and validate content/data/prices.yaml: rental and API price histories, electricity.

Each price keeps every dated observation, oldest first; the newest is the current price. The
checks are DOMAIN.md's: every observation sourced and dated, prices above zero, dates in order
and not in the future (nor a `recorded` day before its observation's date), references
resolving to a known GPU or model, spot not above on-demand, and a warning when the newest
observation is older than checks.max_price_age_days, unless it says the offer `ended` (there is
no newer price to look up). Ended offers are set apart in `Prices.ended_rental`/`ended_api`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from pathlib import Path
from typing import Any

from spanvero_site.core import dates
from spanvero_site.core.diagnostics import Diagnostics
from spanvero_site.core.guard import processes
from spanvero_site.core.refs import Known, known
from spanvero_site.core.schema import Field, check
from spanvero_site.core.sources import DataFile, read_data_file
from spanvero_site.data.records import ApiPrice, Electricity, Observation, Prices, RentalPrice

PRICES_PATH = "content/data/prices.yaml"
TIERS = ("on-demand", "spot", "reserved")

_ELECTRICITY = {
    "usd_per_kwh": Field("non_negative", required=True, example="0.17"),
    "source": Field("url", required=True, example="https://www.eia.gov/..."),
    "as_of": Field("date", required=True, example="2026-11-01"),
}
_OBSERVATION = {
    "as_of": Field("date", required=True, example="2026-11-01"),
    "source": Field("url", required=True, example="https://..."),
    "note": Field("str"),
    "available": Field("bool", example="false"),
    "checked_move": Field("bool", example="true"),
    # The day the observation was written into the log, when later than as_of: a backfill or
    # a correction made after the week's page was out. The schema checks it is a real day and
    # not in the future (E206, E709); `_Checker.history` that it is not before as_of (E719).
    "recorded": Field("date", example="2026-11-28"),
    # The day the offer was withdrawn for good (an API model retired): with `available: false`
    # (E722), not after as_of nor before an observation that found it on sale (E723), and, a
    # date field, a real day not in the future (E206, E709).
    "ended": Field("date", example="2026-07-31"),
}
# A price that moves by more than this factor from one observation to the next is more often a
# slip (a misplaced decimal point, a node's price read as one GPU's) than news: W717 asks for a
# second look, and `checked_move: true` on the observation records that it was taken.
PRICE_MOVE = 4.0
_RENTAL_VALUES = {"usd_per_hour": Field("non_negative", required=True, example="2.69")}
_API_VALUES = {
    "usd_per_mtok_input": Field("non_negative", required=True, example="0.18"),
    "usd_per_mtok_output": Field("non_negative", required=True, example="0.18"),
    "usd_per_mtok_cached_input": Field("non_negative", example="0.05"),
}
_RENTAL = {
    "gpu": Field("str", required=True, example="h100-sxm"),
    "provider": Field("slug", required=True, example="runpod"),
    "provider_name": Field("str", required=True, example="RunPod"),
    "tier": Field("str", required=True, choices=TIERS, example="on-demand"),
    "gpus": Field("int", example="8"),
    "instance": Field("str", example="8x H100 SXM"),
    "history": Field(
        "list", required=True, example="[{as_of: ..., usd_per_hour: ..., source: ...}]"
    ),
}
_API = {
    "model": Field("str", required=True, example="llama-3-1-8b"),
    "provider": Field("slug", required=True, example="together"),
    "provider_name": Field("str", required=True, example="Together AI"),
    "serving": Field("str", example="fp8"),
    "history": Field("list", required=True, example="[{as_of: ..., usd_per_mtok_input: ...}]"),
}
_TOP = {
    "electricity": Field("mapping", schema=_ELECTRICITY),
    "rental": Field("list", example="[...]"),
    "api": Field("list", example="[...]"),
}


@processes(PRICES_PATH)
def load_prices(
    root: Path,
    diags: Diagnostics,
    gpu_ids: Collection[str],
    model_ids: Collection[str],
    today: dt.date,
    max_age_days: int,
) -> Prices:
    """Load prices.yaml (empty Prices when the file is absent) and report every problem."""
    if not (root / PRICES_PATH).exists():
        return Prices(None, (), ())
    file = read_data_file(root, PRICES_PATH, diags, today=today)
    if file is None:
        return Prices(None, (), ())
    return parse_prices(file, diags, gpu_ids, model_ids, today, max_age_days)


def parse_prices(
    file: DataFile,
    diags: Diagnostics,
    gpu_ids: Collection[str],
    model_ids: Collection[str],
    today: dt.date,
    max_age_days: int,
) -> Prices:
    """Validate a parsed prices.yaml (the build's file, or `prices add`'s planned one)."""
    if not isinstance(file.data, dict):
        diags.error(
            "E203",
            "prices.yaml must be a mapping of keys to values",
            file.path,
            1,
            1,
            "start it with the keys 'electricity:', 'rental:' and 'api:', each on its own line",
        )
        return Prices(None, (), ())
    checker = _Checker(file, diags, today, max_age_days)
    gpus, models = known(gpu_ids), known(model_ids)
    top = check(file.data, _TOP, file.source, diags)
    electricity = None
    if "electricity" in top and len(top["electricity"]) == len(_ELECTRICITY):
        e = top["electricity"]
        checker.positive(e["usd_per_kwh"], ("electricity", "usd_per_kwh"))
        checker.dated(e["as_of"], ("electricity", "as_of"), "electricity price")
        electricity = Electricity(float(e["usd_per_kwh"]), e["source"], e["as_of"])
    rental: list[tuple[int, RentalPrice]] = []
    for index, entry in enumerate(top.get("rental", [])):
        at = ("rental", index)
        v = checker.entry(entry, _RENTAL, at)
        if v is None:
            continue
        if not checker.reference(v["gpu"], gpus, (*at, "gpu"), "GPU", "gpus.yaml"):
            continue
        if not checker.whole_gpus(v.get("gpus", 1), (*at, "gpus")):
            continue
        label = f"{v['provider']} {v['gpu']} ({v['tier']})"
        history = checker.history(v["history"], _RENTAL_VALUES, at, label)
        if history:
            price = RentalPrice(
                v["gpu"],
                v["provider"],
                v["provider_name"],
                v["tier"],
                history,
                gpus=v.get("gpus", 1),
                instance=v.get("instance"),
                stale=checker.stale(history, at, f"price of {label}"),
            )
            rental.append((index, price))
    api: list[tuple[int, ApiPrice]] = []
    for index, entry in enumerate(top.get("api", [])):
        at = ("api", index)
        v = checker.entry(entry, _API, at)
        if v is None:
            continue
        if not checker.reference(v["model"], models, (*at, "model"), "model", "content/models/"):
            continue
        label = f"{v['provider']} {v['model']}"
        history = checker.history(v["history"], _API_VALUES, at, label)
        if history:
            api_price = ApiPrice(
                v["model"],
                v["provider"],
                v["provider_name"],
                v.get("serving"),
                history,
                stale=checker.stale(history, at, f"price of {label}"),
            )
            api.append((index, api_price))
    checker.unique("rental", [(i, (p.gpu, p.provider, p.tier, *_unit(p))) for i, p in rental])
    checker.unique("api", [(i, (p.model, p.provider)) for i, p in api])
    checker.spot_not_above_on_demand(rental)
    checker.one_name_per_provider(
        [("rental", i, p.provider, p.provider_name) for i, p in rental]
        + [("api", i, p.provider, p.provider_name) for i, p in api]
    )
    return Prices(
        electricity,
        tuple(p for _, p in rental if not p.ended),
        tuple(p for _, p in api if not p.ended),
        ended_rental=tuple(p for _, p in rental if p.ended),
        ended_api=tuple(p for _, p in api if p.ended),
    )


def _unit(price: RentalPrice) -> tuple[str, ...]:
    """What tells two offers of one GPU apart at one provider: a 1-GPU and an 8-GPU instance."""
    return (f"x{price.gpus}",) if price.gpus > 1 else ()


class _Checker:
    """The checks on one prices.yaml, each reporting at the offending line."""

    def __init__(self, file: DataFile, diags: Diagnostics, today: dt.date, max_age: int) -> None:
        self.file, self.diags, self.today, self.max_age = file, diags, today, max_age

    def _error(self, code: str, message: str, at: tuple[str | int, ...], hint: str) -> None:
        self.file.error(self.diags, code, message, at, hint)

    def entry(
        self, entry: Any, schema: dict[str, Field], at: tuple[str | int, ...]
    ) -> dict[str, Any] | None:
        if not isinstance(entry, dict):
            self._error("E203", f"'{at[0]}[{at[1]}]' must be a mapping", at, "")
            return None
        before = self.diags.error_count
        values = check(entry, schema, self.file.source, self.diags, at)
        if self.diags.error_count > before:
            return None
        return values

    def reference(
        self, ref: str, ids: Known, at: tuple[str | int, ...], kind: str, home: str
    ) -> bool:
        """Whether `ref` names a loaded GPU or model; reported unless its source failed."""
        if ref in ids:
            return True
        missing = ids.missing(
            ref, f"unknown {kind} id '{ref}'", f"use the exact id of a {kind} in {home}"
        )
        if missing is not None:
            self.file.report(self.diags, "E302", missing, at)
        return False

    def positive(self, value: float, at: tuple[str | int, ...]) -> bool:
        if value > 0:
            return True
        self._error(
            "E708",
            f"price must be above zero, not {value}",
            at,
            "enter the price in US dollars; a free offer does not belong in this file",
        )
        return False

    def whole_gpus(self, gpus: int, at: tuple[str | int, ...]) -> bool:
        if gpus >= 1:
            return True
        self._error(
            "E714",
            f"gpus must be at least 1, not {gpus}",
            at,
            "the number of GPUs in the smallest unit the provider rents out, e.g. 8 for an "
            "8-GPU instance that is only rented whole",
        )
        return False

    def stale(
        self, history: tuple[Observation, ...], at: tuple[str | int, ...], label: str
    ) -> bool:
        """Whether an offer's newest price is too old to be chosen, warned (W707) at its date:
        decided here once, so the calculator, the advisor and the price log read the answer
        the warning gave. An ended offer has no newer price to look up."""
        newest = history[-1]
        if newest.ended is not None:
            return False
        return self.dated(newest.as_of, (*at, "history", len(history) - 1, "as_of"), label)

    def dated(self, as_of: dt.date, at: tuple[str | int, ...], what: str) -> bool:
        """W707 when the newest observation is old (one in the future is E709, the schema's);
        whether it was."""
        old = dates.too_old(as_of, self.today, self.max_age)
        if old:
            age = dates.age_days(as_of, self.today)
            self.file.warning(
                self.diags,
                "W707",
                f"{what} was last observed {age} days ago "
                f"(checks.max_price_age_days is {self.max_age})",
                at,
                "look the price up again and add a new observation with its date and source",
            )
        return old

    def history(
        self,
        raw: list[Any],
        values_schema: dict[str, Field],
        at: tuple[str | int, ...],
        label: str,
    ) -> tuple[Observation, ...]:
        observations: list[Observation] = []
        places: list[tuple[int, bool]] = []  # each observation's index in `raw`, checked_move
        ok = True
        for index, item in enumerate(raw):
            obs_at = (*at, "history", index)
            v = self.entry(item, {**_OBSERVATION, **values_schema}, obs_at)
            if v is None:
                ok = False
                continue
            for key in values_schema:
                if key in v and not self.positive(v[key], (*obs_at, key)):
                    ok = False
            if observations and v["as_of"] <= observations[-1].as_of:
                same = v["as_of"] == observations[-1].as_of
                self._error(
                    "E710",
                    f"two observations of {label} on {v['as_of']}"
                    if same
                    else f"observation of {label} dated {v['as_of']} comes after a later one",
                    (*obs_at, "as_of"),
                    "keep one observation per date, oldest first",
                )
                ok = False
                continue
            if "recorded" in v and v["recorded"] < v["as_of"]:
                self._error(
                    "E719",
                    f"observation of {label} is recorded on {v['recorded']}, before the day it "
                    f"holds for ({v['as_of']})",
                    (*obs_at, "recorded"),
                    "'recorded' is the day the observation was written into this file, on or "
                    "after its as_of: fix the one that is wrong",
                )
                ok = False
                continue
            if "ended" in v and not self.ending(v, observations, label, obs_at):
                ok = False
                continue
            values = tuple((key, float(v[key])) for key in values_schema if key in v)
            observations.append(
                Observation(
                    v["as_of"],
                    values,
                    v["source"],
                    v.get("note", ""),
                    available=v.get("available", True),
                    recorded=v.get("recorded"),
                    ended=v.get("ended"),
                )
            )
            places.append((index, v.get("checked_move", False)))
        if not raw:
            self._error(
                "E204",
                f"price of {label} has no observations",
                (*at, "history"),
                "add at least one {as_of, price, source} entry",
            )
            return ()
        if not ok:
            return ()
        self.moves(observations, places, at, label)
        return tuple(observations)

    def ending(
        self,
        v: dict[str, Any],
        before: list[Observation],
        label: str,
        at: tuple[str | int, ...],
    ) -> bool:
        """Whether an observation's `ended` day agrees with the rest of what it and the history
        say: the offer is not available (E722), it ended on or before the observation's day
        and after the last observation that found it on sale (E723)."""
        ended: dt.date = v["ended"]
        if v.get("available", True):
            self._error(
                "E722",
                f"observation of {label} says the offer ended on {ended} but not that it is "
                "unavailable",
                (*at, "ended"),
                "add 'available: false' to the observation: an offer that ended cannot be had",
            )
            return False
        if ended > v["as_of"]:
            self._error(
                "E723",
                f"observation of {label} on {v['as_of']} says the offer ended on {ended}, "
                "after that day",
                (*at, "ended"),
                "an observation records what its source said on its as_of: leave 'ended' out "
                "of an announced withdrawal until the day has passed, then add an observation "
                "dated on or after it",
            )
            return False
        on_sale = [o.as_of for o in before if o.available]
        if on_sale and ended <= on_sale[-1]:
            self._error(
                "E723",
                f"observation of {label} says the offer ended on {ended}, but the observation "
                f"of {on_sale[-1]} found it on sale",
                (*at, "ended"),
                "check the day against the source: an offer ends after the last day it was "
                "seen on sale",
            )
            return False
        return True

    def moves(
        self,
        observations: list[Observation],
        places: list[tuple[int, bool]],
        at: tuple[str | int, ...],
        label: str,
    ) -> None:
        """W717 for each value that moves by more than `PRICE_MOVE` times from one observation
        to the next, at the later one, unless it says `checked_move: true`."""
        for before, after, (index, checked) in zip(
            observations, observations[1:], places[1:], strict=False
        ):
            if checked:
                continue
            for key, new in after.values:
                old = before.value(key)
                if not old or not new or max(new / old, old / new) <= PRICE_MOVE:
                    continue
                way = f"{new / old:.1f} times" if new > old else f"to 1/{old / new:.1f}"
                self.file.warning(
                    self.diags,
                    "W717",
                    f"{key} of {label} moves {way} from {old:g} to {new:g} between "
                    f"{before.as_of} and {after.as_of}",
                    (*at, "history", index, key),
                    "check it against its source: a misplaced decimal point, or a price for "
                    "several GPUs or another unit? If it is right, add 'checked_move: true' to "
                    "this observation",
                )

    def unique(self, section: str, keys: list[tuple[int, tuple[str, ...]]]) -> None:
        seen: set[tuple[str, ...]] = set()
        for index, key in keys:
            if key in seen:
                self._error(
                    "E303",
                    f"duplicate {section} price for {' '.join(key)}",
                    (section, index),
                    "add an observation to the existing entry's history instead",
                )
            seen.add(key)

    def one_name_per_provider(self, offers: list[tuple[str, int, str, str]]) -> None:
        """A provider id and its name go one to one: pages look names up by id, and readers
        tell offers apart by name, so two ids under one name would list two providers' prices
        as one provider's (two rows a reader cannot tell apart)."""
        named: dict[str, str] = {}
        owner: dict[str, str] = {}
        for section, index, provider, name in offers:
            first = named.setdefault(provider, name)
            if name != first:
                self._error(
                    "E716",
                    f"provider '{provider}' is named '{name}' here but '{first}' elsewhere in "
                    "prices.yaml",
                    (section, index, "provider_name"),
                    "use one provider_name for an id everywhere, or give a different product "
                    "of the same company its own id (e.g. digitalocean-gradient)",
                )
                continue
            other = owner.setdefault(name, provider)
            if other != provider:
                self._error(
                    "E716",
                    f"provider name '{name}' is used by '{provider}' here but by '{other}' "
                    "elsewhere in prices.yaml, so readers could not tell their offers apart",
                    (section, index, "provider_name"),
                    f"give '{provider}' a provider_name of its own, or use the id '{other}' if "
                    "it is the same provider",
                )

    def spot_not_above_on_demand(self, rental: list[tuple[int, RentalPrice]]) -> None:
        on_demand = {(p.gpu, p.provider, p.gpus): p for _, p in rental if p.tier == "on-demand"}
        for index, price in rental:
            base = on_demand.get((price.gpu, price.provider, price.gpus))
            if price.tier == "spot" and base and price.usd_per_hour > base.usd_per_hour:
                self._error(
                    "E711",
                    f"spot price ${price.usd_per_hour}/h of {price.provider} {price.gpu} is above "
                    f"its on-demand price ${base.usd_per_hour}/h",
                    ("rental", index, "tier"),
                    "check both prices and their dates against the provider's page",
                )
