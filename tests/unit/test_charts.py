"""SVG charts: round ticks, CSP-safe markup, titles and descriptions, escaped labels."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from spanvero_site.core.charts import (
    Level,
    Marker,
    Series,
    line_chart,
    log_ticks,
    nice_ticks,
    sparkline,
)


def test_nice_ticks_are_round_and_cover_the_range() -> None:
    assert nice_ticks(0, 95) == [0, 20, 40, 60, 80, 100]
    assert nice_ticks(0, 0.9) == [0, 0.2, 0.4, 0.6, 0.8, 1.0]
    assert log_ticks(0.3, 4000) == [0.1, 1, 10, 100, 1000, 10000]


def chart() -> str:
    return str(
        line_chart(
            chart_id="cost",
            title="Monthly cost <by volume>",
            desc="Own GPU flat, API rising",
            series=[
                Series("local", "Your GPU", ((1, 50), (10, 52), (100, 70))),
                Series("api", "API & co", ((1, 2), (10, 20), (100, 200))),
            ],
            x_label="Million tokens a month",
            y_label="$ a month",
            x_format=lambda x: f"{x:g}M",
            y_format=lambda y: f"${y:g}",
            markers=[Marker(27, 54, "break-even")],
            levels=[Level(24, "24 GiB")],
            log_x=True,
        )
    )


def test_a_line_chart_is_well_formed_accessible_svg_without_inline_style() -> None:
    svg = chart()
    markup = svg[: svg.index("</svg>") + len("</svg>")]
    root = ET.fromstring(markup)
    assert root.get("role") == "img"
    assert root.get("aria-labelledby") == "cost-title cost-desc"
    assert root.find("title").text == "Monthly cost <by volume>"
    assert root.find("desc").text == "Own GPU flat, API rising"
    assert "style=" not in svg and "<style" not in svg and "<script" not in svg
    assert len(root.findall(".//polyline")) == 2
    assert "API &amp; co" in svg


def test_points_map_onto_the_plot_area() -> None:
    svg = chart()
    points = re.findall(r'class="line series-api" points="([^"]+)"', svg)[0].split()
    xs = [float(p.split(",")[0]) for p in points]
    assert xs == sorted(xs) and xs[0] >= 64 and xs[-1] <= 640 - 16


def test_a_sparkline_labels_its_points() -> None:
    svg = str(sparkline([3.29, 3.49, 2.99], "H100: $3.29, $3.49, $2.99"))
    # its accessible name, and what a pointer shows over it
    assert "<title>H100: $3.29, $3.49, $2.99</title>" in svg and 'role="img"' in svg
    assert svg.count("<polyline") == 1 and "style=" not in svg


def test_a_chart_with_nothing_to_draw_is_empty_not_an_error() -> None:
    """A scenario no option can run has no curves: the page builds without a chart."""
    empty = line_chart(
        chart_id="none",
        title="Monthly cost",
        desc="No option can run this",
        series=[],
        x_label="tokens",
        y_label="USD",
        x_format=str,
        y_format=str,
        log_x=True,
    )
    assert str(empty) == ""
