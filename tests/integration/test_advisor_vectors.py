"""The advisor's walker in JavaScript and the Python build agree on every complete answer set."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from spanvero_site.core.config import load_config
from spanvero_site.core.diagnostics import Diagnostics
from spanvero_site.data.catalog import load_catalog
from spanvero_site.data.prices import load_prices
from spanvero_site.sections.advisor import engine
from spanvero_site.sections.advisor.data import load_advisor
from spanvero_site.sections.advisor.engine import states
from spanvero_site.sections.advisor.views import client_data, names, present
from spanvero_site.sections.calculator.views import default_scenario
from spanvero_site.sections.learn.loader import load_pages
from tests.conftest import REPO, SHIPPED_DAY, run_node_test

TODAY = SHIPPED_DAY  # the shipped data is measured against its own newest day


def shipped():
    diags = Diagnostics()
    catalog = load_catalog(REPO, diags, TODAY, 365)
    prices = load_prices(REPO, diags, catalog.gpus.keys(), catalog.models.keys(), TODAY, 365)
    advisor = load_advisor(REPO, diags, catalog.gpus.keys())
    config = load_config(REPO, diags)
    assert config is not None and advisor is not None
    pages = load_pages(REPO, config, diags, TODAY).pages
    titles = {p.id: p.title for p in pages if p.kind == "explainer"}
    assert diags.errors == []
    return advisor, catalog, prices, titles


def shipped_defaults(catalog, prices):
    """The calculator's default scenario from the shipped site.yaml."""
    config = load_config(REPO, Diagnostics())
    assert config is not None
    model, gpu = (config.setting("calculator", k) for k in ("default_model", "default_gpu"))
    assert model is not None and gpu is not None
    return default_scenario(catalog, prices, model.value, gpu.value)


@pytest.mark.slow  # runs node
def test_advisor_js_agrees_with_python_on_every_answer_set(tmp_path: Path) -> None:
    advisor, catalog, prices, titles = shipped()
    display = names(catalog, prices)
    vectors = []
    for answers in states(advisor):
        if engine.next_question(advisor, answers) is not None:
            continue
        rec = engine.recommend(advisor, answers, catalog, prices)
        vectors.append(
            {"answers": answers, "recommendation": rec, "presented": present(rec, display, titles)}
        )
    assert len(vectors) > 1000  # every complete path through the questions
    path = tmp_path / "vectors.json"
    data = client_data(advisor, catalog, prices, titles, shipped_defaults(catalog, prices))
    path.write_text(json.dumps({"data": data, "vectors": vectors}), encoding="utf-8")
    assert "# pass 2" in run_node_test("advisor.test.mjs", path)
