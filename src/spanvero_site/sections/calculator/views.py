"""The /calculator/ page: the embedded price data, the default scenario, its pre-rendered result.

The page's script (static/js/calculator.js) recomputes everything from the JSON this module
embeds; without JavaScript the reader still sees the default scenario, computed here by the same
costs.compare the script mirrors.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import asdict, replace
from typing import Any, TypedDict

from markupsafe import Markup

from spanvero_site.core.config import SiteConfig
from spanvero_site.core.context import PageContext, common, embed_json
from spanvero_site.core.formatting import amount, gib, money
from spanvero_site.core.pages import Page
from spanvero_site.core.section import View
from spanvero_site.data import costs
from spanvero_site.data.catalog import Catalog
from spanvero_site.data.records import Gpu, Model, Prices
from spanvero_site.sections.calculator.chart import KINDS, cost_chart, cost_curves, sentence_volume


class CalculatorContext(PageContext):
    page: Page
    body: Markup
    scenario: costs.Scenario
    result: dict[str, Any]
    names: dict[str, str]
    models: list[Model]
    gpus: list[Gpu]
    precisions: Mapping[str, tuple[str, float]]
    gpu_counts: tuple[int, ...]
    kv_types: list[str]
    prices: Prices
    data: Markup
    constants: dict[str, Any]
    cost_chart: Markup  # monthly cost against monthly volume, drawn at build time
    cost_curve: list[dict[str, Any]]  # the chart's numbers, for the table behind it


def default_scenario(catalog: Catalog, prices: Prices, model: str, gpu_id: str) -> costs.Scenario:
    """The page's first workload: site.yaml's default model and GPU (DOMAIN.md's worked example
    in the shipped site), at 16-bit, 8K context, one stream."""
    scenario = costs.Scenario(model=model, gpu=gpu_id)
    if prices.electricity:
        scenario = replace(scenario, usd_per_kwh=prices.electricity.usd_per_kwh)
    return replace(scenario, hardware_usd=hardware_price(catalog.gpus[gpu_id], 1))


def hardware_price(gpu: Gpu, count: int) -> float:
    """What owning `count` of this GPU costs at its listed price (the default GPU has one: a
    GPU without a price can only be rented, E715)."""
    return (gpu.price_usd or 0.0) * count


def compare(
    scenario: costs.Scenario, catalog: Catalog, offers: Sequence[costs.Offer], prices: Prices
) -> dict[str, Any]:
    """costs.compare for a scenario, with the catalog's models, GPUs and current prices."""
    return costs.compare(
        scenario,
        catalog.models[scenario.model],
        dict(catalog.gpus),
        offers,
        costs.api_offers(prices.api),
    )


def calculator_data(
    catalog: Catalog, prices: Prices, offers: Sequence[costs.Offer], defaults: costs.Scenario
) -> dict[str, Any]:
    """Everything calculator.js needs, as plain JSON: data, constants and defaults."""
    return {
        "constants": {
            "precisions": {k: {"label": v[0], "bits": v[1]} for k, v in costs.PRECISIONS.items()},
            "kv_bits": costs.KV_BITS,
            "overhead_fraction": costs.OVERHEAD_FRACTION,
            "overhead_min_gib": costs.OVERHEAD_MIN_GIB,
            "bands": {k: {"low": b.low, "high": b.high} for k, b in costs.BANDS.items()},
            "tensor_parallel_efficiency": costs.TENSOR_PARALLEL_EFFICIENCY,
            "gpu_counts": list(costs.GPU_COUNTS),
            "hours_per_month": costs.HOURS_PER_MONTH,
        },
        "models": {
            m.id: {
                "name": m.name,
                "params_b": m.params_b,
                "active_params_b": m.active_params_b,
                "experts": m.experts,
                "experts_per_token": m.experts_per_token,
                "attention": m.attention,
                "layers": m.layers,
                "kv_heads": m.kv_heads,
                "head_dim": m.head_dim,
                "sliding_window": m.sliding_window,
                "sliding_window_layers": m.sliding_window_layers,
                "kv_lora_rank": m.kv_lora_rank,
                "rope_head_dim": m.rope_head_dim,
                "context_length": m.context_length,
                "checkpoint": {"format": m.checkpoint.format, "file_gb": m.checkpoint.file_gb}
                if m.checkpoint
                else None,
                "released": m.released.isoformat(),
            }
            for m in catalog.models.values()
        },
        "gpus": {
            g.id: {
                "name": g.name,
                "kind": g.kind,
                "vram_gib": g.vram_gib,
                "bandwidth_gbps": g.bandwidth_gbps,
                "power_w": g.power_w,
                "usable_fraction": g.usable_fraction,
                "price_usd": g.price_usd,
                "tflops_bf16": g.tflops_bf16,
                "tflops_fp8": g.tflops_fp8,
            }
            for g in catalog.gpus.values()
        },
        "rental": [asdict(o) for o in offers],
        "provider_names": provider_names(prices),
        "api": [asdict(o) for o in costs.api_offers(prices.api)],
        "defaults": asdict(defaults),
    }


