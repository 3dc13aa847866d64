"""The /calculator/ page: the embedded price data, the default scenario, its pre-rendered result.

The page's script (static/js/calculator.js) recomputes everything from the JSON this module
embeds; without JavaScript the reader still sees the default scenario, computed here by the same
costs.compare the script mirrors.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, replace
from typing import Any

from markupsafe import Markup

from spanvero_site.core.config import SiteConfig
from spanvero_site.core.context import PageContext, common, embed_json
from spanvero_site.core.formatting import amount, gb
from spanvero_site.core.pages import Page
from spanvero_site.core.section import View
from spanvero_site.data import costs
from spanvero_site.data.catalog import Catalog
from spanvero_site.data.records import Gpu, Model, Prices

DEFAULT_MODEL = "llama-3-1-8b"
DEFAULT_GPU = "rtx-4090"


class CalculatorContext(PageContext):
    page: Page
    body: Markup
    scenario: costs.Scenario
    result: dict[str, Any]
    names: dict[str, str]
    models: list[Model]
    gpus: list[Gpu]
    precisions: Mapping[str, tuple[str, float]]
    kv_types: list[str]
    prices: Prices
    data: Markup
    constants: dict[str, Any]


def default_scenario(catalog: Catalog, prices: Prices) -> costs.Scenario:
    """DOMAIN.md's worked example as a workload: Llama 3.1 8B at 16-bit, 8K context, one stream."""
    model = DEFAULT_MODEL if DEFAULT_MODEL in catalog.models else next(iter(catalog.models))
    gpu_id = DEFAULT_GPU if DEFAULT_GPU in catalog.gpus else next(iter(catalog.gpus))
    gpu = catalog.gpus[gpu_id]
    scenario = costs.Scenario(model=model, gpu=gpu_id)
    if prices.electricity:
        scenario = replace(scenario, usd_per_kwh=prices.electricity.usd_per_kwh)
    if gpu.price_usd:
        scenario = replace(scenario, hardware_usd=gpu.price_usd)
    return scenario


def compare(scenario: costs.Scenario, catalog: Catalog, prices: Prices) -> dict[str, Any]:
    """costs.compare for a scenario, with the catalog's models, GPUs and current prices."""
    return costs.compare(
        scenario, catalog.models[scenario.model], dict(catalog.gpus), prices.rental, prices.api
    )


def calculator_data(catalog: Catalog, prices: Prices, defaults: costs.Scenario) -> dict[str, Any]:
    """Everything calculator.js needs, as plain JSON: data, constants and defaults."""
    return {
        "constants": {
            "precisions": {k: {"label": v[0], "bits": v[1]} for k, v in costs.PRECISIONS.items()},
            "kv_bits": costs.KV_BITS,
            "overhead_fraction": costs.OVERHEAD_FRACTION,
            "overhead_min_gb": costs.OVERHEAD_MIN_GB,
            "efficiency_low": costs.EFFICIENCY_LOW,
            "efficiency_high": costs.EFFICIENCY_HIGH,
            "hours_per_month": costs.HOURS_PER_MONTH,
        },
        "models": {
            m.id: {
                "name": m.name,
                "params_b": m.params_b,
                "active_params_b": m.active_params_b,
                "attention": m.attention,
                "layers": m.layers,
                "kv_heads": m.kv_heads,
                "head_dim": m.head_dim,
                "sliding_window": m.sliding_window,
                "sliding_window_layers": m.sliding_window_layers,
                "kv_lora_rank": m.kv_lora_rank,
                "rope_head_dim": m.rope_head_dim,
                "context_length": m.context_length,
                "released": m.released.isoformat(),
            }
            for m in catalog.models.values()
        },
        "gpus": {
            g.id: {
                "name": g.name,
                "vram_gib": g.vram_gib,
                "bandwidth_gbps": g.bandwidth_gbps,
                "power_w": g.power_w,
                "usable_fraction": g.usable_fraction,
                "price_usd": g.price_usd,
            }
            for g in catalog.gpus.values()
        },
        "rental": [
            {
                "gpu": p.gpu,
                "provider": p.provider,
                "provider_name": p.provider_name,
                "tier": p.tier,
                "usd_per_hour": p.usd_per_hour,
            }
            for p in prices.rental
        ],
        "api": [
            {
                "model": p.model,
                "provider": p.provider,
                "provider_name": p.provider_name,
                "serving": p.serving,
                "usd_per_mtok_input": p.current.value("usd_per_mtok_input"),
                "usd_per_mtok_output": p.current.value("usd_per_mtok_output"),
            }
            for p in prices.api
        ],
        "defaults": asdict(defaults),
    }


def calculator_page(
    page: Page, body_html: str, catalog: Catalog, prices: Prices, config: SiteConfig
) -> View:
    """The calculator: intro, form with defaults, pre-rendered result, formulas and sources."""
    defaults = default_scenario(catalog, prices)
    context: dict[str, Any] = dict(common(config, page.url, page.title, page.answer))
    result = compare(defaults, catalog, prices)
    names = {
        **{g.id: g.name for g in catalog.gpus.values()},
        **{p.provider: p.provider_name for p in prices.rental},
        **{p.provider: p.provider_name for p in prices.api},
    }
    serving = {p.provider: p.serving for p in prices.api if p.model == defaults.model and p.serving}
    context.update(
        page=page,
        body=Markup(body_html),  # safe: our Markdown renderer, raw HTML escaped
        scenario=defaults,
        result=present(result, defaults, names, serving),
        names=names,
        models=list(catalog.models.values()),
        gpus=sorted(catalog.gpus.values(), key=lambda g: (g.usable_gib, g.name)),
        precisions=costs.PRECISIONS,
        kv_types=list(costs.KV_BITS),
        prices=prices,
        data=embed_json(calculator_data(catalog, prices, defaults)),
        constants={
            "overhead_pct": round(costs.OVERHEAD_FRACTION * 100),
            "overhead_min": costs.OVERHEAD_MIN_GB,
            "eff_low": round(costs.EFFICIENCY_LOW * 100),
            "eff_mid": round(costs.EFFICIENCY_MID * 100),
            "eff_high": round(costs.EFFICIENCY_HIGH * 100),
            "hours_per_month": costs.HOURS_PER_MONTH,
        },
        scripts=["js/calculator.js"],
        wide=True,
    )
    return View(page.url, "calculator.html", context, f"page {page.source}", page.source, 1)


