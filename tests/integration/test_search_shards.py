"""Search indexing in shards: every indexed page is in exactly one bundle, the bundles are
listed for the search page, and the index is the same bytes every build and from the cache."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from spanvero_site.cli import main
from spanvero_site.core import search
from tests.conftest import assemble_site, tree_bytes

pytestmark = pytest.mark.slow


def indexed(out: Path) -> list[str]:
    pages = sorted(p.relative_to(out).as_posix() for p in out.rglob("*.html"))
    return [p for p in pages if b"data-pagefind-body" in (out / p).read_bytes()]


def page_count(bundle: Path) -> int:
    entry = json.loads((bundle / "pagefind-entry.json").read_text())
    return sum(language["page_count"] for language in entry["languages"].values())


def test_a_site_indexed_in_shards_covers_every_page_once_and_the_same_every_build(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(search, "SHARD_PAGES", 2)
    site = assemble_site(tmp_path / "site", "basic")
    out = site / "_site"
    assert main(["--root", str(site), "build", "--out", str(out)]) == 0
    pages = indexed(out)
    bundles = json.loads((out / "pagefind" / "shards.json").read_text())
    plan = search.shard_plan(pages)
    assert len(plan) >= 3 and bundles == [f"shard-{n}/" for n in range(2, len(plan) + 1)]
    counts = [page_count(out / "pagefind")] + [page_count(out / "pagefind" / b) for b in bundles]
    assert counts == [len(shard) for shard in plan] and sum(counts) == len(pages)
    first = tree_bytes(out)

    shutil.rmtree(site / ".spanvero")
    shutil.rmtree(out)
    assert main(["--root", str(site), "build", "--out", str(out)]) == 0  # Pagefind again
    assert tree_bytes(out) == first
    shutil.rmtree(out)
    assert main(["--root", str(site), "build", "--out", str(out)]) == 0  # from the cache
    assert tree_bytes(out) == first


def test_a_small_site_has_one_bundle_and_an_empty_shard_list(tmp_path: Path) -> None:
    site = assemble_site(tmp_path / "site", "basic")
    out = site / "_site"
    assert main(["--root", str(site), "build", "--out", str(out)]) == 0
    assert json.loads((out / "pagefind" / "shards.json").read_text()) == []
    assert page_count(out / "pagefind") == len(indexed(out))
    assert not list((out / "pagefind").glob("shard-*"))


@pytest.mark.parametrize("count", [0, 1, 999, 1000, 1001, 4000, 4001])
def test_shards_are_nearly_equal_and_never_over_the_limit(count: int) -> None:
    pages = [f"learn/page-{i:05d}/index.html" for i in range(count)]
    plan = search.shard_plan(pages)
    assert [p for shard in plan for p in shard] == sorted(pages)
    assert all(len(shard) <= search.SHARD_PAGES for shard in plan)
    assert max(map(len, plan)) - min(map(len, plan)) <= 1 or count == 0