def provider_names(prices: Prices) -> dict[str, str]:
    """Every provider's display name, by id."""
    return {
        **{p.provider: p.provider_name for p in prices.rental},
        **{p.provider: p.provider_name for p in prices.api},
    }


def calculator_page(
    page: Page,
    body_html: str,
    catalog: Catalog,
    prices: Prices,
    config: SiteConfig,
    default_model: str,
    default_gpu: str,
) -> View:
    """The calculator: intro, form with defaults, pre-rendered result, formulas and sources."""
    defaults = default_scenario(catalog, prices, default_model, default_gpu)
    offers = costs.offers(prices.rental)
    result = compare(defaults, catalog, offers, prices)
    names = {**{g.id: g.name for g in catalog.gpus.values()}, **provider_names(prices)}
    base = common(
        config,
        page.url,
        page.title,
        page.answer,
        scripts=["js/calculator.js", "js/charts.js", "js/calc-views.js"],
        wide=True,
    )
    context = CalculatorContext(
        **base,
        page=page,
        body=Markup(body_html),  # safe: our Markdown renderer, raw HTML escaped
        scenario=defaults,
        result=present(result, defaults, catalog_api_view(catalog, prices)),
        names=names,
        models=list(catalog.models.values()),
        gpus=sorted(catalog.gpus.values(), key=lambda g: (g.usable_gib, g.name)),
        precisions={**costs.PRECISIONS, **{k: (v, 0.0) for k, v in costs.NATIVE_FORMATS.items()}},
        gpu_counts=costs.GPU_COUNTS,
        kv_types=list(costs.KV_BITS),
        prices=prices,
        data=embed_json(calculator_data(catalog, prices, offers, defaults)),
        constants={
            "overhead_pct": round(costs.OVERHEAD_FRACTION * 100),
            "overhead_min": costs.OVERHEAD_MIN_GIB,
            "bands": list(costs.BANDS.values()),
            "tp_pct": round(costs.TENSOR_PARALLEL_EFFICIENCY * 100),
            "hours_per_month": costs.HOURS_PER_MONTH,
            "max_age": config.checks.max_price_age_days,
        },
        **_cost_chart(defaults, catalog, offers, prices),
    )
    return View(page.url, "calculator.html", context, f"page {page.source}", page.source, 1)


class CostChart(TypedDict):
    cost_chart: Markup
    cost_curve: list[dict[str, Any]]


def _cost_chart(
    scenario: costs.Scenario, catalog: Catalog, offers: Sequence[costs.Offer], prices: Prices
) -> CostChart:
    """The cost-against-volume chart of the default scenario and its numbers."""
    model = catalog.models[scenario.model]
    curves = cost_curves(scenario, model, dict(catalog.gpus), offers, costs.api_offers(prices.api))
    table = [
        {
            "volume": sentence_volume(volume),
            **{kind: curves["costs"][kind][i] for kind, _ in KINDS},
        }
        for i, volume in enumerate(curves["volumes"])
    ]
    return CostChart(cost_chart=cost_chart(curves, model.name), cost_curve=table)


