"""A large site's search index in shards: the search page merges them in Debian's chromium."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from spanvero_site.core import search
from tests.browser.conftest import _serve
from tests.conftest import FIXED_EPOCH, REPO

pytestmark = pytest.mark.browser
SHARD_PAGES = 25
# Each query and a page it must find; the test checks they sit in different shards.
QUERIES = (("pickle", "/learn/safetensors/"), ("runpod", "/prices/"))


@pytest.fixture(scope="module")
def sharded(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    """The shipped site (a copy, so its own search cache) indexed in shards of 25 pages, and
    its URL on loopback."""
    from spanvero_site.cli import main

    site = tmp_path_factory.mktemp("sharded") / "site"
    for folder in ("content", "templates", "static"):
        shutil.copytree(REPO / folder, site / folder)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOURCE_DATE_EPOCH", FIXED_EPOCH)
        patch.setattr(search, "SHARD_PAGES", SHARD_PAGES)
        assert main(["--root", str(site), "build", "--out", str(site / "_site")]) == 0
    for url in _serve(site / "_site", None):
        yield url, site / "_site"


def shard_of(url: str, out: Path) -> int:
    """Which bundle indexes the page at `url` (0 is /pagefind/ itself)."""
    pages = sorted(p.relative_to(out).as_posix() for p in out.rglob("*.html"))
    indexed = [p for p in pages if b"data-pagefind-body" in (out / p).read_bytes()]
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(search, "SHARD_PAGES", SHARD_PAGES)
        plan = search.shard_plan(indexed)
    return next(n for n, shard in enumerate(plan) if url.lstrip("/") + "index.html" in shard)


def test_the_search_page_merges_every_shard(page, sharded: tuple[str, Path]) -> None:
    url, out = sharded
    bundles = json.loads((out / "pagefind" / "shards.json").read_text())
    assert len(bundles) >= 3 and all(
        (out / "pagefind" / b / "pagefind.js").is_file() for b in bundles
    )
    shards = {shard_of(expected, out) for _, expected in QUERIES}
    assert len(shards) == len(QUERIES) and max(shards) >= 1, shards
    for query, expected in QUERIES:
        page.goto(f"{url}/search/?q={query}")
        page.wait_for_selector(".pagefind-ui__result-link", timeout=10_000)
        links = page.locator(".pagefind-ui__result-link").evaluate_all(
            "els => els.map(e => e.getAttribute('href'))"
        )
        assert expected in links, (query, links)
