"""Charts as static SVG: line charts and sparklines drawn at build time, CSP-safe and accessible.

Our own small module rather than a charting library: the Python ones we could use write inline
`style` attributes or `<style>`/`<script>` elements (refused by `default-src 'self'`), fix their
colours (no dark theme) or are far larger than the page budget. Here every colour comes from a
class in site.css, the SVG carries a <title> and <desc>, and `static/js/charts.js` draws the same
geometry in the browser, so a chart redrawn for new inputs looks exactly like the built one.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from html import escape
from typing import Any

from markupsafe import Markup

WIDTH, HEIGHT = 640, 300
MARGIN_LEFT, MARGIN_RIGHT, MARGIN_TOP, MARGIN_BOTTOM = 64, 16, 16, 44


@dataclass(frozen=True)
class Series:
    """One line: `key` names its colour class (`series-<key>`), `label` its legend text."""

    key: str
    label: str
    points: tuple[tuple[float, float], ...]


@dataclass(frozen=True)
class Marker:
    """A labelled point on the chart, such as a break-even volume."""

    x: float
    y: float
    label: str


@dataclass(frozen=True)
class Level:
    """A labelled horizontal line, such as a GPU's memory."""

    y: float
    label: str


def nice_ticks(low: float, high: float, count: int = 5) -> list[float]:
    """Round tick values covering [low, high]: steps of 1, 2 or 5 times a power of ten."""
    if high <= low:
        high = low + 1
    raw = (high - low) / max(count, 1)
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 5, 10) if m * power >= raw)
    first = math.floor(low / step) * step
    ticks = []
    value = first
    while value <= high + step * 1e-9:
        ticks.append(round(value, 10))
        value += step
    if ticks[-1] < high:
        ticks.append(round(ticks[-1] + step, 10))
    return ticks


def log_ticks(low: float, high: float) -> list[float]:
    """Powers of ten covering [low, high] (both > 0)."""
    first = math.floor(math.log10(low))
    last = math.ceil(math.log10(high))
    return [10.0**e for e in range(first, last + 1)]


def _n(value: float) -> str:
    """A coordinate with at most one decimal, as short as it can be."""
    text = f"{value:.1f}"
    return text[:-2] if text.endswith(".0") else text


def line_chart(
    *,
    chart_id: str,
    title: str,
    desc: str,
    series: Sequence[Series],
    x_label: str,
    y_label: str,
    x_format: Callable[[float], str],
    y_format: Callable[[float], str],
    markers: Sequence[Marker] = (),
    levels: Sequence[Level] = (),
    log_x: bool = False,
    x_ticks: Sequence[float] = (),
) -> Markup:
    """An SVG line chart with axes, gridlines, a legend, and labelled markers and levels.

    `x_ticks` replaces the automatic ticks (powers of ten on a log axis), e.g. powers of two.
    With no points at all the chart is empty markup, so a page still builds."""
    xs = [x for s in series for x, _ in s.points] + [m.x for m in markers]
    ys = [y for s in series for _, y in s.points] + [m.y for m in markers] + [lv.y for lv in levels]
    if not xs and not x_ticks:
        return Markup("")  # nothing to draw (no option can run this scenario): no chart at all
    if not x_ticks:
        x_ticks = log_ticks(min(xs), max(xs)) if log_x else nice_ticks(min(xs), max(xs))
    y_ticks = nice_ticks(0, max(ys) if ys else 1)
    x_low, x_high = x_ticks[0], x_ticks[-1]
    y_high = y_ticks[-1]
    plot_w = WIDTH - MARGIN_LEFT - MARGIN_RIGHT
    plot_h = HEIGHT - MARGIN_TOP - MARGIN_BOTTOM

    def sx(x: float) -> float:
        if log_x:
            span = math.log10(x_high) - math.log10(x_low)
            return MARGIN_LEFT + (math.log10(x) - math.log10(x_low)) / span * plot_w
        return MARGIN_LEFT + (x - x_low) / (x_high - x_low) * plot_w

    def sy(y: float) -> float:
        return MARGIN_TOP + plot_h - min(y, y_high) / y_high * plot_h

    title_id, desc_id = f"{chart_id}-title", f"{chart_id}-desc"
    parts = [
        f'<svg class="chart" id="{chart_id}" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
        f'aria-labelledby="{title_id} {desc_id}">',
        f'<title id="{title_id}">{escape(title)}</title>',
        f'<desc id="{desc_id}">{escape(desc)}</desc>',
        '<g class="grid" aria-hidden="true">',
    ]
    bottom = MARGIN_TOP + plot_h
    for y in y_ticks:
        tick_y = _n(sy(y))
        parts.append(
            f'<line x1="{MARGIN_LEFT}" x2="{WIDTH - MARGIN_RIGHT}" y1="{tick_y}" y2="{tick_y}"/>'
            f'<text class="tick" x="{MARGIN_LEFT - 6}" y="{_n(sy(y) + 4)}" text-anchor="end">'
            f"{escape(y_format(y))}</text>"
        )
    for x in x_ticks:
        parts.append(
            f'<line x1="{_n(sx(x))}" x2="{_n(sx(x))}" y1="{MARGIN_TOP}" y2="{bottom}"/>'
            f'<text class="tick" x="{_n(sx(x))}" y="{bottom + 16}" text-anchor="middle">'
            f"{escape(x_format(x))}</text>"
        )
    parts.append(
        f'<text class="axis-label" x="{MARGIN_LEFT + plot_w / 2:.0f}" y="{HEIGHT - 6}" '
        f'text-anchor="middle">{escape(x_label)}</text>'
        f'<text class="axis-label" x="12" y="{MARGIN_TOP + plot_h / 2:.0f}" text-anchor="middle" '
        f'transform="rotate(-90 12 {MARGIN_TOP + plot_h / 2:.0f})">{escape(y_label)}</text>'
        "</g>"
    )
    for level in levels:
        level_y = _n(sy(level.y))
        parts.append(
            f'<g class="level" aria-hidden="true"><line x1="{MARGIN_LEFT}" '
            f'x2="{WIDTH - MARGIN_RIGHT}" y1="{level_y}" y2="{level_y}"/>'
            f'<text x="{WIDTH - MARGIN_RIGHT - 4}" y="{_n(sy(level.y) - 4)}" text-anchor="end">'
            f"{escape(level.label)}</text></g>"
        )
    for s in series:
        points = " ".join(f"{_n(sx(x))},{_n(sy(y))}" for x, y in s.points)
        parts.append(
            f'<polyline class="line series-{s.key}" points="{points}" aria-hidden="true"/>'
        )
    for m in markers:
        parts.append(
            f'<g class="marker" aria-hidden="true"><circle cx="{_n(sx(m.x))}" cy="{_n(sy(m.y))}" '
            f'r="5"/><text x="{_n(sx(m.x))}" y="{_n(sy(m.y) - 10)}" text-anchor="middle">'
            f"{escape(m.label)}</text></g>"
        )
    parts.append("</svg>")
    legend = "".join(
        f'<li><span class="swatch series-{s.key}"></span>{escape(s.label)}</li>' for s in series
    )
    return Markup(  # safe: every text above is escaped
        "".join(parts) + f'<ul class="legend" aria-hidden="true">{legend}</ul>'
    )


