"""Shared test vectors: costs.py computes varied scenarios, calculator.js must agree on each.

Two sets. The shipped data: every model (MoE, MLA, sliding-window and native releases among
them), every GPU and GPU count, both rental tiers and billing modes, tiny and huge volumes,
workloads that do not fit. And a small made-up catalogue with one case of each path the issue
names: a model split over 2 and 8 GPUs, an offer only rented as an 8-GPU unit, an unavailable
and a stale offer, a workload that needs more GPU-hours than the month has, MoE under load,
a model no API sells, an API listed as unavailable (shown, never chosen), a reader with no GPU
of their own. Node's built-in test runner checks
static/js/calculator.js against both (tests/js/calculator.test.mjs), and its formatters against
formatting.py's and the cost chart's on tiny, half-way and large values.
"""

from __future__ import annotations

import datetime as dt
import json
import random
from dataclasses import asdict, replace
from pathlib import Path

import pytest

from spanvero_site.core import formatting
from spanvero_site.core.diagnostics import Diagnostics
from spanvero_site.data import costs
from spanvero_site.data.catalog import Catalog, load_catalog
from spanvero_site.data.prices import load_prices
from spanvero_site.data.records import (
    ApiPrice,
    Checkpoint,
    Electricity,
    HardwarePrice,
    Observation,
    Prices,
    RentalPrice,
)
from spanvero_site.sections.calculator import chart
from spanvero_site.sections.calculator import views as calculator_views
from tests.conftest import REPO, SHIPPED_DAY, run_node_test
from tests.unit.test_costs import DAY, DEEPSEEK_V3, LLAMA_8B, MAC_64, MIXTRAL, RTX_4090, model

TODAY = SHIPPED_DAY  # the shipped data is measured against its own newest day
VOLUMES = (0.001, 1.0, 20.0, 750.0, 250_000.0)
# calculator.js's formatters (calculator.format) and the Python each mirrors.
FORMATTERS = {
    "gib": formatting.gib,
    "usd": formatting.usd,
    "money": formatting.money,
    "amount": formatting.amount,
    "plain": formatting.plain,  # the address a scenario is shared by (inputs.param_text)
    "volumeLabel": chart.volume_label,
    "moneyLabel": chart.money_label,
}
# Zeros of both signs, values below every formatter's last decimal (which must not read as
# zero, tests/unit/test_formatting.py), halves at each rounding, and large values.
FORMAT_VALUES = (
    *(0.0, -0.0, 1e-12, 1e-9, 1.5e-7, 1e-5, 0.00004, 0.004, 0.0049, 0.005, 0.0499999, 0.049),
    *(0.05, 0.125, 0.25, 2.25, 9.95, 9.96, 9.9999, 99.995, 99.96, 100.0, 1234.5, 999.9999),
    *(1000.0, 1500.0, 123_456.789, 250_000.0, 1e7, 2.5e9),
)
# Where Python's repr (below 1e-4, from 1e16) and JavaScript's String (below 1e-6, from 1e21)
# switch to an exponent, which `plain` must write out in full alike.
PLAIN_VALUES = (*FORMAT_VALUES, 1e-7, 1.25e-7, 0.1, 0.3, 1 / 3, 1e16, 1.5e21, 2.5e22, -2.5e-8)


def shipped_data() -> tuple[Catalog, Prices]:
    diags = Diagnostics()
    catalog = load_catalog(REPO, diags, TODAY, 365)
    prices = load_prices(REPO, diags, catalog.gpus.keys(), catalog.models.keys(), TODAY, 365)
    assert diags.errors == []
    return catalog, prices


