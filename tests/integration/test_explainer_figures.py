"""Every cost, speed and memory figure the explainers and model notes quote is recomputed.

tests/data/explainer_figures.yaml lists, per explainer in content/learn/ (`file:`) and per model
whose `notes` in content/models/ quote figures (`model:`), the quoted text, what kind of figure it
is, the scenario the text states (model, GPU, precision, context, prices) and how it is rounded.
Each figure is computed here with costs.py on the shipped catalogue, formatted the way the text
rounds it, and must appear inside the quote; the quote must appear in the text (line breaks read
as spaces). So prose that drifts from the calculator's formulas, or a formula change that makes
it wrong, fails here with the file, the quote and the value. Model notes sit on the same page as
the computed table, so every memory figure in them must be tied (or listed as `untied` with the
reason it cannot be computed): when Q4_K_M moved from 4.84 to 4.89 bits, nine notes kept the old
sizes because nothing compared them.

Prices are never written into a scenario: it names where each comes from in the data (`rental:`
an offer in prices.yaml, `api:` an API offer, `own:` a GPU in gpus.yaml for its price and power
draw; the electricity tariff is always prices.yaml's), and the test reads it through the same
parsers the build uses. A quoted figure is checked against the offer's current observation, or,
when the prose dates it (`as_of:`), against the observation of that day. So when prices.yaml
moves on, every explainer still quoting the old price fails here; and every dollar figure in an
explainer must be one of the figures tied to the quote around it (or `untied`, with a reason).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import pytest
import yaml

from spanvero_site.core.dates import MONTHS
from spanvero_site.core.diagnostics import Diagnostics
from spanvero_site.data import costs
from spanvero_site.data.catalog import load_catalog
from spanvero_site.data.prices import TIERS, load_prices
from spanvero_site.data.records import ApiPrice, Observation, RentalPrice
from tests.conftest import REPO, SHIPPED_DAY

TODAY = SHIPPED_DAY  # the shipped data is measured against its own newest day
FIGURES = REPO / "tests" / "data" / "explainer_figures.yaml"
LEARN = REPO / "content" / "learn"

_DIAGS = Diagnostics()
CATALOG = load_catalog(REPO, _DIAGS, TODAY, 365)
PRICES = load_prices(REPO, _DIAGS, CATALOG.gpus.keys(), CATALOG.models.keys(), TODAY, 365)

# What a scenario may not state itself: each comes from the data its `rental:`, `api:` or `own:`
# names (the tariff from prices.yaml's electricity), so a quote cannot outlive the data.
FROM_DATA = ("usd_per_hour", "usd_in", "usd_out", "usd_cached", "usd", "watts", "usd_per_kwh")


def _observation(history: tuple[Observation, ...], s: dict[str, Any]) -> Observation:
    """The offer's current observation, or the one of the day the prose dates its figure by."""
    if "as_of" not in s:
        return history[-1]
    dated = [o for o in history if o.as_of == s["as_of"]]
    assert dated, f"no observation of {s} on {s['as_of']}"
    return dated[0]


def _rental(ref: str) -> RentalPrice:
    """'provider gpu [tier] [xN]': the offer of that GPU at that provider, on-demand unless a
    tier is named, rented one GPU at a time unless it is only rented as N GPUs (x8)."""
    provider, gpu, *rest = ref.split()
    tier = next((w for w in rest if w in TIERS), "on-demand")
    gpus = next((int(w[1:]) for w in rest if re.fullmatch(r"x\d+", w)), 1)
    found = [
        p
        for p in PRICES.rental
        if (p.provider, p.gpu, p.tier, p.gpus) == (provider, gpu, tier, gpus)
    ]
    assert len(found) == 1, f"rental {ref!r} names {len(found)} offers in prices.yaml"
    return found[0]


def _api_offer(ref: str) -> ApiPrice:
    """'provider model': that provider's offer of that model."""
    provider, model = ref.split()
    found = [p for p in PRICES.api if (p.provider, p.model) == (provider, model)]
    assert len(found) == 1, f"api {ref!r} names {len(found)} offers in prices.yaml"
    return found[0]


