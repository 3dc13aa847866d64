"""Dates at the edges: the future by one rule everywhere, ISO weeks across a new year, the feed.

Each test builds the basic site with a few dates changed, the build's day pinned by
SOURCE_DATE_EPOCH (2026-11-28 unless a test moves it).
"""

from __future__ import annotations

import datetime as dt
import json
import re
import time
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from spanvero_site.cli import main
from tests.conftest import assemble_site

ATOM = "{http://www.w3.org/2005/Atom}"


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    path.write_text(text.replace(old, new), encoding="utf-8")


def _codes(site: Path, capsys: pytest.CaptureFixture[str]) -> list[tuple[str, str]]:
    capsys.readouterr()
    main(["--root", str(site), "check", "--format", "json"])
    found = json.loads(capsys.readouterr().out)["diagnostics"]
    return sorted((d["code"], d["path"]) for d in found if d["code"] in ("W213", "E709"))


@pytest.mark.parametrize(
    ("day", "reported"),
    [
        # Tomorrow in UTC is already today east of it (up to UTC+14): no check may refuse it.
        ("2026-11-29", []),
        (
            "2026-11-30",
            [
                ("E709", "content/data/gpus.yaml"),
                ("E709", "content/data/measurements.yaml"),
                ("E709", "content/data/prices.yaml"),
                ("E709", "content/models/deepseek-v3.yaml"),
                ("W213", "content/learn/vram-basics.md"),
            ],
        ),
    ],
)
def test_every_dated_thing_agrees_on_when_the_future_starts(
    day: str,
    reported: list[tuple[str, str]],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    site = assemble_site(tmp_path / "site", "basic")
    _edit(site / "content/learn/vram-basics.md", "date: 2026-11-08", f"date: {day}")
    _edit(site / "content/data/prices.yaml", "as_of: 2026-11-04", f"as_of: {day}")
    _edit(site / "content/data/measurements.yaml", "as_of: 2026-10-02", f"as_of: {day}")
    _edit(site / "content/data/gpus.yaml", "date: 2026-10-15", f"date: {day}")
    _edit(site / "content/models/deepseek-v3.yaml", "as_of: 2026-11-28", f"as_of: {day}")
    assert _codes(site, capsys) == reported


@pytest.mark.parametrize(
    ("zone", "moment", "written"),
    [
        # 20:00 UTC is 09:00 the next morning in Auckland (UTC+13 in November)...
        ("Pacific/Auckland", dt.datetime(2026, 11, 28, 20, tzinfo=dt.UTC), "2026-11-29"),
        # ...and 05:00 UTC is still the evening before in Honolulu (UTC-10).
        ("Pacific/Honolulu", dt.datetime(2026, 11, 28, 5, tzinfo=dt.UTC), "2026-11-27"),
    ],
)
def test_new_writes_the_editor_s_own_day_which_the_build_accepts(
    zone: str,
    moment: dt.datetime,
    written: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(int(moment.timestamp())))
    site = assemble_site(tmp_path / "site", "basic")
    monkeypatch.setenv("TZ", zone)
    time.tzset()
    try:
        assert main(["--root", str(site), "new", "learn", "What is a GPU-hour?"]) == 0
    finally:
        monkeypatch.undo()
        time.tzset()
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(int(moment.timestamp())))
    text = (site / "content/learn/what-is-a-gpu-hour.md").read_text(encoding="utf-8")
    assert f"\ndate: {written}\n" in text
    # The build's day is the day in UTC; the editor's day is never past its slack.
    capsys.readouterr()
    main(["--root", str(site), "check", "--drafts", "--format", "json"])
    found = json.loads(capsys.readouterr().out)["diagnostics"]
    assert [d for d in found if d["code"] in ("W213", "E709")] == []


def _observation(day: str, usd: float) -> str:
    return (
        f"      - as_of: {day}\n"
        f"        usd_per_hour: {usd}\n"
        "        source: https://cloud-e.example/pricing\n"
    )


# One offer whose price moves on the days where ISO weeks and calendar years disagree:
# 2020-12-31 and 2021-01-03 are both in week 53 of 2020, 2027-01-01 in week 53 of 2026.
YEAR_END_OFFER = (
    "  - gpu: rtx-4090\n"
    "    provider: cloud-e\n"
    "    provider_name: Cloud E\n"
    "    tier: on-demand\n"
    "    history:\n"
    + _observation("2020-12-28", 0.50)
    + _observation("2020-12-31", 0.51)
    + _observation("2021-01-03", 0.52)
    + _observation("2026-12-31", 0.60)
    + _observation("2027-01-01", 0.61)
    + _observation("2027-01-04", 0.62)
)


