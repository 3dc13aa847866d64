"""Figures in explainers: each ```figure block drawn by the chart it names, or reported at its line.

A figure block is a small YAML mapping: `chart:` names one of the charts the site's sections
offer (`Loaded.charts`), an optional `caption:` replaces the chart's own, and every other key
is the chart's input, checked by the chart itself. A block that names no known chart is E311;
a bad input (an unknown model or GPU id, a value out of range) is E312, at the input's line.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from spanvero_site.core.charts import ChartDrawer, ChartProblem, figure_html
from spanvero_site.core.diagnostics import Diagnostics, did_you_mean, excerpt
from spanvero_site.core.markdown import fill_figures
from spanvero_site.core.pages import FigureBlock, Page, Rendered
from spanvero_site.core.section import SiteState
from spanvero_site.core.yamlsource import Positions, YamlError, load

_OWN_KEYS = ("chart", "caption")
_EXAMPLE = "chart: cost-vs-volume"


def draw_figures(
    page: Page,
    rendered: Rendered,
    charts: Mapping[str, ChartDrawer],
    base_path: str,
    diags: Diagnostics | None,
) -> str | None:
    """The page's body HTML with every figure drawn, or None when one cannot be drawn (each
    problem reported to `diags` when given)."""
    if not rendered.figures:
        return rendered.html
    drawn = []
    problems = Diagnostics()
    for index, block in enumerate(rendered.figures):
        html = _draw(block, f"figure--{index + 1}", page.source, charts, base_path, problems)
        drawn.append(html or "")
    if problems.items:
        if diags is not None:
            diags.extend(problems.items)
        return None
    return fill_figures(rendered.html, drawn)


def report_undrawn(site: SiteState, drawn: frozenset[str], diags: Diagnostics) -> None:
    """Report a figure block in any other Markdown (the calculator's intro, a model's notes).

    Only explainers and the home page draw figures; anywhere else the block would leave an
    empty slot on the page without a word, so it is E311 at the block's line instead."""
    bodies = [(p.id, p.source) for p in site.graph.pages.values() if p.id not in drawn]
    bodies += [(d.key, d.source) for d in site.documents]
    for key, source in bodies:
        rendered = site.rendered.get(key)
        for block in rendered.figures if rendered else ():
            diags.error(
                "E311",
                "a figure block is drawn only in an explainer or the home page",
                source,
                block.line,
                1,
                "put the figure in an explainer and link to it from here",
            )


def _draw(
    block: FigureBlock,
    chart_id: str,
    source: str,
    charts: Mapping[str, ChartDrawer],
    base_path: str,
    diags: Diagnostics,
) -> str | None:
    try:
        request = load(block.text, aliases=False, line_offset=block.line)
    except YamlError as exc:
        diags.error(
            "E311", f"figure block: {exc.message}", source, block.line + exc.line, exc.col, exc.hint
        )
        return None
    if not isinstance(request, dict) or "chart" not in request:
        diags.error(
            "E311",
            "a figure block must name its chart",
            source,
            block.line,
            1,
            f"start the block with `{_EXAMPLE}`" + _offered(charts),
        )
        return None
    positions = Positions(block.text, line_offset=block.line)
    name = request["chart"]
    draw = charts.get(name) if isinstance(name, str) else None
    if draw is None:
        line, col = positions.locate(("chart",))
        hint = did_you_mean(str(name), charts) or _offered(charts).lstrip("; ")
        diags.error("E311", f"unknown chart '{excerpt(name, 40)}'", source, line, col, hint)
        return None
    caption = request.get("caption", "")
    if not isinstance(caption, str):
        line, col = positions.locate(("caption",))
        diags.error(
            "E312", "caption must be text", source, line, col, "write the caption in quotes"
        )
        return None
    inputs: dict[str, Any] = {k: v for k, v in request.items() if k not in _OWN_KEYS}
    chart = draw(inputs, chart_id)
    if isinstance(chart, tuple):
        for problem in chart:
            _report(problem, name, positions, block, source, diags)
        return None
    return figure_html(chart, chart_id, caption, base_path)


def _report(
    problem: ChartProblem,
    chart: str,
    positions: Positions,
    block: FigureBlock,
    source: str,
    diags: Diagnostics,
) -> None:
    line, col = positions.locate((problem.key,)) if problem.key else (block.line, 1)
    if problem.waits_on:
        diags.unchecked(problem.waits_on, f"{chart} figure, {problem.message}", source, line, col)
    else:
        diags.error("E312", f"{chart} figure: {problem.message}", source, line, col, problem.hint)


def _offered(charts: Mapping[str, ChartDrawer]) -> str:
    if not charts:
        return "; this site draws no charts"
    return "; charts: " + ", ".join(sorted(charts))