def _from_data(s: dict[str, Any]) -> dict[str, Any]:
    """The scenario with every price (and the owned GPU's power draw) read from the data."""
    stated = sorted(set(FROM_DATA) & s.keys())
    assert not stated, f"{stated} in {s} must come from the data: name its rental/api/own"
    read: dict[str, Any] = dict(s)
    if PRICES.electricity is not None:
        read["usd_per_kwh"] = PRICES.electricity.usd_per_kwh
    if "rental" in s:
        read["usd_per_hour"] = _observation(_rental(s["rental"]).history, s).value("usd_per_hour")
    if "api" in s:
        observation = _observation(_api_offer(s["api"]).history, s)
        read["usd_in"] = observation.value("usd_per_mtok_input")
        read["usd_out"] = observation.value("usd_per_mtok_output")
        read["usd_cached"] = observation.value("usd_per_mtok_cached_input")
    if "own" in s:
        gpu = CATALOG.gpus[s["own"]]
        assert gpu.price_usd is not None, f"{gpu.id} has no price in gpus.yaml"
        read["usd"], read["watts"] = gpu.price_usd, gpu.power_w
    return read


def _days(s: dict[str, Any]) -> list[dt.date]:
    """The days of the data a scenario's prices come from, which a quote may name."""
    days = [PRICES.electricity.as_of] if PRICES.electricity else []
    if "rental" in s:
        days.append(_observation(_rental(s["rental"]).history, s).as_of)
    if "api" in s:
        days.append(_observation(_api_offer(s["api"]).history, s).as_of)
    if "own" in s and (price := CATALOG.gpus[s["own"]].price):
        days.append(price.date)
    return days


def _setup(s: dict[str, Any]) -> tuple[Any, ...]:
    model = CATALOG.models[s["model"]]
    return model, s.get("precision", "bf16"), int(s.get("context", costs.DEFAULT_CONTEXT))


def _gpu(s: dict[str, Any]) -> Any:
    return CATALOG.gpus[s["gpu"]]


def _tps(s: dict[str, Any]) -> float:
    """A speed the scenario states ("take 117") or, failing that, the band's middle for it."""
    if "tps" in s:
        return float(s["tps"])
    model, precision, context = _setup(s)
    return costs.throughput_tps(
        model,
        _gpu(s),
        precision,
        context,
        int(s.get("concurrency", 1)),
        s.get("kv_type", "f16"),
        int(s.get("gpus", 1)),
    )


def _need(s: dict[str, Any]) -> costs.MemoryNeed:
    model, precision, context = _setup(s)
    return costs.memory_need(
        model,
        precision,
        context,
        int(s.get("concurrency", 1)),
        s.get("kv_type", "f16"),
        int(s.get("gpus", 1)),
    )


def _range(s: dict[str, Any]) -> tuple[float, float]:
    model, precision, context = _setup(s)
    return costs.decode_range_tps(model, _gpu(s), precision, context, "f16", s.get("gpus", 1))


def _api(s: dict[str, Any]) -> float:
    return costs.api_usd(
        s["input_mtok"],
        s["output_mtok"],
        s["usd_in"],
        s["usd_out"],
        s.get("cached_mtok", 0.0),
        s.get("usd_cached") or 0.0,
    )


def _mtok(s: dict[str, Any]) -> float:
    return s["input_mtok"] + s.get("cached_mtok", 0.0) + s["output_mtok"]


def _electricity_blended(s: dict[str, Any]) -> float:
    """Electricity per 1M tokens in and out, for the scenario's mix of input to output."""
    hours = costs.generation_hours(s["output_mtok"], _tps(s))
    return costs.electricity_usd(s["watts"], hours, s["usd_per_kwh"]) / _mtok(s)


def _break_even_mtok(s: dict[str, Any]) -> float:
    """Monthly tokens in and out where owning (amortized + electricity) costs what the API does."""
    return (s["usd"] / s["months"]) / (_api(s) / _mtok(s) - _electricity_blended(s))


