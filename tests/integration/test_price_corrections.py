"""A week the price index already published, changed by a reading recorded late, says so.

The story: on 2026-11-10 the editor records a price of that day; on 2026-11-28 a reading of
October is backfilled. The weeks it changes, and only those, move their feed entry's and
sitemap's date to 2026-11-28 and tell readers in plain words; every other week is byte for byte
what it was. The days come from the data (`recorded:`), never from the clock of the build.
"""

from __future__ import annotations

import datetime as dt
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from spanvero_site.cli import main
from spanvero_site.core.builder import BuildOptions
from spanvero_site.site import build
from tests.conftest import FIXED_EPOCH, assemble_site

ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
BASE = "https://example.org"
NOV_10 = str(int(FIXED_EPOCH) - 18 * 86400)  # FIXED_EPOCH is 2026-11-28, 00:00 UTC
TODAY = dt.date(2026, 11, 28)


@pytest.fixture
def site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The basic site (one week, 2026-w44) after the editor's entry of 2026-11-10 (w46)."""
    root = assemble_site(tmp_path / "site", "basic")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", NOV_10)
    assert add(root, "cloud-b", "on-demand", "0.59", "2026-11-10") == 0
    monkeypatch.setenv("SOURCE_DATE_EPOCH", FIXED_EPOCH)
    return root


def add(root: Path, provider: str, tier: str, price: str, day: str, *extra: str) -> int:
    gpu = "rtx-4090" if provider == "cloud-b" else "h100-sxm"
    return main(
        [
            *("--root", str(root), "prices", "add", "rental"),
            *("--gpu", gpu, "--provider", provider, "--tier", tier, "--usd-per-hour", price),
            *("--as-of", day, "--source", f"https://{provider}.example/pricing", *extra),
        ]
    )


def outputs(root: Path) -> dict[str, bytes]:
    result = build(root, BuildOptions(today=TODAY))
    assert [d.format() for d in result.diagnostics.items] == []
    return {o.path: o.data for o in result.outputs}


def feed(out: dict[str, bytes]) -> dict[str, tuple[str, str]]:
    """Each entry's (updated, summary) by id, and the feed's own updated under 'feed'."""
    root = ET.fromstring(out["prices/feed.xml"])
    entries = {
        e.findtext(f"{ATOM}id", ""): (
            e.findtext(f"{ATOM}updated", ""),
            e.findtext(f"{ATOM}summary", ""),
        )
        for e in root.iter(f"{ATOM}entry")
    }
    return {"feed": (root.findtext(f"{ATOM}updated", ""), ""), **entries}


def lastmod(out: dict[str, bytes]) -> dict[str, str]:
    root = ET.fromstring(out["sitemap.xml"])
    return {
        u.findtext(f"{SITEMAP}loc", ""): u.findtext(f"{SITEMAP}lastmod", "")
        for u in root.iter(f"{SITEMAP}url")
        if "/prices/" in u.findtext(f"{SITEMAP}loc", "")
    }


W44, W46 = f"{BASE}/prices/2026-w44/", f"{BASE}/prices/2026-w46/"
W44_PAGE, W46_PAGE = "prices/2026-w44/index.html", "prices/2026-w46/index.html"
ADDED = "Updated on 28 November 2026: price moves recorded after the week ended were added."
CORRECTED = (
    "Corrected on 28 November 2026: a price recorded late changed a move this week showed before."
)


def test_the_day_entry_gets_no_recorded_day(site: Path) -> None:
    before = feed(outputs(site))
    assert before["feed"][0] == "2026-11-10T00:00:00Z"
    assert before[W46][0] == "2026-11-10T00:00:00Z"
    assert before[W44][0] == "2026-11-01T00:00:00Z"
    assert "recorded:" not in (site / "content/data/prices.yaml").read_text()