def _year_end_site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    epoch = dt.datetime(2027, 1, 5, 12, tzinfo=dt.UTC).timestamp()
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(int(epoch)))
    site = assemble_site(tmp_path / "site", "basic")
    _edit(site / "content/data/prices.yaml", "api:\n", YEAR_END_OFFER + "api:\n")
    return site


def _build(site: Path, out: Path) -> Path:
    assert main(["--root", str(site), "build", "--out", str(out), "--no-search"]) == 0
    return out


def _week(out: Path, slug: str) -> tuple[str, list[str], dict[str, str]]:
    html = (out / "prices" / slug / "index.html").read_text(encoding="utf-8")
    h1 = re.search(r"<h1>(.*?)</h1>", html)
    assert h1
    days = sorted(set(re.findall(r'<time datetime="([0-9-]+)"', html)))
    links = dict(re.findall(r'href="/prices/(20\d\d-w\d\d)/">([^<]*)<', html))
    return h1.group(1), days, links


def test_iso_weeks_across_a_new_year(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    out = _build(_year_end_site(tmp_path, monkeypatch), tmp_path / "out")
    weeks = sorted(p.parent.name for p in (out / "prices").glob("20*-w*/index.html"))
    assert weeks == ["2020-w53", "2026-w44", "2026-w53", "2027-w01"]

    title, days, links = _week(out, "2020-w53")
    assert title == "Price index: Week 53, 2020 (28 Dec 2020 – 3 Jan 2021)"
    assert days == ["2020-12-31", "2021-01-03"]
    assert links == {"2026-w44": "← Week 44, 2026 (26 Oct – 1 Nov)"}

    title, days, links = _week(out, "2026-w53")
    assert title == "Price index: Week 53, 2026 (28 Dec 2026 – 3 Jan 2027)"
    assert days == ["2026-12-31", "2027-01-01"]
    assert links == {
        "2027-w01": "← Week 1, 2027 (4 Jan – 10 Jan)",
        "2026-w44": "Week 44, 2026 (26 Oct – 1 Nov) →",
    }

    title, days, links = _week(out, "2027-w01")
    assert title == "Price index: Week 1, 2027 (4 Jan – 10 Jan)"
    assert days == ["2027-01-04"]
    assert links == {"2026-w53": "Week 53, 2026 (28 Dec 2026 – 3 Jan 2027) →"}


def _feed(out: Path) -> tuple[str, list[tuple[str, str]]]:
    feed = ET.parse(out / "prices/feed.xml").getroot()
    entries = [
        (e.findtext(f"{ATOM}id", ""), e.findtext(f"{ATOM}updated", ""))
        for e in feed.findall(f"{ATOM}entry")
    ]
    return feed.findtext(f"{ATOM}updated", ""), entries


def test_the_price_feed_is_newest_first_and_a_backfill_moves_no_other_entry(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    site = _year_end_site(tmp_path, monkeypatch)
    updated, entries = _feed(_build(site, tmp_path / "before"))
    week = "https://example.org/prices/{}/".format
    assert updated == "2027-01-04T00:00:00Z"
    assert entries == [
        (week("2027-w01"), "2027-01-04T00:00:00Z"),
        (week("2026-w53"), "2027-01-01T00:00:00Z"),
        (week("2026-w44"), "2026-11-01T00:00:00Z"),
        (week("2020-w53"), "2021-01-03T00:00:00Z"),
    ]

    # A price found later for a past week (`prices add --backfill`) adds that week's entry
    # in its place; every other entry keeps its id and date.
    _edit(
        site / "content/data/prices.yaml",
        _observation("2026-12-31", 0.60),
        _observation("2024-06-12", 0.55) + _observation("2026-12-31", 0.60),
    )
    updated, after = _feed(_build(site, tmp_path / "after"))
    assert updated == "2027-01-04T00:00:00Z"
    assert after == [*entries[:3], (week("2024-w24"), "2024-06-12T00:00:00Z"), entries[3]]