def catalog_api_view(catalog: Catalog, prices: Prices) -> dict[str, Any]:
    """The names and labels present() needs, in the shape calculator.js gets them."""
    return {
        "gpus": {g.id: {"name": g.name, "price_usd": g.price_usd} for g in catalog.gpus.values()},
        "provider_names": provider_names(prices),
        "api": [
            {"model": p.model, "provider": p.provider, "serving": p.serving} for p in prices.api
        ],
        "constants": {
            "bands": {k: {"low": b.low, "high": b.high} for k, b in costs.BANDS.items()},
        },
        "models": {m.id: {"experts": m.experts} for m in catalog.models.values()},
    }


def present(result: dict[str, Any], s: costs.Scenario, data: dict[str, Any]) -> dict[str, Any]:
    """The words and rows a reader sees for one result (calculator.js's `present` mirrors it)."""
    names = data["provider_names"]
    gpu_names = {k: v["name"] for k, v in data["gpus"].items()}
    serving = {p["provider"]: p["serving"] for p in data["api"] if p["model"] == s.model}
    local = result["local"]
    gpu = gpu_names[s.gpu]
    billing = "billed by the hour" if s.billing == "hourly" else "always on"
    rows = [
        {
            "group": "Your own hardware",
            "label": f"{_count(s.gpus, gpu)} (yours)" if s.gpus else "None of your own",
            "key": f"local/{s.gpu}",
            "fits": _local_status(local, gpu) if s.gpus else "—",
            "speed": local["throughput_tps"],
            "hours": local["hours_needed"] if local["keeps_up"] else None,
            "monthly": local["monthly_usd"],
            "per_output": local["usd_per_mtok_output"],
            "blended": local["usd_per_mtok_blended"],
        }
    ]
    for o in result["rental"]:
        unit = f" ({o['instance'] or str(o['unit_gpus']) + '-GPU unit'}, rented whole)"
        rows.append(
            {
                "group": f"Rented GPUs ({s.tier}, {billing})",
                "label": f"{names[o['provider']]}: "
                + (_count(o["gpus"], gpu_names[o["gpu"]]) if o["gpus"] else gpu_names[o["gpu"]])
                + (unit if o["unit_gpus"] > 1 else ""),
                "key": f"rental/{costs.offer_key(o)}",
                "fits": _rental_status(o),
                "speed": o["throughput_tps"],
                "hours": o["hours_billed"],
                "monthly": o["monthly_usd"],
                "per_output": o["usd_per_mtok_output"],
                "blended": o["usd_per_mtok_blended"],
            }
        )
    for a in result["api"]:
        rows.append(
            {
                "group": "Hosted API",
                "label": names[a["provider"]]
                + (f" ({serving[a['provider']]})" if serving.get(a["provider"]) else ""),
                "key": f"api/{a['provider']}",
                "fits": _NOT_OFFERED.get(a["status"], "Yes"),
                "speed": None,
                "hours": None,
                "monthly": a["monthly_usd"],
                "per_output": a["usd_per_mtok_output_only"],
                "blended": a["usd_per_mtok_blended"],
            }
        )
    if not result["api"]:
        rows.append(
            {
                "group": "Hosted API",
                "label": "No API sells this model",
                "key": "api/none",
                "fits": "—",
                "speed": None,
                "hours": None,
                "monthly": None,
                "per_output": None,
                "blended": None,
            }
        )
    cheapest = result["cheapest"]
    cheapest_key = f"{cheapest['kind']}/{cheapest['option']}" if cheapest else None
    group = None
    chosen = None
    for row in rows:
        row["first_of"] = row["group"] if row["group"] != group else None
        group = row["group"]
        row["cheapest"] = row["key"] == cheapest_key
        if row["cheapest"]:
            chosen = row
    return {
        "rows": rows,
        "cheapest": {
            "label": chosen["label"],
            "monthly_usd": chosen["monthly"],
            "per_output": chosen["per_output"],
            "blended": chosen["blended"],
        }
        if chosen
        else None,
        "memory_gib": result["memory_gib"],
        "notes": _notes(result, s, gpu, names, gpu_names, data),
    }


