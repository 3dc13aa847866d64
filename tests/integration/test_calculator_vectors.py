"""Shared test vectors: costs.py computes varied scenarios, calculator.js must agree on each.

The vectors cover every model (MoE, MLA and sliding-window among them), every GPU, both rental
tiers and billing modes, zero and huge volumes, and workloads that do not fit. Node's built-in
test runner checks static/js/calculator.js against them (tests/js/calculator.test.mjs).
"""

from __future__ import annotations

import datetime as dt
import json
import random
from dataclasses import asdict
from pathlib import Path

import pytest

from spanvero_site.core.diagnostics import Diagnostics
from spanvero_site.data import costs
from spanvero_site.data.catalog import load_catalog
from spanvero_site.data.prices import load_prices
from spanvero_site.sections.calculator import views as calculator_views
from tests.conftest import REPO, run_node_test

TODAY = dt.date(2026, 11, 28)
VOLUMES = (0.0, 0.001, 1.0, 20.0, 750.0, 250_000.0)


def shipped_data():
    diags = Diagnostics()
    catalog = load_catalog(REPO, diags, TODAY, 365)
    prices = load_prices(REPO, diags, catalog.gpus.keys(), catalog.models.keys(), TODAY, 365)
    assert diags.errors == []
    return catalog, prices


def scenarios(catalog) -> list[tuple[str, costs.Scenario]]:
    rng = random.Random(20261128)
    models, gpus = sorted(catalog.models), sorted(catalog.gpus)
    chosen: list[tuple[str, costs.Scenario]] = [
        ("default", costs.Scenario(model="llama-3-1-8b")),
        ("zero tokens", costs.Scenario(model="llama-3-1-8b", input_mtok=0, output_mtok=0)),
        ("only input", costs.Scenario(model="llama-3-1-8b", output_mtok=0)),
        ("405B does not fit a 3060", costs.Scenario(model="llama-3-1-405b", gpu="rtx-3060-12gb")),
        ("MLA at full context", costs.Scenario(model="deepseek-v3", context=131072, gpu="mi300x")),
        (
            "MoE always-on",
            costs.Scenario(model="mixtral-8x7b", gpu="h100-sxm", billing="always-on"),
        ),
        ("huge volume", costs.Scenario(model="llama-3-3-70b", input_mtok=5e5, output_mtok=2e5)),
    ]
    for index in range(240):
        model = catalog.models[rng.choice(models)]
        scenario = costs.Scenario(
            model=model.id,
            precision=rng.choice(list(costs.PRECISIONS)),
            input_mtok=rng.choice(VOLUMES),
            output_mtok=rng.choice(VOLUMES),
            context=rng.choice([1, 512, 8192, 32768, model.context_length]),
            concurrency=rng.choice([1, 1, 4, 32, 256]),
            kv_type=rng.choice(list(costs.KV_BITS)),
            gpu=rng.choice(gpus),
            hours_per_day=rng.choice([0.5, 8.0, 24.0]),
            usd_per_kwh=rng.choice([0.0, 0.1729, 0.45]),
            hardware_usd=rng.choice([0.0, 1599.0, 32000.0]),
            amortization_months=rng.choice([1, 36, 60]),
            tier=rng.choice(["on-demand", "spot"]),
            billing=rng.choice(list(costs.BILLING)),
        )
        chosen.append((f"random {index} {model.id}", scenario))
    return chosen


def write_vectors(path: Path) -> int:
    catalog, prices = shipped_data()
    names = {
        **{g.id: g.name for g in catalog.gpus.values()},
        **{p.provider: p.provider_name for p in (*prices.rental, *prices.api)},
    }
    vectors = []
    for label, scenario in scenarios(catalog):
        result = calculator_views.compare(scenario, catalog, prices)
        serving = {
            p.provider: p.serving for p in prices.api if p.model == scenario.model and p.serving
        }
        vectors.append(
            {
                "label": label,
                "scenario": asdict(scenario),
                "result": result,
                "presented": calculator_views.present(result, scenario, names, serving),
            }
        )
    defaults = calculator_views.default_scenario(catalog, prices)
    data = calculator_views.calculator_data(catalog, prices, defaults)
    path.write_text(json.dumps({"data": data, "vectors": vectors}), encoding="utf-8")
    return len(vectors)


@pytest.mark.slow  # runs node
def test_calculator_js_agrees_with_costs_py_on_every_vector(tmp_path: Path) -> None:
    vectors = tmp_path / "vectors.json"
    count = write_vectors(vectors)
    assert count >= 200
    assert f"# pass {count + 1}" in run_node_test("calculator.test.mjs", vectors)
