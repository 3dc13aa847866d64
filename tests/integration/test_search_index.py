"""The search index of a real build: every marked page once, the same bytes every build, and
kept in step with the pages by the incremental writer."""

from __future__ import annotations

import json
import shutil
from dataclasses import replace
from pathlib import Path

import pytest

from spanvero_site.cli import main
from spanvero_site.core import cache, search
from tests.conftest import assemble_site, tree_bytes


def build(site: Path, out: Path, *extra: str) -> dict[str, bytes]:
    assert main(["--root", str(site), "build", "--out", str(out), *extra]) == 0
    return tree_bytes(out)


def index(files: dict[str, bytes]) -> tuple[dict, list[list], dict[str, list[int]]]:
    """meta.json, every page entry, and every term's postings of a built site."""
    meta = json.loads(files["search-index/meta.json"])
    pages = [
        entry
        for number in range(-(-meta["pages"] // meta["chunk"]))
        for entry in json.loads(files[f"search-index/pages-{number}.json"])
    ]
    terms: dict[str, list[int]] = {}
    for key in meta["shards"]:
        shard = json.loads(files[f"search-index/terms-{key}.json"])
        assert all(search.term_file(term) == key for term in shard), key
        terms.update(shard)
    return meta, pages, terms


@pytest.fixture
def site(tmp_path: Path) -> Path:
    return assemble_site(tmp_path / "site", "basic")


def test_every_marked_page_is_indexed_once_with_the_words_of_its_body(
    site: Path, tmp_path: Path
) -> None:
    files = build(site, tmp_path / "out")
    marked = sorted(
        search.page_url(path)
        for path, data in files.items()
        if path.endswith(".html") and b"data-search-body" in data
    )
    meta, pages, terms = index(files)
    assert [url for url, _, _ in pages] == marked and meta["pages"] == len(marked)
    assert meta["lengths"] == [length for _, _, length in pages]
    assert all(title for _, title, _ in pages)
    assert not [p for p in files if p.startswith("search-index/") and p.count("/") != 1]
    lora = next(n for n, (url, _, _) in enumerate(pages) if url == "/learn/lora-basics/")
    for word in ("adapter", "LoRA", "frozen"):
        (term,) = search.tokenize(word)
        assert lora in terms[term][::2], word
    for postings in terms.values():
        ids = postings[::2]
        assert ids == sorted(set(ids)) and all(0 <= i < len(pages) for i in ids)
        assert all(weight > 0 for weight in postings[1::2])


def test_the_index_is_the_same_bytes_every_build_and_apart_from_it_so_is_the_site(
    site: Path, tmp_path: Path
) -> None:
    first = build(site, tmp_path / "a")
    shutil.rmtree(site / ".spanvero")
    assert build(site, tmp_path / "b") == first
    without = build(site, tmp_path / "c", "--no-search")
    assert without == {p: d for p, d in first.items() if not p.startswith("search-index/")}


def test_an_edit_rewrites_the_index_files_it_changes_and_equals_a_fresh_build(
    site: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out"
    build(site, out)
    page = site / "content" / "learn" / "lora-basics.md"
    page.write_text(page.read_text().replace("frozen.", "frozen, zygomorphic."))
    capsys.readouterr()
    edited = build(site, out)
    written = int(capsys.readouterr().err.split("wrote ")[1].split()[0])
    assert 2 <= written <= 8  # the page, a few term files, meta.json: not the whole site
    _, pages, terms = index(edited)
    (term,) = search.tokenize("zygomorphic")
    assert [pages[i][0] for i in terms[term][::2]] == ["/learn/lora-basics/"]
    shutil.rmtree(site / ".spanvero")
    assert build(site, tmp_path / "fresh") == edited
    build(site, out, "--no-search")  # search off: the index goes, and comes back whole
    assert not (out / "search-index").exists()
    assert build(site, out) == edited


def test_the_last_builds_documents_are_reused_only_by_the_same_code(
    site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "out"
    first = build(site, out)
    store = cache.ShardedStore(cache.cache_folder(site), cache.SEARCH_MEMO, cache.code_key())
    known = store.load()
    assert len(known) == json.loads(first["search-index/meta.json"])["pages"]
    poisoned = {path: (key, replace(doc, title="POISON")) for path, (key, doc) in known.items()}
    store.save(poisoned)
    shutil.rmtree(out)
    assert b"POISON" in build(site, out)["search-index/pages-0.json"]  # so this test can fail
    # the build kept the poisoned entries it reused; another code version must not use them
    monkeypatch.setattr(cache, "code_key", lambda: b"another spanvero version")
    shutil.rmtree(out)
    assert build(site, out) == first