def present(
    result: dict[str, Any], s: costs.Scenario, names: dict[str, str], serving: dict[str, str]
) -> dict[str, Any]:
    """The words and rows a reader sees for one result (calculator.js's `present` mirrors it)."""
    local = result["local"]
    gpu = names[s.gpu]
    billing = "billed by the hour" if s.billing == "hourly" else "always on"
    rows = [
        {
            "group": "Your own hardware",
            "label": f"{gpu} (yours)",
            "key": f"local/{s.gpu}",
            "fits": _fits(local["fits"], local["keeps_up"]),
            "speed": local["throughput_tps"],
            "hours": local["hours_needed"],
            "monthly": local["monthly_usd"],
            "per_mtok": local["usd_per_mtok"],
        },
        *(
            {
                "group": f"Rented GPU ({s.tier}, {billing})",
                "label": f"{names[o['provider']]}: {names[o['gpu']]}",
                "key": f"rental/{o['provider']}/{o['gpu']}",
                "fits": _fits(o["fits"], o["keeps_up"]),
                "speed": o["throughput_tps"],
                "hours": o["hours_billed"],
                "monthly": o["monthly_usd"],
                "per_mtok": o["usd_per_mtok"],
            }
            for o in result["rental"]
        ),
        *(
            {
                "group": "Hosted API",
                "label": names[a["provider"]]
                + (f" ({serving[a['provider']]})" if a["provider"] in serving else ""),
                "key": f"api/{a['provider']}",
                "fits": "Yes",
                "speed": None,
                "hours": None,
                "monthly": a["monthly_usd"],
                "per_mtok": a["usd_per_mtok"],
            }
            for a in result["api"]
        ),
    ]
    cheapest = result["cheapest"]
    cheapest_key = None
    if cheapest:
        cheapest_key = {
            "local": f"local/{cheapest['option']}",
            "rental": f"rental/{cheapest['option']}",
            "api": f"api/{cheapest['option']}",
        }[cheapest["kind"]]
    group = None
    for row in rows:
        row["first_of"] = row["group"] if row["group"] != group else None
        group = row["group"]
        row["cheapest"] = row["key"] == cheapest_key
    label = next((row["label"] for row in rows if row["cheapest"]), None)
    return {
        "rows": rows,
        "cheapest": {"label": label, "monthly_usd": cheapest["monthly_usd"]} if cheapest else None,
        "memory_gb": result["memory_gb"],
        "notes": _notes(result, s, gpu, names),
    }


def _fits(fits: bool, keeps_up: bool) -> str:
    if not fits:
        return "No"
    return "Yes" if keeps_up else "Yes, too slow"


def _notes(result: dict[str, Any], s: costs.Scenario, gpu: str, names: dict[str, str]) -> list[str]:
    local, apis, be = result["local"], result["api"], result["break_even"]
    fmt = {"low": round(costs.EFFICIENCY_LOW * 100), "high": round(costs.EFFICIENCY_HIGH * 100)}
    notes = []
    if local["fits"]:
        notes.append(
            f"One stream on your {gpu} decodes about {amount(local['tps_low'])}–"
            f"{amount(local['tps_high'])} tokens/s: {fmt['low']}–{fmt['high']}% of its "
            "memory-bandwidth ceiling, an estimate rather than a benchmark."
        )
        if local["capacity_mtok"] is not None:
            notes.append(
                f"At {amount(s.hours_per_day)} hours a day it can process about "
                f"{amount(local['capacity_mtok'])}M tokens a month in this input/output mix."
            )
    else:
        notes.append(
            f"The model does not fit on your {gpu} at this precision and context: it needs "
            f"about {gb(result['memory_gb'])}."
        )
    if apis and local["fits"]:
        cheapest_api = names[apis[0]["provider"]]
        if be["local_vs_api_mtok"] is not None:
            notes.append(
                f"Your {gpu} costs less than the cheapest API ({cheapest_api}) above about "
                f"{amount(be['local_vs_api_mtok'])}M tokens a month."
            )
        else:
            notes.append(
                f"Your {gpu} never costs less than the cheapest API ({cheapest_api}) here: "
                "its electricity alone costs more per token."
            )
    if apis and be["rental_vs_api_mtok"] is not None:
        notes.append(
            f"The cheapest always-on rental costs less than the cheapest API above about "
            f"{amount(be['rental_vs_api_mtok'])}M tokens a month."
        )
    elif apis and s.billing == "hourly" and any(o["fits"] for o in result["rental"]):
        notes.append(
            "Billed by the hour, a rented GPU costs the same per token at any volume, so it "
            "never catches up with a cheaper API; more requests at once raise its throughput."
        )
    return notes