def test_a_backfill_moves_exactly_the_week_it_changes(site: Path) -> None:
    """A spot reading of 30 Oct, backfilled on 28 Nov, adds a move to w44 (the spot offer's
    only other reading is of 1 Nov): w44 is dated 28 Nov and says why; w46 is untouched."""
    before = outputs(site)
    assert add(site, "cloud-a", "spot", "1.99", "2026-10-30", "--backfill") == 0
    assert "recorded: 2026-11-28" in (site / "content/data/prices.yaml").read_text()
    after = outputs(site)
    old, new = feed(before), feed(after)
    assert new["feed"][0] == "2026-11-28T00:00:00Z"
    assert new[W44][0] == "2026-11-28T00:00:00Z"
    assert new[W44][1].startswith("2 price changes this week")
    assert new[W44][1].endswith(" " + ADDED)
    assert {k: v for k, v in new.items() if k not in ("feed", W44)} == {
        k: v for k, v in old.items() if k not in ("feed", W44)
    }
    assert lastmod(after)[W44] == "2026-11-28"
    assert lastmod(after)[W46] == lastmod(before)[W46] == "2026-11-10"
    assert ADDED in after[W44_PAGE].decode()
    assert after[W46_PAGE] == before[W46_PAGE]
    # The build reads the day from the data: the same input builds the same bytes any day.
    later = build(site, BuildOptions(today=TODAY + dt.timedelta(days=3)))
    assert {o.path: o.data for o in later.outputs}["prices/feed.xml"] == after["prices/feed.xml"]


def test_a_backfill_that_changes_the_next_move_corrects_its_week(site: Path) -> None:
    """An on-demand reading of 1 Oct (2.89) between those of 1 Sep (2.99) and 1 Nov (2.69)
    makes a new week, w40, and changes w44's move from 2.99 → 2.69 to 2.89 → 2.69: a figure
    readers of w44 saw before. Both weeks are dated 28 Nov; w44 says it was corrected, w40
    that its move was recorded after the week ended."""
    before = outputs(site)
    assert add(site, "cloud-a", "on-demand", "2.89", "2026-10-01", "--backfill") == 0
    after = outputs(site)
    old, new = feed(before), feed(after)
    w40 = f"{BASE}/prices/2026-w40/"
    assert new[w40][0] == new[W44][0] == "2026-11-28T00:00:00Z"
    assert new[W44][1].endswith(" " + CORRECTED)
    assert new[w40][1].endswith(" " + ADDED)
    assert new[W46] == old[W46]
    assert CORRECTED in after[W44_PAGE].decode()
    assert "$2.89" in after[W44_PAGE].decode()


def test_a_backfill_that_changes_no_move_changes_no_date(site: Path) -> None:
    """A reading of 1 Oct at the price of 1 Sep (2.99) moves nothing any week shows."""
    before = outputs(site)
    assert add(site, "cloud-a", "on-demand", "2.99", "2026-10-01", "--backfill") == 0
    after = outputs(site)
    for path in ("prices/feed.xml", W44_PAGE, W46_PAGE, "sitemap.xml"):
        assert after[path] == before[path], path


NOTE = re.compile(r"(?:Corrected|Updated) on \d{1,2} [A-Z][a-z]+ \d{4}: [^.<]*\.")


def notes(text: str) -> list[str]:
    """The correction notes a text states, in order, however its lines are wrapped."""
    return NOTE.findall(" ".join(text.split()))


@pytest.mark.parametrize(
    ("price", "day", "stated"),
    [("1.99", "2026-10-30", {ADDED}), ("2.89", "2026-10-01", {ADDED, CORRECTED})],
    ids=["adds-a-move", "corrects-a-move"],
)
def test_every_view_of_a_week_states_the_same_notes(
    site: Path, price: str, day: str, stated: set[str]
) -> None:
    """A subscriber is told what a reader of the page or the feed is told: for every week, the
    page, its feed entry, both parts of its email and its place in the price log (all prices,
    and GPU rental, the kind the backfill is) state the same notes, in the same order."""
    tier = "spot" if price == "1.99" else "on-demand"
    assert add(site, "cloud-a", tier, price, day, "--backfill") == 0
    out = outputs(site)
    logs = [out[log].decode() for log in ("prices/index.html", "prices/rental/index.html")]
    entries = {k: v for k, v in feed(out).items() if k != "feed"}
    seen = set()
    for url, (_, summary) in entries.items():
        week = url.removeprefix(BASE + "/")
        page = out[week + "index.html"].decode()
        main_part = page[page.index("<main") : page.index("</main>")]
        expected = notes(main_part)
        assert notes(summary) == expected, url
        assert notes(out[week + "email.txt"].decode()) == expected, url
        assert notes(out[week + "email.html"].decode()) == expected, url
        for log in logs:
            start = log.index(f'<section aria-labelledby="week-{week.split("/")[1]}">')
            assert notes(log[start : log.index("</section>", start)]) == expected, url
        seen.update(expected)
    assert seen == stated
