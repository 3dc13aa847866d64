"""Every figure stated for a model is at a context the model can read, and every link into the
calculator opens a scenario the calculator's own rules accept.

Phi-3-mini-4k (4,096 tokens) was once sized at the site's 8K on its page and in /models/, and its
"Compare the cost" link opened the calculator at 8,192 tokens, which the calculator refuses. The
formulas now refuse such a context (costs.ContextTooLong), and these tests check the shipped
catalogue, the built pages and every link into the calculator, for every model.
"""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest

from spanvero_site.core.charts import Chart, ChartProblem
from spanvero_site.data import costs
from spanvero_site.sections.calculator import inputs
from spanvero_site.sections.calculator.figures import CostFigure
from spanvero_site.sections.models import views
from tests.integration.test_advisor_vectors import shipped, shipped_defaults

CALCULATOR_LINK = re.compile(r'href="(/calculator/\?[^"#]*)"')
# The sentences of a model page that state the context its figures are at.
STATED = (
    re.compile(r"needs about [\d.,]+ GiB with an? ([\d,]+[KM]?) context"),
    re.compile(r"KV cache for one ([\d,]+[KM]?)-token sequence"),
    re.compile(r">Total at ([\d,]+[KM]?)<"),
    re.compile(r"(?:bytes read per token[^)]*\), at|even at 4-bit with) an? ([\d,]+[KM]?) context"),
)


def tokens(text: str) -> int:
    unit = {"K": 1024, "M": 1024 * 1024}.get(text[-1], 1)
    return int(text.rstrip("KM").replace(",", "")) * unit


def test_a_context_longer_than_the_model_reads_is_refused_by_the_formulas() -> None:
    _, catalog, _, _ = shipped()
    phi = catalog.models["phi-3-mini"]
    assert costs.standard_context(phi) == 4096
    assert costs.standard_context(catalog.models["llama-3-1-8b"]) == costs.DEFAULT_CONTEXT
    with pytest.raises(costs.ContextTooLong, match="phi-3-mini reads at most 4096 tokens, not 8"):
        costs.memory_need(phi, "q4_k_m", 8192)
    # left out, the context is the model's standard one
    assert costs.memory_need(phi, "q4_k_m") == costs.memory_need(phi, "q4_k_m", 4096)


def test_every_model_page_states_its_figures_at_a_context_the_model_reads(
    shipped_site: Path,
) -> None:
    _, catalog, _, _ = shipped()
    for model in catalog.models.values():
        text = (shipped_site / "models" / model.id / "index.html").read_text()
        expected = costs.standard_context(model)
        for pattern in STATED:
            stated = [tokens(found) for found in pattern.findall(text)]
            assert stated, (model.id, pattern.pattern)
            assert set(stated) == {expected}, (model.id, pattern.pattern)
        assert expected <= model.context_length
        if expected < costs.DEFAULT_CONTEXT:
            assert "(the longest it reads;" in text, model.id


def test_the_catalog_says_which_models_are_sized_at_a_shorter_context(shipped_site: Path) -> None:
    _, catalog, _, _ = shipped()
    index = (shipped_site / "models" / "index.html").read_text()
    rows = re.findall(r"<tr data-params=.*?</tr>", index, re.DOTALL)
    assert len(rows) == len(catalog.models)
    for model in catalog.models.values():
        [row] = [r for r in rows if f'href="/models/{model.id}/"' in r]
        context = costs.standard_context(model)
        shown = re.findall(r'<span class="unit">\(at ([\d,]+[KM]?)\)</span>', row)
        assert [tokens(s) for s in shown] == ([context] * 2 if context < 8192 else []), model.id
        q4 = float(re.search(r'data-q4="([\d.]+)"', row).group(1))  # type: ignore[union-attr]
        assert q4 == round(costs.memory_need(model, "q4_k_m", context).total_gib, 3)


def test_every_models_calculator_link_is_one_the_calculator_accepts() -> None:
    _, catalog, prices, _ = shipped()
    defaults = shipped_defaults(catalog, prices)
    for model in catalog.models.values():
        link = views.calculator_link(model)
        assert inputs.link_problems(link, catalog, defaults) == [], model.id
    assert views.calculator_link(catalog.models["phi-3-mini"]).endswith("&ctx=4096")


def test_every_calculator_link_on_the_built_site_is_one_the_calculator_accepts(
    shipped_site: Path,
) -> None:
    """Model pages, explainers (hand-written links and figures' links) and the advisor's pages."""
    _, catalog, prices, _ = shipped()
    defaults = shipped_defaults(catalog, prices)
    checked = set()
    for page in sorted(shipped_site.rglob("*.html")):
        for link in CALCULATOR_LINK.findall(page.read_text()):
            link = html.unescape(link)
            problems = inputs.link_problems(link, catalog, defaults)
            assert problems == [], (page.relative_to(shipped_site).as_posix(), link)
            checked.add(link)
    models = {m for link in checked for m in re.findall(r"model=([\w-]+)", link)}
    assert models >= set(catalog.models), "every model page links into the calculator"


def test_a_link_the_calculator_would_refuse_is_found() -> None:
    _, catalog, prices, _ = shipped()
    defaults = shipped_defaults(catalog, prices)
    assert inputs.link_problems("/calculator/?model=phi-3-mini", catalog, defaults) == [
        "the default context must be at most 4,096, the longest Phi-3-mini-4k-instruct reads, "
        "not 8192"
    ]
    assert inputs.link_problems(
        "/calculator/?model=phi-3-mini&ctx=8192&conc=1.5&gpu=h100-sxm&out=0&x=1", catalog, defaults
    ) == [
        "the calculator has no input 'x'",
        "context must be at most 4,096, the longest Phi-3-mini-4k-instruct reads, not 8192",
        "concurrency must be a whole number, not '1.5'",
        "the calculator offers no 'h100-sxm' as the reader's own GPU",
        "output_mtok must be above 0: costs are per output token",
    ]


def test_an_explainers_cost_figure_is_held_to_the_models_context() -> None:
    _, catalog, prices, _ = shipped()
    draw = CostFigure(catalog, prices, costs.offers(prices.rental), "rtx-4090")
    problems = draw({"model": "phi-3-mini", "context": 8192}, "figure-1")
    assert problems == (
        ChartProblem(
            "context",
            "context must be at most 4,096, the longest Phi-3-mini-4k-instruct reads, not 8192",
            "use 4096 or less, or leave it out for 4096",
        ),
    )
    chart = draw({"model": "phi-3-mini"}, "figure-1")  # left out: the model's own maximum
    assert isinstance(chart, Chart)
    assert chart.link[0] == "/calculator/?model=phi-3-mini&ctx=4096"
