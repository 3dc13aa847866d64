"""Dates at the edges: the future by one rule everywhere.

Each test builds the basic site with a few dates changed, the build's day pinned by
SOURCE_DATE_EPOCH (2026-11-28).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from spanvero_site.cli import main
from tests.conftest import assemble_site


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
                ("E709", "content/data/measurements.yaml"),
                ("E709", "content/data/prices.yaml"),
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
    assert _codes(site, capsys) == reported