def _break_even_hours(s: dict[str, Any]) -> float:
    output = _break_even_mtok(s) * s["output_mtok"] / _mtok(s)
    return costs.generation_hours(output, _tps(s))


def _max_concurrency(s: dict[str, Any]) -> float:
    """The most conversations whose caches fit the GPUs with the weights."""
    count = 0
    while count < 10_000:
        need = _need(dict(s, concurrency=count + 1))
        if not costs.fits(need, _gpu(s)):
            break
        count += 1
    return count


def _bytes_read(s: dict[str, Any]) -> float:
    """Bytes one decode step of one conversation reads: active weights plus the KV cache."""
    model, precision, context = _setup(s)
    return costs.weights_read_gib(model, precision) * costs.GIB + costs.kv_cache_bytes(
        model, context
    )


def _unit_usd_per_hour(s: dict[str, Any]) -> float:
    """What the GPUs the scenario rents cost an hour: the offer's per-GPU price × `gpus`."""
    return float(s["usd_per_hour"]) * int(s.get("gpus", 1))


def _train_hours(s: dict[str, Any]) -> float:
    """Hours one GPU takes to train on `train_mtok` tokens: 6 operations per parameter per
    token, at `mfu` (the share of the GPU's dense bf16 peak a run sustains)."""
    operations = 6 * CATALOG.models[s["model"]].params_b * 1e9 * s["train_mtok"] * 1e6
    tflops = _gpu(s).tflops_bf16
    assert tflops is not None, f"{s['gpu']} has no tflops_bf16 in gpus.yaml"
    return float(operations / (s["mfu"] * tflops * 1e12) / 3600)


def _job_usd(s: dict[str, Any]) -> float:
    """A rented job's bill: its stated `hours`, or the training hours, at the unit's price."""
    return _unit_usd_per_hour(s) * (s["hours"] if "hours" in s else _train_hours(s))


def _read(key: str) -> Callable[[dict[str, Any]], float]:
    """A figure quoted as the data holds it (a price, a power draw), read from the scenario."""
    return lambda s: float(s[key])


def _ft(s: dict[str, Any]) -> costs.FineTuneMemory:
    return costs.fine_tune_memory(CATALOG.models[s["model"]])


def _global_kv_kib_per_token(s: dict[str, Any]) -> float:
    """What each token past the sliding window adds: the cache of the full-context layers only."""
    model = _setup(s)[0]
    window = model.sliding_window or 1
    return (costs.kv_cache_bytes(model, window + 1) - costs.kv_cache_bytes(model, window)) / 1024


def _window_kv_mib(s: dict[str, Any]) -> float:
    """The fixed cache of the sliding-window layers once the context passes the window."""
    model = _setup(s)[0]
    window = model.sliding_window or 0
    share = model.sliding_window_layers / model.layers
    return float(costs.kv_cache_bytes(model, window) * share / 1024**2)


