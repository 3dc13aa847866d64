"""The persistent memos' building blocks: sharded stores, racy stamps, context digests."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from spanvero_site.core import cache
from spanvero_site.core.cache import Stamp
from spanvero_site.core.diagnostics import Diagnostics
from spanvero_site.core.memo import FileMemo, file_key, racy
from spanvero_site.core.persist import context_digest


def shard_status(folder: Path) -> dict[str, tuple[int, int]]:
    return {p.name: (p.stat().st_ino, p.stat().st_mtime_ns) for p in folder.glob("*.bin")}


def test_a_store_rewrites_only_the_shards_whose_entries_changed(tmp_path: Path) -> None:
    entries = {f"content/learn/page-{i}.md": ("value", i) for i in range(200)}
    cache.ShardedStore(tmp_path, "files", b"key").save(entries)
    before = shard_status(tmp_path / "files")
    assert len(before) == cache.ShardedStore.SHARDS

    store = cache.ShardedStore(tmp_path, "files", b"key")
    loaded = store.load()
    assert loaded == entries
    loaded["content/learn/page-7.md"] = ("edited", 7)
    del loaded["content/learn/page-9.md"]
    store.save(loaded)

    after = shard_status(tmp_path / "files")
    changed = {name for name in after if after[name] != before[name]}
    expected = {f"{store.shard(f'content/learn/page-{i}.md'):02x}.bin" for i in (7, 9)}
    assert changed == expected
    assert cache.ShardedStore(tmp_path, "files", b"key").load() == loaded


def test_a_store_reads_only_the_shards_of_the_names_asked_for(tmp_path: Path) -> None:
    entries = {f"content/learn/page-{i}.md": i for i in range(1000)}
    cache.ShardedStore(tmp_path, "markdown", b"key", shards=256).save(entries)
    store = cache.ShardedStore(tmp_path, "markdown", b"key", shards=256)
    written = {p.name for p in (tmp_path / "markdown").glob("*.bin")}
    assert written == {f"{store.shard(name):02x}.bin" for name in entries}
    assert len(written) > 200
    wanted = ["content/learn/page-3.md", "content/learn/page-500.md", "content/learn/gone.md"]
    holding = {f"{store.shard(name):02x}.bin" for name in wanted}
    for shard in (tmp_path / "markdown").glob("*.bin"):
        if shard.name not in holding:
            shard.write_bytes(b"not a shard")  # a read of any other shard would find no entries
    assert store.load_some(wanted) == {
        "content/learn/page-3.md": 3,
        "content/learn/page-500.md": 500,
    }
    victim = tmp_path / "markdown" / f"{store.shard(wanted[0]):02x}.bin"
    victim.write_bytes(victim.read_bytes()[:-1] + b"\x00")  # damaged: its entries are not trusted
    assert "content/learn/page-3.md" not in store.load_some(wanted)


def test_a_damaged_or_foreign_shard_loses_only_its_own_entries(tmp_path: Path) -> None:
    entries = {f"page-{i}": i for i in range(100)}
    cache.ShardedStore(tmp_path, "pages", b"key").save(entries)
    victim = sorted((tmp_path / "pages").glob("*.bin"))[0]
    victim.write_bytes(victim.read_bytes()[:-1] + b"\x00")
    store = cache.ShardedStore(tmp_path, "pages", b"key")
    loaded = store.load()
    lost = {n for n in entries if store.shard(n) == int(victim.stem, 16)}
    assert lost and set(loaded) == set(entries) - lost
    assert cache.ShardedStore(tmp_path, "pages", b"another key").load() == {}


def test_a_memo_entry_read_from_a_recently_changed_file_is_not_kept_for_the_next_process(
    tmp_path: Path,
) -> None:
    path = tmp_path / "page.md"
    path.write_text("text")
    memo = FileMemo()
    memo.get("page.md", (file_key(path), "settings"), lambda d: "parsed", Diagnostics())
    memo.get("derived", ("settings only",), lambda d: "derived", Diagnostics())
    assert set(memo.export()) == {"derived"}  # the file changed just now: racy

    old = time.time_ns() - 10 * cache.RACY_NS
    os.utime(path, ns=(old, old))
    stamp = file_key(path)
    assert stamp is not None and racy(stamp, time.time_ns())  # ctime moved with utime
    aged = Stamp(stamp.size, old, old, stamp.inode)
    assert not racy((("x", aged), "settings"), time.time_ns())
    assert racy((("x", aged), stamp), time.time_ns())


def test_equal_contexts_give_equal_digests_and_any_difference_another() -> None:
    context = {"title": "LoRA", "items": (("a", 1), ("b", 2.5)), "flag": True}
    same = {"title": "LoRA", "items": (("a", 1), ("b", 2.5)), "flag": True}
    assert context_digest("explainer.html", context) == context_digest("explainer.html", same)
    assert context_digest("explainer.html", context) != context_digest("page.html", context)
    for key, value in (("title", "LoRA "), ("items", (("a", 1),)), ("flag", 1)):
        assert context_digest("explainer.html", {**context, key: value}) != context_digest(
            "explainer.html", context
        ), key


def test_a_context_pickle_refuses_has_no_digest_and_is_simply_rendered() -> None:
    assert context_digest("page.html", {"callback": lambda: None}) is None


@pytest.mark.parametrize("bad", [None, "not a tuple", ("too", "short")])
def test_a_file_memo_ignores_stored_entries_of_the_wrong_shape(bad: object) -> None:
    memo = FileMemo()
    memo.absorb({"page.md": bad})
    loads: list[str] = []
    memo.get("page.md", "key", lambda d: loads.append("loaded") or "value", Diagnostics())
    assert loads == ["loaded"]