def shipped_scenarios(catalog: Catalog) -> list[tuple[str, costs.Scenario]]:
    rng = random.Random(20261128)
    models, gpus = sorted(catalog.models), sorted(catalog.gpus)
    chosen: list[tuple[str, costs.Scenario]] = [
        ("default", costs.Scenario(model="llama-3-1-8b")),
        ("only output", costs.Scenario(model="llama-3-1-8b", input_mtok=0)),
        ("405B does not fit a 3060", costs.Scenario(model="llama-3-1-405b", gpu="rtx-3060-12gb")),
        ("MLA at full context", costs.Scenario(model="deepseek-v3", context=131072, gpu="mi300x")),
        (
            "MoE always-on",
            costs.Scenario(model="mixtral-8x7b", gpu="h100-sxm", billing="always-on"),
        ),
        ("huge volume", costs.Scenario(model="llama-3-3-70b", input_mtok=5e5, output_mtok=2e5)),
        ("70B 16-bit", costs.Scenario(model="llama-3-3-70b", gpu="h100-sxm", gpus=2)),
        ("no GPU of my own", costs.Scenario(model="llama-3-1-8b", gpus=0, hardware_usd=0)),
    ]
    for index in range(240):
        m = catalog.models[rng.choice(models)]
        scenario = costs.Scenario(
            model=m.id,
            precision=rng.choice(costs.precisions_for(m)),
            input_mtok=rng.choice((0.0, *VOLUMES)),
            output_mtok=rng.choice(VOLUMES),
            # contexts the model reads (the calculator refuses any longer one)
            context=min(rng.choice([1, 512, 8192, 32768, m.context_length]), m.context_length),
            concurrency=rng.choice([1, 1, 4, 32, 256]),
            kv_type=rng.choice(list(costs.KV_BITS)),
            gpu=rng.choice(gpus),
            gpus=rng.choice([0, 1, 1, 2, 4, 8]),
            hours_per_day=rng.choice([0.5, 8.0, 24.0]),
            usd_per_kwh=rng.choice([0.0, 0.1729, 0.45]),
            hardware_usd=rng.choice([0.0, 1599.0, 32000.0]),
            amortization_months=rng.choice([1, 36, 60]),
            tier=rng.choice(["on-demand", "spot"]),
            billing=rng.choice(list(costs.BILLING)),
        )
        chosen.append((f"random {index} {m.id}", scenario))
    return chosen


def _rental(gpu: str, provider: str, usd: float, as_of: dt.date, **kw) -> RentalPrice:
    available = kw.pop("available", True)
    observation = Observation(as_of, (("usd_per_hour", usd),), "https://p", available=available)
    return RentalPrice(gpu, provider, provider.upper(), "on-demand", (observation,), **kw)


def made_up_data() -> tuple[Catalog, Prices]:
    """One of each path: multi-GPU, whole units, unavailable and stale offers (a rental and an
    API), MoE, no API."""
    llama_70b = model(
        id="llama-70b", params_b=70.6, layers=80, attention_heads=64, kv_heads=8, head_dim=128
    )
    deepseek = replace(DEEPSEEK_V3, id="deepseek", checkpoint=Checkpoint("fp8", 688.6, "https://d"))
    mixtral = replace(MIXTRAL, id="mixtral")
    llama_8b = replace(LLAMA_8B, id="llama-8b")
    h100 = replace(
        RTX_4090,
        id="h100",
        name="H100",
        kind="datacenter",
        vram_gib=80,
        bandwidth_gbps=3350,
        power_w=700,
        price=HardwarePrice(240000, "list", DAY, "https://s", "an 8-GPU server", 8),
        tflops_bf16=989.4,
        tflops_fp8=1978.9,
    )
    h200 = replace(h100, id="h200", name="H200", vram_gib=141, bandwidth_gbps=4800, price=None)
    rtx = replace(RTX_4090, price=HardwarePrice(1599, "launch-msrp", DAY, "https://s", "a card"))
    catalog = Catalog(
        models={m.id: m for m in (llama_8b, llama_70b, mixtral, deepseek)},
        gpus={g.id: g for g in (rtx, h100, h200, MAC_64)},
    )
    fresh = dt.date(2026, 11, 1)
    prices = Prices(
        Electricity(0.17, "https://e", fresh),
        (
            _rental("h100", "one", 2.99, fresh),
            _rental("h100", "whole", 2.49, fresh, gpus=8, instance="8x H100"),
            _rental("h200", "one", 3.79, fresh),
            _rental("rtx-4090", "gone", 0.29, fresh, available=False),
            _rental("rtx-4090", "old", 0.19, dt.date(2024, 1, 1), stale=True),
            _rental("rtx-4090", "one", 0.69, fresh),
        ),
        (
            ApiPrice(
                "llama-8b",
                "api",
                "API",
                None,
                (
                    Observation(
                        fresh,
                        (("usd_per_mtok_input", 0.1), ("usd_per_mtok_output", 0.2)),
                        "https://a",
                    ),
                ),
            ),
            ApiPrice(
                "llama-8b",
                "old",
                "OLD",
                None,
                (
                    Observation(
                        dt.date(2024, 1, 1),
                        (("usd_per_mtok_input", 0.005), ("usd_per_mtok_output", 0.005)),
                        "https://o",
                    ),
                ),
                stale=True,
            ),
            ApiPrice(
                "llama-8b",
                "paused",
                "PAUSED",
                None,
                (
                    Observation(
                        fresh,
                        (("usd_per_mtok_input", 0.01), ("usd_per_mtok_output", 0.01)),
                        "https://p",
                        available=False,
                    ),
                ),
            ),
        ),
    )
    return catalog, prices


