"""Two offers are never named alike, wherever the price log lists them.

The fixture `twin_offers` gives Cloud C two on-demand offers of the H100 SXM that differ only in
the machine: one GPU at a time, or eight rented whole. Both move in week 44. Each place that
names offers (the current-price table and its history lines, the change rows of the log and of
the week's page, the week's summary in its feed entry and email, the email's list of changes)
must tell the two apart: the price log once showed two rows "Cloud C on-demand" under one GPU
at two prices, and named both changes "Cloud C: NVIDIA H100 SXM (on-demand)", because each place
wrote an offer's name itself and most left the machine out.
"""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest

from tests.conftest import build_layers

TWIN = "Cloud C"


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_layers(tmp_path_factory.mktemp("twins"), "basic", "twin_offers")[1]


def _text(fragment: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", fragment)).split())


def _row_names(page: str, table_class: str) -> list[str]:
    """The row headers of a page's tables of a class, without the linked date and badges."""
    names = []
    for table in re.findall(rf'<table class="{table_class}">(.*?)</table>', page, re.S):
        for header in re.findall(r'<th scope="row">(.*?)</th>', table, re.S):
            header = re.sub(r"<a .*?</a>|<span class=\"badge[^>]*>.*?</span>", "", header)
            names.append(_text(header).rstrip(" ·"))
    return names


def _twins(names: list[str]) -> list[str]:
    return [name for name in names if name.startswith(TWIN)]


def _largest(summary: str) -> list[str]:
    """The offers a week's summary names ("The largest: A per GPU-hour $x → $y (n%); B ...")."""
    listed = summary.split("The largest: ", 1)[1]
    return [part.split(" per GPU-hour")[0] for part in listed.split("; ")]


def _places(out: Path) -> dict[str, list[str]]:
    log = (out / "prices/index.html").read_text(encoding="utf-8")
    week = (out / "prices/2026-w44/index.html").read_text(encoding="utf-8")
    email = (out / "prices/2026-w44/email.txt").read_text(encoding="utf-8")
    feed = (out / "prices/feed.xml").read_text(encoding="utf-8")
    moved = " ".join(email.split("What moved this week", 1)[1].split())
    summary = re.search(r"<summary>(.*?)</summary>", feed, re.S)
    assert summary is not None
    return {
        "current prices": _row_names(log, "current-prices"),
        "histories": [
            t.split(", per GPU-hour")[0] for t in re.findall(r"<title>([^<]*)</title>", log)
        ],
        "the log's changes": _row_names(log, "price-changes"),
        "the week's changes": _row_names(week, "price-changes"),
        "the email's changes": re.findall(rf"({TWIN}: .*?), per GPU-hour", moved),
        "the feed's summary": _largest(html.unescape(summary.group(1))),
    }


def test_every_place_that_lists_offers_tells_two_machines_of_one_gpu_apart(out: Path) -> None:
    places = {where: _twins(names) for where, names in _places(out).items()}
    assert {where: len(names) for where, names in places.items()} == dict.fromkeys(places, 2)
    alike = {where: names for where, names in places.items() if len(set(names)) < len(names)}
    assert alike == {}
    for where, names in places.items():
        assert any("8 GPUs rented whole as 8x H100 SXM" in name for name in names), where