KINDS: dict[str, Callable[[dict[str, Any]], float]] = {
    "weights_gib": lambda s: costs.weights_gib(*_setup(s)[:2]),
    "weights_gb": lambda s: costs.weights_gib(*_setup(s)[:2]) * costs.GIB / costs.GB,
    "active_weights_gb": lambda s: costs.weights_read_gib(*_setup(s)[:2]) * costs.GIB / costs.GB,
    "active_weights_gib": lambda s: costs.weights_read_gib(*_setup(s)[:2]),
    "bytes_read_gb": lambda s: _bytes_read(s) / costs.GB,
    "bytes_read_gib": lambda s: _bytes_read(s) / costs.GIB,
    "kv_gib": lambda s: _need(s).kv_gib,
    "kv_mib": lambda s: _need(s).kv_gib * 1024,
    "kv_gb": lambda s: _need(s).kv_gib * costs.GIB / costs.GB,
    "kv_kib_per_token": lambda s: costs.kv_bytes_per_token(_setup(s)[0]) / 1024,
    "global_kv_kib_per_token": _global_kv_kib_per_token,
    "window_kv_mib": _window_kv_mib,
    "bits_per_weight": lambda s: costs.PRECISIONS[s["precision"]][1],
    "gguf_file_gb": lambda s: CATALOG.models[s["model"]].gguf_q4_k_m_gb or 0.0,
    "memory_gib": lambda s: _need(s).total_gib,
    "usable_gib": lambda s: _gpu(s).usable_gib,
    "max_concurrency": _max_concurrency,
    "ceiling_tps": lambda s: costs.decode_ceiling_tps(
        *_setup(s)[:1], _gpu(s), *_setup(s)[1:], "f16", s.get("gpus", 1)
    ),
    "low_tps": lambda s: _range(s)[0],
    "high_tps": lambda s: _range(s)[1],
    "tps": _tps,
    "per_conversation_tps": lambda s: _tps(s) / int(s.get("concurrency", 1)),
    "flops_tera": lambda s: _tps(s) * costs.flops_per_token(_setup(s)[0]) / 1e12,
    "rental_usd_per_mtok_output": lambda s: costs.rental_usd_per_mtok_output(
        _unit_usd_per_hour(s), _tps(s) * s.get("utilization", 1.0)
    ),
    "tps_to_match": lambda s: _unit_usd_per_hour(s) / (s["usd_out"] * 3600) * 1e6,
    "unit_usd_per_hour": _unit_usd_per_hour,
    "rental_job_usd": _job_usd,
    "train_hours": lambda s: _train_hours(s),
    "train_seconds": lambda s: _train_hours(s) * 3600,
    "generation_hours": lambda s: costs.generation_hours(s["output_mtok"], _tps(s)),
    "rental_usd_hourly_billing": lambda s: (
        _unit_usd_per_hour(s) * costs.generation_hours(s["output_mtok"], _tps(s))
    ),
    "always_on_usd": lambda s: _unit_usd_per_hour(s) * costs.HOURS_PER_MONTH,
    "api_usd": _api,
    "api_blended": lambda s: _api(s) / _mtok(s),
    "electricity_usd": lambda s: costs.electricity_usd(
        s["watts"], costs.generation_hours(s["output_mtok"], _tps(s)), s["usd_per_kwh"]
    ),
    "electricity_usd_per_mtok_output": lambda s: costs.electricity_usd(
        s["watts"], costs.generation_hours(1, _tps(s)), s["usd_per_kwh"]
    ),
    "electricity_usd_blended": _electricity_blended,
    "amortized_usd": lambda s: s["usd"] / s["months"],
    "local_monthly_usd": lambda s: (
        s["usd"] / s["months"]
        + costs.electricity_usd(
            s["watts"], costs.generation_hours(s["output_mtok"], _tps(s)), s["usd_per_kwh"]
        )
    ),
    "break_even_mtok": _break_even_mtok,
    "break_even_output_mtok": lambda s: _break_even_mtok(s) * s["output_mtok"] / _mtok(s),
    "break_even_hours": _break_even_hours,
    "break_even_hours_per_day": lambda s: _break_even_hours(s) / (costs.HOURS_PER_MONTH / 24),
    "nf4_low_gib": lambda s: (
        CATALOG.models[s["model"]].params_b * 1e9 * costs.NF4_BITS[0] / 8 / costs.GIB
    ),
    "nf4_high_gib": lambda s: (
        CATALOG.models[s["model"]].params_b * 1e9 * costs.NF4_BITS[1] / 8 / costs.GIB
    ),
    "full_ft_gib_params": lambda s: s["params_b"] * 1e9 * costs.FULL_FT_BYTES_PER_PARAM / costs.GIB,
    "full_ft_gib": lambda s: _ft(s).full_gib,
    "lora_low_gib": lambda s: _ft(s).lora_gib[0],
    "lora_high_gib": lambda s: _ft(s).lora_gib[1],
    "qlora_low_gib": lambda s: _ft(s).qlora_gib[0],
    "qlora_high_gib": lambda s: _ft(s).qlora_gib[1],
    # A figure quoted as the data holds it: a price, a GPU's or a model's published spec.
    **{key: _read(key) for key in FROM_DATA},
    "gpu_memory_gb": lambda s: _gpu(s).vram_gib,
    "gpu_bandwidth_gbps": lambda s: _gpu(s).bandwidth_gbps,
    "gpu_power_w": lambda s: _gpu(s).power_w,
    "params_b": lambda s: CATALOG.models[s["model"]].params_b,
    "active_params_b": lambda s: CATALOG.models[s["model"]].active_params_b,
    "context_k": lambda s: CATALOG.models[s["model"]].context_length / 1024,
    "context_tokens": lambda s: CATALOG.models[s["model"]].context_length,
    "layers": lambda s: CATALOG.models[s["model"]].layers,
    "kv_heads": lambda s: CATALOG.models[s["model"]].kv_heads,
    "head_dim": lambda s: CATALOG.models[s["model"]].head_dim,
    "experts": lambda s: CATALOG.models[s["model"]].experts or 0,
    "released_year": lambda s: CATALOG.models[s["model"]].released.year,
}


