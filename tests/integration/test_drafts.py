"""Drafts: never published without --drafts; with it, a bannered preview kept out of the
sitemap, the feeds and the search index."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from spanvero_site.cli import main
from tests.conftest import assemble_site, tree_bytes

MARKER = "Zebra-striped draft question"
DRAFT = f"""---
title: {MARKER}?
answer: A draft answer nobody may read yet.
date: 2026-11-27
topic: memory
tags: [memory, zebra]
related: [lora-basics, vram-basics]
aliases: [/learn/old-zebra/]
draft: true
---

The zebra body.
"""


@pytest.fixture
def site(tmp_path: Path) -> Path:
    site = assemble_site(tmp_path / "site", "basic")
    (site / "content" / "learn" / "zebra.md").write_text(DRAFT, encoding="utf-8")
    return site


def _build(site: Path, out: Path, *extra: str) -> dict[str, bytes]:
    assert main(["--root", str(site), "build", "--out", str(out), *extra]) == 0
    return tree_bytes(out)


def _page_count(out: Path) -> int:
    return json.loads((out / "search-index" / "meta.json").read_text())["pages"]


def test_a_draft_is_never_published_without_drafts(site: Path, tmp_path: Path) -> None:
    out = tmp_path / "public"
    files = _build(site, out, "--strict")
    assert not any("zebra" in path for path in files), [p for p in files if "zebra" in p]
    leaks = [path for path, data in files.items() if b"zebra" in data.lower()]
    assert leaks == []
    # and the same site without the draft file builds byte for byte the same
    (site / "content" / "learn" / "zebra.md").unlink()
    assert _build(site, tmp_path / "without", "--strict").keys() == files.keys()


def test_a_draft_preview_has_a_banner_and_stays_out_of_sitemap_feeds_and_search(
    site: Path, tmp_path: Path
) -> None:
    published = tmp_path / "published"
    _build(site, published)
    out = tmp_path / "preview"
    files = _build(site, out, "--drafts")

    html = files["learn/zebra/index.html"].decode()
    assert (
        '<p class="admonition admonition-warning draft-banner" role="note"><strong>Draft</strong>'
        in html
    )
    assert '<meta name="robots" content="noindex">' in html
    assert "data-search-body" not in html
    assert "data-search-body" in files["learn/vram-basics/index.html"].decode()
    assert "draft-banner" not in files["learn/vram-basics/index.html"].decode()

    for name in ("sitemap.xml", "feed.xml"):
        assert b"zebra" not in files[name], name
        assert files[name] == (published / name).read_bytes(), name
    assert _page_count(out) == _page_count(published)
    assert not any(
        b"zebra" in data for path, data in files.items() if path.startswith("search-index/")
    )


def test_a_draft_is_not_an_orphan_but_is_checked_otherwise(
    site: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    page = site / "content" / "learn" / "zebra.md"
    page.write_text(DRAFT.replace("tags: [memory, zebra]", "tags: [memory]"), encoding="utf-8")
    assert main(["--root", str(site), "check", "--strict", "--drafts"]) == 0
    page.write_text(DRAFT.replace("[lora-basics, vram-basics]", "[lora-basic]"), encoding="utf-8")
    capsys.readouterr()
    assert main(["--root", str(site), "check", "--drafts"]) == 1
    assert "error[E302]: unknown related id 'lora-basic'" in capsys.readouterr().err
