"""An offer whose newest price is past checks.max_price_age_days is out of date everywhere at once.

The fixture `stale_offers` adds to the basic site a rental and an API last observed over a year
before the tests' day, each cheaper than anything else, so a place that priced them would pick
them. Whether a price is too old is decided once, when prices.yaml is read (W707's rule); this
test reads every place that lists or chooses offers: the warnings, the calculator (its embedded
data, its result without JavaScript and its price tables), the advisor's static pages and the
price log.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from spanvero_site.core.diagnostics import Diagnostics
from spanvero_site.core.options import BuildOptions
from spanvero_site.core.writer import write_site
from spanvero_site.site import build
from tests.conftest import assemble_site

STALE = {"old-cloud": "Old Cloud", "old-api": "Old API"}


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Diagnostics, Path]:
    root = tmp_path_factory.mktemp("stale")
    site = assemble_site(root / "site", "basic", "stale_offers")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOURCE_DATE_EPOCH", "1795824000")  # 2026-11-28, as every test
        result = build(site, BuildOptions())
    assert not result.diagnostics.errors
    out = root / "_site"
    write_site(result.outputs, out)
    return result.diagnostics, out


def words(html: str) -> str:
    """The text a reader sees: scripts and tags dropped, white space as single spaces."""
    html = re.sub(r"<script\b.*?</script>", " ", html, flags=re.S)
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def test_each_stale_offer_is_warned_of(built: tuple[Diagnostics, Path]) -> None:
    diags, _ = built
    warned = [d.message for d in diags.items if d.code == "W707"]
    assert len(warned) == 2
    assert [p for p in STALE if not any(p in message for message in warned)] == []


def test_the_calculator_marks_them_out_of_date_and_never_chooses_them(
    built: tuple[Diagnostics, Path],
) -> None:
    _, out = built
    html = (out / "calculator/index.html").read_text(encoding="utf-8")
    block = re.search(r'<script type="application/json" id="calc-data">(.*?)</script>', html, re.S)
    assert block is not None
    data = json.loads(block.group(1))
    status = {o["provider"]: o["status"] for o in data["rental"] + data["api"]}
    assert {p: status[p] for p in STALE} == {"old-cloud": "stale", "old-api": "stale"}
    assert [p for p, s in status.items() if s != "ok" and p not in STALE] == ["cloud-d"]
    # The default scenario (Llama 3.1 8B) is priced on API B, not the cheaper Old API.
    assert re.findall(r'<p class="summary-option">(.*?)</p>', html) == ["API B (fp8)"]
    text = words(html)
    assert "Old Cloud: NVIDIA H100 SXM Price out of date" in text  # the result, rented
    assert "Old API Price out of date" in text  # the result, hosted APIs
    assert "$0.49 price out of date 2025-10-01" in text  # its price table, rented
    assert "$0.01 $0.01 price out of date 2025-09-15" in text  # its price table, APIs


def test_no_advisor_page_recommends_them(built: tuple[Diagnostics, Path]) -> None:
    _, out = built
    pages = sorted((out / "advisor").rglob("index.html"))
    assert len(pages) > 10
    naming = {
        str(page.relative_to(out)): named
        for page in pages
        if (named := [n for n in STALE.values() if n in words(page.read_text(encoding="utf-8"))])
    }
    assert naming == {}


def test_the_price_log_marks_them_stale(built: tuple[Diagnostics, Path]) -> None:
    _, out = built
    text = words((out / "prices/index.html").read_text(encoding="utf-8"))
    for name in STALE.values():
        assert re.search(rf"{name} .{{0,80}}? stale", text), name