def _count(count: int, gpu: str) -> str:
    return gpu if count == 1 else f"{count}× {gpu}"


def _local_status(local: dict[str, Any], gpu: str) -> str:
    if local["not_combined"]:
        return "No: Macs are not combined"
    if not local["fits"]:
        if local["gpus_needed"]:
            return f"No: needs {local['gpus_needed']}× {gpu}"
        return "No: does not fit"
    if not local["keeps_up"]:
        return f"Too slow: would take {amount(local['setups_needed'] * local['gpus'])}× {gpu}"
    return "Yes"


# Why an offer listed in the table is not priced, by its status (records._Offer.status): the same
# words for a rental and an API, as calculator.js writes them.
_NOT_OFFERED = {"unavailable": "Unavailable at the source", "stale": "Price out of date"}


def _rental_status(o: dict[str, Any]) -> str:
    if o["status"] in _NOT_OFFERED:
        return _NOT_OFFERED[o["status"]]
    if not o["fits"]:
        return "No: does not fit" + (" the whole unit" if o["unit_gpus"] > 1 else " 8 GPUs")
    if not o["keeps_up"]:
        return f"Too slow: would take {amount(o['setups_needed'] * o['gpus'])} GPUs"
    return "Yes"


def _notes(
    result: dict[str, Any],
    s: costs.Scenario,
    gpu: str,
    names: dict[str, str],
    gpu_names: dict[str, str],
    data: dict[str, Any],
) -> list[str]:
    local, apis, be = result["local"], result["api"], result["break_even"]
    moe = data["models"][s.model]["experts"] is not None
    band = data["constants"]["bands"]["single-moe" if moe else "single-dense"]
    low, high = round(band["low"] * 100), round(band["high"] * 100)
    yours = _count(s.gpus, gpu)
    notes = []
    cheapest = result["cheapest"]
    if cheapest and cheapest["kind"] == "rental" and s.billing == "hourly":
        offer = next(o for o in result["rental"] if costs.offer_key(o) == cheapest["option"])
        notes.append(
            "Billed by the hour assumes the work can be packed into busy hours and the GPUs "
            "let go in between. An interactive service is always on: kept on all month, the "
            f"same {_count(offer['gpus'], gpu_names[offer['gpu']])} at "
            f"{names[offer['provider']]} costs {money(offer['always_on_usd'])} a month."
        )
    if not s.gpus:
        notes.append(
            "You have no hardware of your own in this scenario; set how many GPUs you own to "
            "compare."
        )
    elif local["fits"]:
        notes.append(
            f"One stream on your {yours} decodes about {amount(local['tps_low'])}–"
            f"{amount(local['tps_high'])} tokens/s: {low}–{high}% of its "
            "memory-bandwidth ceiling, an estimate rather than a benchmark."
        )
        notes.append(
            f"At {amount(s.hours_per_day)} hours a day it can process about "
            f"{amount(local['capacity_mtok'])}M tokens a month in this input/output mix."
        )
    elif local["not_combined"]:
        notes.append(
            f"Macs are not combined to run one model: one {gpu} holds it (it needs about "
            f"{gib(result['memory_gib'])}), so set How many to 1 to see what it costs."
        )
    else:
        notes.append(
            f"The model does not fit on your {yours} at this precision and context: it needs "
            f"about {gib(result['memory_gib'])} on one GPU."
        )
    apis = [a for a in apis if a["status"] == "ok"]
    if apis and local["fits"]:
        cheapest_api = names[apis[0]["provider"]]
        if be["local_vs_api_mtok"] is not None:
            notes.append(
                f"Your {yours} costs less than the cheapest API ({cheapest_api}) above about "
                f"{amount(be['local_vs_api_mtok'])}M tokens a month."
            )
        else:
            notes.append(
                f"Your {yours} never costs less than the cheapest API ({cheapest_api}) here: "
                "its electricity alone costs more per token."
            )
    if apis and be["rental_vs_api_mtok"] is not None:
        notes.append(
            f"The cheapest always-on rental costs less than the cheapest API above about "
            f"{amount(be['rental_vs_api_mtok'])}M tokens a month."
        )
    return notes