def made_up_scenarios() -> list[tuple[str, costs.Scenario]]:
    s = costs.Scenario
    return [
        ("8B on your 4090, cheapest rental is not the unavailable one", s(model="llama-8b")),
        ("70B 16-bit needs 2 H100s", s(model="llama-70b", gpu="h100", gpus=1)),
        ("70B 16-bit on your 2 H100s", s(model="llama-70b", gpu="h100", gpus=2)),
        ("DeepSeek FP8 release on 8 H200s", s(model="deepseek", precision="fp8", gpu="h200")),
        ("more GPU-hours than the month has", s(model="llama-70b", output_mtok=2000)),
        ("your 4090 cannot keep up", s(model="llama-8b", output_mtok=500, hours_per_day=1)),
        ("MoE batched touches more experts", s(model="mixtral", concurrency=64, gpu="h100")),
        (
            "1,024 short requests are bound by compute",
            s(model="llama-8b", concurrency=1024, context=128, gpu="h100", output_mtok=5000),
        ),
        (
            "FP8 on FP8 tensor cores",
            s(model="llama-8b", precision="fp8", concurrency=1024, context=128, gpu="h100"),
        ),
        ("no API sells this model", s(model="mixtral", gpu="h100", billing="always-on")),
        ("no GPU of your own", s(model="llama-8b", gpus=0, hardware_usd=0)),
        ("a Mac is not combined", s(model="llama-70b", gpu="mac", gpus=2)),
        ("one Mac holds it, two are not combined", s(model="llama-8b", gpu="mac", gpus=2)),
        (
            "a Mac that holds it is no split",
            s(model="mixtral", gpu="mac", gpus=4, precision="q4_k_m"),
        ),
        (
            "thousands of GPUs would keep up",
            s(model="llama-8b", output_mtok=1e6, hours_per_day=0.1),
        ),
        ("always on", s(model="llama-8b", billing="always-on", output_mtok=500)),
        ("yours has no listed price", s(model="llama-8b", gpu="h200", hardware_usd=0)),
    ]


def write_vectors(
    path: Path, catalog: Catalog, prices: Prices, scenarios: list[tuple[str, costs.Scenario]]
) -> int:
    offers = costs.offers(prices.rental)
    view = calculator_views.catalog_api_view(catalog, prices)
    vectors = []
    for label, scenario in scenarios:
        result = calculator_views.compare(scenario, catalog, offers, prices)
        vectors.append(
            {
                "label": label,
                "scenario": asdict(scenario),
                "result": result,
                "presented": calculator_views.present(result, scenario, view),
            }
        )
    defaults = costs.Scenario(model=next(iter(catalog.models)), gpu=next(iter(catalog.gpus)))
    data = calculator_views.calculator_data(catalog, prices, offers, defaults)
    formats = {}
    for name, show in FORMATTERS.items():
        values = PLAIN_VALUES if name == "plain" else FORMAT_VALUES
        formats[name] = {"values": values, "texts": [show(v) for v in values]}
    path.write_text(
        json.dumps({"data": data, "vectors": vectors, "formats": formats}), encoding="utf-8"
    )
    return len(vectors) + len(formats)


@pytest.mark.slow  # runs node
def test_calculator_js_agrees_with_costs_py_on_the_shipped_data(tmp_path: Path) -> None:
    catalog, prices = shipped_data()
    vectors = tmp_path / "vectors.json"
    count = write_vectors(vectors, catalog, prices, shipped_scenarios(catalog))
    assert count >= 200
    assert f"# pass {count}" in run_node_test("calculator.test.mjs", vectors)


@pytest.mark.slow  # runs node
def test_calculator_js_agrees_with_costs_py_on_every_named_path(tmp_path: Path) -> None:
    catalog, prices = made_up_data()
    vectors = tmp_path / "vectors.json"
    count = write_vectors(vectors, catalog, prices, made_up_scenarios())
    assert f"# pass {count}" in run_node_test("calculator.test.mjs", vectors)
