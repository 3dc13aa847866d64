"""Charts in explainers: a ```figure block is drawn at build time by the calculator's own chart,
accessible and CSP-safe, the same in every build, and follows edits like any other body."""

from __future__ import annotations

import datetime as dt
import os
import re
from pathlib import Path

from spanvero_site.core.builder import BuildOptions
from spanvero_site.sections.calculator.chart import POINTS
from spanvero_site.site import build, site_builder
from tests.conftest import assemble_site

VRAM = "content/learn/vram-basics.md"
PAGE = "learn/vram-basics/index.html"
OPTIONS = BuildOptions(today=dt.date(2026, 11, 28))


def page_html(site: Path) -> str:
    result = build(site, OPTIONS)
    assert [d.format() for d in result.diagnostics.items] == []
    return {o.path: o.data for o in result.outputs}[PAGE].decode()


def test_a_figure_block_becomes_an_accessible_chart_with_its_numbers(tmp_path: Path) -> None:
    html = page_html(assemble_site(tmp_path / "site", "basic"))
    assert "```" not in html and "chart: cost-vs-volume" not in html and "<!--figure" not in html
    (figure,) = re.findall(r'<figure class="chart-figure">.*?</details>', html, re.S)
    svg = re.search(r'<svg class="chart" id="figure--1"[^>]*>', figure)
    assert svg and 'role="img"' in svg[0]
    assert 'aria-labelledby="figure--1-title figure--1-desc"' in svg[0]
    assert (
        '<title id="figure--1-title">Monthly cost of Llama 3.1 8B against monthly volume' in figure
    )
    assert re.search(r'<desc id="figure--1-desc">Your own GPU from \$\d', figure)
    # the editor's caption, and a link that opens the same scenario in the calculator
    assert "<figcaption>Llama 3.1 8B on an RTX 4090, against renting and the API." in figure
    assert (
        'href="/calculator/?model=llama-3-1-8b&amp;precision=q4_k_m&amp;in=45&amp;out=9'
        '&amp;gpu=rtx-4090"' in figure
    )
    # the numbers behind it: one row per volume the chart draws, named by the table's caption
    table = figure.split('<details class="chart-numbers" data-search-ignore>', 1)[1]
    assert 'aria-labelledby="figure--1-numbers"' in table
    assert len(re.findall(r'<tr><th scope="row"', table)) == POINTS
    assert "style=" not in figure and "<script" not in figure and "<style" not in figure


def test_figures_are_the_same_in_every_build(tmp_path: Path) -> None:
    site = assemble_site(tmp_path / "site", "basic")
    assert page_html(site) == page_html(site)


def test_a_figure_follows_an_edit_to_its_block_and_to_prices(tmp_path: Path) -> None:
    site = assemble_site(tmp_path / "site", "basic")
    builder = site_builder(site, OPTIONS)
    first = {o.path: o.data for o in builder.build().outputs}[PAGE]

    text = (site / VRAM).read_text().replace("output_mtok: 9", "output_mtok: 90")
    (site / VRAM).write_text(text)
    _bump(site / VRAM)
    builder.invalidate([VRAM])
    edited = builder.build()  # the one-body fast path
    fresh = build(site, OPTIONS)
    assert {o.path: o.data for o in edited.outputs} == {o.path: o.data for o in fresh.outputs}
    assert {o.path: o.data for o in edited.outputs}[PAGE] != first

    # a bad input on the fast path: reported like in a full build, nothing written
    (site / VRAM).write_text(text.replace("gpu: rtx-4090", "gpu: rtx4090"))
    _bump(site / VRAM)
    builder.invalidate([VRAM])
    broken = builder.build()
    assert broken.outputs == ()
    assert [d.code for d in broken.diagnostics.items] == ["E312"]


def _bump(path: Path) -> None:
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000))


def test_the_cost_chart_checks_every_input_as_the_calculators_form_does(tmp_path: Path) -> None:
    site = assemble_site(tmp_path / "site", "basic")
    builder = site_builder(site, OPTIONS)
    builder.build()
    state = builder._state
    assert state is not None
    draw = {n: d for part in state.loaded.values() for n, d in part.charts.items()}
    problems = draw["cost-vs-volume"](
        {"model": "llama-3-1-8b", "precision": "q9", "context": 0, "gpus": 3, "output_mtok": 0},
        "figure--1",
    )
    assert isinstance(problems, tuple)
    assert {(p.key, p.message) for p in problems} == {
        ("precision", "unknown precision 'q9'"),
        ("context", "context must be at least 1, not 0"),
        ("gpus", "gpus must be one of 0, 1, 2, 4, 8, not '3'"),
        ("output_mtok", "output_mtok must be above 0: costs are per output token"),
    }