def _groups() -> list[dict[str, Any]]:
    groups: list[dict[str, Any]] = yaml.safe_load(FIGURES.read_text(encoding="utf-8"))
    return groups


def _where(group: dict[str, Any]) -> str:
    """How a failure names the text: the explainer's file, or the model file holding the notes."""
    return group["file"] if "file" in group else f"content/models/{group['model']}.yaml notes"


def _text(group: dict[str, Any]) -> str:
    if "file" in group:
        return _flat((LEARN / group["file"]).read_text(encoding="utf-8"))
    return _flat(CATALOG.models[group["model"]].notes)


def _entries() -> list[dict[str, Any]]:
    return [
        dict(entry, file=_where(group), text=_text(group))
        for group in _groups()
        for entry in group["figures"]
    ]


def _flat(text: str) -> str:
    return re.sub(r"\s+", " ", text)


ENTRIES = _entries()


_WORDS = [
    "zero",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
]
_TENS = ("", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety")


def _words(value: int) -> str:
    """1-99 as the text spells them at the start of a sentence or inside it ('ninety-nine')."""
    if value < len(_WORDS):
        return _WORDS[value]
    tens, ones = divmod(value, 10)
    return _TENS[tens] + (f"-{_WORDS[ones]}" if ones else "")


def formatted(value: float, digits: int, round_to: float | None, words: bool = False) -> str:
    """The figure as the text writes it: thousands separators, `digits` decimals, or words."""
    if words:
        return _words(int(value))
    if round_to:
        value = round(value / round_to) * round_to
    # Halves round up, as a reader does by hand (12.15 / 54 = 0.225 reads "$0.23"); the nudge
    # keeps a binary 0.22499999... from rounding down.
    nudged = Decimal(value * (1 + 1e-12)).quantize(Decimal(1).scaleb(-digits), ROUND_HALF_UP)
    return f"{nudged:,.{digits}f}"


def test_the_catalogue_loads_cleanly() -> None:
    assert _DIAGS.errors == []


@pytest.mark.parametrize(
    "entry", ENTRIES, ids=lambda e: f"{e['file']}:{e['kind']}:{e['quote'][:40]}"
)
def test_a_quoted_figure_matches_costs_py(entry: dict[str, Any]) -> None:
    quote = _flat(entry["quote"])
    assert quote in entry["text"], f"{entry['file']} no longer says {quote!r}"
    value = KINDS[entry["kind"]](_from_data(entry["scenario"]))
    shown = formatted(
        value, int(entry.get("digits", 0)), entry.get("round_to"), entry.get("words", False)
    )
    assert shown in quote.lower() if entry.get("words") else shown in quote, (
        f"{entry['file']}: {quote!r} should say {shown} ({entry['kind']} = {value:.4f} for "
        f"{entry['scenario']})"
    )


_ISO_DAY = re.compile(r"\b(\d{4}-\d{2}-\d{2})\b")
_MONTH_YEAR = re.compile(rf"\b({'|'.join(MONTHS)}) (\d{{4}})\b")
PRICED = [
    e for e in ENTRIES if {"rental", "api", "own"} & e["scenario"].keys() or e["kind"] in FROM_DATA
]


@pytest.mark.parametrize("entry", PRICED, ids=lambda e: f"{e['file']}:{e['quote'][:40]}")
def test_a_day_quoted_with_a_price_is_the_day_of_its_observation(entry: dict[str, Any]) -> None:
    """'$2.69 (2026-11-09)': a price still right but read on a newer day than the prose says
    means the prose's date is stale; a price the prose dates to an older day than the current
    observation has to say `as_of:` to be checked against that day's."""
    quote, days = _flat(entry["quote"]), _days(entry["scenario"])
    for day in _ISO_DAY.findall(quote):
        assert dt.date.fromisoformat(day) in days, (
            f"{entry['file']}: {quote!r} dates a price {day}; the data's is one of {days}"
        )
    for month, year in _MONTH_YEAR.findall(quote):
        assert any((d.year, d.month) == (int(year), MONTHS.index(month) + 1) for d in days), (
            f"{entry['file']}: {quote!r} dates a price {month} {year}; the data's is one of {days}"
        )


def _untied(group: dict[str, Any], text: str) -> list[tuple[int, int]]:
    """Where the texts a group lists as `untied` (each with a reason) stand in `text`."""
    return [
        (match.start(), match.end())
        for u in group.get("untied", [])
        if len(u.get("why", "")) > 20
        for match in re.finditer(re.escape(_flat(u["text"])), text)
    ]


_DOLLARS = re.compile(r"\$(\d{1,3}(?:,\d{3})*(?:\.\d+)?)")


def _shown(entry: dict[str, Any]) -> str:
    value = KINDS[entry["kind"]](_from_data(entry["scenario"]))
    return formatted(value, int(entry.get("digits", 0)), entry.get("round_to"))


def test_every_dollar_figure_in_an_explainer_is_tied() -> None:
    """Each "$..." an explainer shows is a figure tied to the quote it stands in (computed, or a
    price read from the data), or inside a text listed as `untied` with the reason: a price
    typed into prose and tied to nothing is how a quote outlives the data."""
    groups = {g["file"]: g for g in _groups() if "file" in g}
    loose = []
    for path in sorted(LEARN.glob("*.md")):
        text = _flat(path.read_text(encoding="utf-8"))
        group = groups.get(path.name, {})
        shown: dict[str, set[str]] = {}
        for entry in group.get("figures", []):
            if not entry.get("words"):
                shown.setdefault(_flat(entry["quote"]), set()).add(_shown(entry))
        spans = [
            (match.start(), match.end(), values)
            for quote, values in shown.items()
            for match in re.finditer(re.escape(quote), text)
        ] + [(start, end, None) for start, end in _untied(group, text)]
        for figure in _DOLLARS.finditer(text):
            if not any(
                start <= figure.start() < end and (values is None or figure.group(1) in values)
                for start, end, values in spans
            ):
                around = text[max(0, figure.start() - 50) : figure.end() + 20]
                loose.append(f"{path.name}: {figure.group(0)!r} in ...{around}...")
    assert loose == [], "\n".join(loose)


_SPECS = {
    "bandwidth": (re.compile(r"(\d{1,3}(?:,\d{3})*(?:\.\d+)?) ?GB/s"), "bandwidth_gbps"),
    "power draw": (re.compile(r"(\d{1,3}(?:,\d{3})*) ?W\b"), "power_w"),
}


@pytest.mark.parametrize("spec", sorted(_SPECS))
def test_every_gpu_spec_an_explainer_quotes_is_one_in_gpus_yaml(spec: str) -> None:
    """A GB/s or W figure in an explainer is one gpus.yaml holds for some GPU (or inside an
    `untied` text, with the reason: a link's bandwidth, a measured draw): a spec typed from
    memory, or left behind when gpus.yaml was corrected, fails here."""
    pattern, field = _SPECS[spec]
    held = {formatted(getattr(gpu, field), 0, None) for gpu in CATALOG.gpus.values()} | {
        f"{getattr(gpu, field):g}" for gpu in CATALOG.gpus.values()
    }
    groups = {g["file"]: g for g in _groups() if "file" in g}
    loose = []
    for path in sorted(LEARN.glob("*.md")):
        text = _flat(path.read_text(encoding="utf-8"))
        spans = _untied(groups.get(path.name, {}), text)
        for figure in pattern.finditer(text):
            if figure.group(1) in held or any(a <= figure.start() < b for a, b in spans):
                continue
            around = text[max(0, figure.start() - 50) : figure.end() + 20]
            loose.append(f"{path.name}: {figure.group(0)!r} in ...{around}...")
    assert loose == [], "\n".join(loose)


def test_every_explainer_that_quotes_a_figure_is_covered() -> None:
    """An explainer with a GiB, tokens/s or per-1M figure is in the table (or says why not)."""
    covered = {g["file"] for g in _groups() if "file" in g and (g["figures"] or g.get("not_costs"))}
    quoting = {
        path.name
        for path in LEARN.glob("*.md")
        if re.search(r"\d[\d,.]* ?(GiB|tokens/s|tok/s|tokens per second)|per 1M", path.read_text())
    }
    assert quoting - covered == set()


def test_every_cost_per_token_says_which_kind() -> None:
    """'per 1M tokens' alone is ambiguous: say output, input or cached input, or blended."""
    unlabelled = []
    for path in sorted(LEARN.glob("*.md")):
        text = _flat(path.read_text(encoding="utf-8"))
        for match in re.finditer(r"per (1M|million) tokens", text):
            around = text[max(0, match.start() - 40) : match.end() + 12]
            if "blended" not in around.lower() or "in and out" not in around:
                unlabelled.append(f"{path.name}: ...{around}...")
    assert unlabelled == []


def test_every_explainer_that_quotes_a_speed_links_the_accuracy_page() -> None:
    """A reader who sees an estimated tokens/s can see how far such estimates stray."""
    speed = re.compile(r"\d[\d,.]* ?(tokens/s|tok/s|tokens per second)")
    missing = [
        path.name
        for path in sorted(LEARN.glob("*.md"))
        if speed.search(text := path.read_text(encoding="utf-8"))
        and "/calculator/accuracy/" not in text
    ]
    assert missing == []


# A memory size or a bits-per-weight figure; a size that names hardware ("a 24 GB card") is not
# a figure about the model.
_NOTE_FIGURE = re.compile(
    r"\d[\d,.]*\s?(?:GB|GiB|KiB|MiB|MB|TB)\b(?! (?:GPU|card|machine|of memory))"
    r"|\d+\.\d+[- ]bits?\b"
)


def test_every_memory_figure_in_a_model_note_is_tied() -> None:
    """Each size a model's notes state is inside a tied quote, or listed as untied with a reason."""
    groups = {g["model"]: g for g in _groups() if "model" in g}
    assert set(groups) <= set(CATALOG.models), "a model group names no catalogue model"
    loose = []
    for model in sorted(CATALOG.models.values(), key=lambda m: m.id):
        text = _flat(model.notes)
        group = groups.get(model.id, {})
        spans = [
            (match.start(), match.end())
            for quote in [f["quote"] for f in group.get("figures", [])]
            + [u["text"] for u in group.get("untied", []) if len(u.get("why", "")) > 20]
            for match in re.finditer(re.escape(_flat(quote)), text)
        ]
        for figure in _NOTE_FIGURE.finditer(text):
            if not any(start <= figure.start() < end for start, end in spans):
                around = text[max(0, figure.start() - 50) : figure.end() + 20]
                loose.append(f"{model.id}: {figure.group(0)!r} in ...{around}...")
    assert loose == []
