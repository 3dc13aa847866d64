"""Golden output: the basic fixture site, built, must equal its committed expected/ folder.

Run `python3 build.py test --update-golden` after an intended change, and review the diff.
"""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

from spanvero_site.core.builder import BuildOptions
from spanvero_site.site import build
from tests.conftest import SITES, assemble_site, tree_bytes

GOLDEN_PAGES = (
    "index.html",
    "learn/index.html",
    "learn/lora-basics/index.html",
    "learn/prompting-first/index.html",
    "learn/vram-basics/index.html",
    "learn/tags/memory/index.html",
    "learn/old-prompting/index.html",
    "models/index.html",
    "models/llama-3-1-8b/index.html",
    "models/deepseek-v3/index.html",
    "calculator/index.html",
    "prices/index.html",
    "prices/2026-w44/index.html",
    "prices/2026-w44/email.txt",
    "prices/2026-w44/email.html",
    "prices/feed.xml",
    "advisor/index.html",
    "advisor/what/fine-tuning-513fe71e/index.html",
    "advisor/where/small/gpu-24/index.html",
    "404.html",
)
TODAY = dt.date(2026, 11, 28)


def test_basic_site_matches_golden_output(tmp_path: Path, update_golden: bool) -> None:
    site = assemble_site(tmp_path / "site", "basic")
    result = build(site, BuildOptions(today=TODAY))
    assert [d.format() for d in result.diagnostics.items] == []
    built = {o.path: o.data for o in result.outputs}
    expected_dir = SITES / "basic" / "expected"
    if update_golden:
        shutil.rmtree(expected_dir, ignore_errors=True)
        for name in GOLDEN_PAGES:
            (expected_dir / name).parent.mkdir(parents=True, exist_ok=True)
            (expected_dir / name).write_bytes(built[name])
    expected = tree_bytes(expected_dir)
    assert sorted(expected) == sorted(GOLDEN_PAGES)
    for name in GOLDEN_PAGES:
        assert built[name].decode() == expected[name].decode(), name