def sparkline(values: Sequence[float], label: str, width: int = 96, height: int = 24) -> Markup:
    """A small line of a price's history, oldest to newest, with a dot on the current value.

    `label` states every dated value: it is the line's accessible name, and as its <title> a
    pointer shows it too."""
    low, high = min(values), max(values)
    span = high - low or 1.0
    step = (width - 6) / max(len(values) - 1, 1)

    def y(v: float) -> float:
        return height - 3 - (v - low) / span * (height - 6) if high > low else height / 2

    points = " ".join(f"{_n(3 + i * step)},{_n(y(v))}" for i, v in enumerate(values))
    last_x = 3 + (len(values) - 1) * step
    return Markup(  # safe: the label is escaped, the rest are numbers
        f'<svg class="spark" viewBox="0 0 {width} {height}" role="img">'
        f"<title>{escape(label)}</title>"
        f'<polyline points="{points}"/><circle cx="{_n(last_x)}" cy="{_n(y(values[-1]))}" r="2.5"/>'
        "</svg>"
    )


@dataclass(frozen=True)
class Chart:
    """A chart drawn for a page's figure: the SVG with its legend, and its numbers as a table.

    `rows` hold finished text, the first cell of each naming the row; `link` is (URL, text) of
    a page where the reader can change the chart's inputs, or None."""

    svg: Markup
    caption: str
    table_caption: str
    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    link: tuple[str, str] | None = None


@dataclass(frozen=True)
class ChartProblem:
    """Why a chart request cannot be drawn: the key at fault (or "") and a message and hint;
    or, with `waits_on`, the failed source (reported there) it cannot be checked without."""

    key: str
    message: str
    hint: str
    waits_on: str = ""


# Draws one named chart from a request's values (keys other than `chart` and `caption`), with
# `chart_id` for the ids inside it; or says what is wrong with the request (only what it waits
# on, when it names a source that failed to load). A section offers its drawers
# in `Loaded.charts`; the section whose page holds the figure calls them.
ChartDrawer = Callable[[Mapping[str, Any], str], Chart | tuple[ChartProblem, ...]]


NUM = ' class="num"'


def figure_html(chart: Chart, chart_id: str, caption: str, base_path: str) -> str:
    """A drawn chart as a page figure: the SVG, a caption, and the numbers behind it in a table.

    `caption` replaces the chart's own when given; the link is made absolute under `base_path`.
    """
    text = escape(caption or chart.caption)
    if chart.link:
        url, label = chart.link
        href = base_path.rstrip("/") + url if url.startswith("/") else url
        text += f' <a href="{escape(href)}">{escape(label)}</a>'
    head = "".join(
        f'<th scope="col"{NUM if i else ""}>{escape(c)}</th>' for i, c in enumerate(chart.columns)
    )
    body = "".join(
        f'<tr><th scope="row" class="num">{escape(row[0])}</th>'
        + "".join(f'<td class="num">{escape(cell)}</td>' for cell in row[1:])
        + "</tr>\n"
        for row in chart.rows
    )
    caption_id = f"{chart_id}-numbers"
    return (
        f'<figure class="chart-figure">\n{chart.svg}\n<figcaption>{text}</figcaption>\n'
        '</figure>\n<details class="chart-numbers" data-search-ignore>\n'
        "<summary>The numbers behind the chart</summary>\n"
        f'<div class="table-wrap" tabindex="0" role="region" aria-labelledby="{caption_id}">\n'
        f'<table>\n<caption id="{caption_id}">{escape(chart.table_caption)}</caption>\n'
        f"<thead><tr>{head}</tr></thead>\n<tbody>\n{body}</tbody>\n</table>\n</div>\n"
        "</details>\n"
    )
