"""An offer its provider withdrew for good (`ended:`) is offered nowhere, whatever lists offers.

The fixture `retired_offers` adds to the basic site a rental and two APIs that ended, each
cheaper than anything on sale (so a place that still offered them would pick them), one of
them the only API of DeepSeek-V3, and an API only listed as unavailable. The whole build is
searched: their providers may be named only in the price log, in its "No longer offered"
table and in the weeks their prices moved while on sale.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from spanvero_site.cli import main
from tests.conftest import build_layers

ENDED = ("Gone API", "gone-api", "Gone Cloud", "gone-cloud")


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    # --strict: the ended rental's newest observation is over a year old, and not warned
    return build_layers(tmp_path_factory.mktemp("retired"), "basic", "retired_offers")


def text_of(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def words(html: str) -> str:
    """The text of some HTML, tags dropped, white space as single spaces."""
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def test_no_page_outside_the_price_log_names_an_offer_that_ended(built: tuple[Path, Path]) -> None:
    _, out = built
    pages = [p for p in out.rglob("*") if p.is_file() and "static" not in p.parts]
    outside = [p for p in pages if p.relative_to(out).parts[0] != "prices"]
    assert any(p.match("calculator/index.html") for p in outside)
    assert any(p.match("advisor/where/**/index.html") for p in outside)
    naming = {
        str(page.relative_to(out)): named
        for page in outside
        if (named := [name for name in ENDED if name in text_of(page)])
    }
    assert naming == {}


def test_the_calculator_embeds_only_offers_on_sale_and_marks_the_unavailable_one(
    built: tuple[Path, Path],
) -> None:
    _, out = built
    html = text_of(out / "calculator/index.html")
    block = re.search(r'<script type="application/json" id="calc-data">(.*?)</script>', html, re.S)
    assert block is not None
    data = json.loads(block.group(1))
    assert {(o["provider"], o["status"]) for o in data["api"]} == {
        ("api-a", "ok"),
        ("api-b", "ok"),
        ("paused-api", "unavailable"),
    }
    assert "gone-cloud" not in {o["provider"] for o in data["rental"]}
    # The default scenario (Llama 3.1 8B) is priced against what can be bought: API B.
    assert re.findall(r'<p class="summary-option">(.*?)</p>', html) == ["API B (fp8)"]
    assert "Unavailable at the source" in html  # the paused API: shown, never chosen


def test_the_price_log_lists_ended_offers_apart_with_last_price_and_end_day(
    built: tuple[Path, Path],
) -> None:
    _, out = built
    for log, expected in (
        ("prices/index.html", ("Gone API", "Gone Cloud")),
        ("prices/api/index.html", ("Gone API",)),
        ("prices/rental/index.html", ("Gone Cloud",)),
    ):
        html = text_of(out / log)
        current, ended = html.split("current prices</h2>", 1)[1].split('<h2 id="ended">', 1)
        for name in ENDED:
            assert name not in current, f"{log}: {name} among the current prices"
        listed = words(ended.split("</table>")[0])
        assert [name for name in expected if name not in listed] == []
    cells = words(text_of(out / "prices/index.html"))
    assert (
        "Gone API: Llama 3.1 8B API source, checked 2026-11-02 ended "
        "$0.01 input, $0.01 output per 1M tokens 2026-10-20" in cells
    )
    assert (
        "Gone Cloud: NVIDIA H100 SXM (on-demand) source, checked 2025-09-01 ended "
        "$0.99 per GPU-hour 2025-08-15" in cells
    )
    # Its price moves while on sale stay in the weekly log.
    assert "Gone API" in text_of(out / "prices/2026-w36/index.html")


def test_prices_stale_does_not_ask_to_look_up_an_offer_that_ended(
    built: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    site, _ = built
    main(["--root", str(site), "prices", "stale", "--older-than", "10"])
    printed = capsys.readouterr()
    assert "API A" in printed.out + printed.err  # the check ran and lists old offers
    for name in ENDED:
        assert name not in printed.out + printed.err
