"""Issue #15: the writer rewrites only what changed, and only when it can prove what the output
folder holds; otherwise, and for the result, it is the full staged swap byte for byte."""

from __future__ import annotations

import contextlib
import json
import os
import shutil
from pathlib import Path

import pytest

from spanvero_site.core import outstate
from spanvero_site.core.cache import folder_state
from spanvero_site.core.pages import Output
from spanvero_site.core.writer import MARKER, recover, write_site
from tests.conftest import tree_bytes

BASE = {
    "index.html": b"<h1>home</h1>",
    "learn/a/index.html": b"<p>a</p>",
    "learn/b/index.html": b"<p>b</p>",
    "feed.xml": b"<feed/>",
    "static/css/site.css": b"body{}",
}


def outs(files: dict[str, bytes]) -> list[Output]:
    return [Output(path, data) for path, data in files.items()]


def full(files: dict[str, bytes], tmp: Path) -> dict:
    """What the full staged swap (no cache) writes for `files`: the reference."""
    ref = tmp / "reference"
    shutil.rmtree(ref, ignore_errors=True)
    write_site(outs(files), ref)
    result = tree_bytes(ref)
    shutil.rmtree(ref)
    return result


@pytest.fixture
def paths(tmp_path: Path) -> tuple[Path, Path]:
    (tmp_path / "cache").mkdir()
    return tmp_path / "_site", tmp_path / "cache"


def test_an_edit_rewrites_only_what_changed_and_equals_a_full_write(
    paths: tuple[Path, Path], tmp_path: Path
) -> None:
    out, cache = paths
    assert write_site(outs(BASE), out, cache=cache) == len(BASE)  # no manifest yet: full
    untouched = (out / "feed.xml").stat()
    steps: list[tuple[dict[str, bytes], int]] = [
        ({**BASE, "learn/a/index.html": b"<p>a, edited</p>"}, 1),  # one edit
        ({**BASE, "learn/c/index.html": b"<p>c</p>"}, 2),  # a added, c added (a reverted)
        ({k: v for k, v in BASE.items() if not k.startswith("learn/")}, 0),  # pages removed
        ({**BASE, "a.html": b"A"}, 3),
        ({**BASE, "a/index.html": b"A"}, 1),  # /a.html -> /a/
        (BASE, 0),
    ]
    for files, written in steps:
        assert write_site(outs(files), out, cache=cache) == written
        assert tree_bytes(out) == full(files, tmp_path)
        assert outstate.trusted(cache, out.resolve()) is not None  # the record is exact
        assert sorted(p.name for p in tmp_path.iterdir()) == ["_site", "cache"]
    stat = (out / "feed.xml").stat()
    assert (stat.st_ino, stat.st_mtime_ns) == (untouched.st_ino, untouched.st_mtime_ns)
    assert not (out / "learn" / "c").exists() and not (out / "a").exists()  # emptied: gone


def test_a_file_turning_into_a_folder_or_back_takes_the_full_swap(
    paths: tuple[Path, Path], tmp_path: Path
) -> None:
    out, cache = paths
    as_file = {**BASE, "learn/x": b"file"}
    as_folder = {**BASE, "learn/x/index.html": b"folder"}
    write_site(outs(as_file), out, cache=cache)
    for files in (as_folder, as_file, as_folder):
        assert write_site(outs(files), out, cache=cache) == len(files)  # full
        assert tree_bytes(out) == full(files, tmp_path)
        assert write_site(outs(files), out, cache=cache) == 0  # and it is trusted afterwards


def tamper_same_size_same_mtime(path: Path) -> None:
    stat = path.stat()
    data = path.read_bytes()
    path.write_bytes(bytes([data[0] ^ 1]) + data[1:])
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert path.stat().st_size == stat.st_size and path.stat().st_ino == stat.st_ino


@pytest.mark.parametrize(
    "change",
    [
        "edited in place, size and mtime restored",
        "file added",
        "file deleted",
        "empty folder added",
        "link added",
        "manifest corrupt",
        "manifest of another output folder",
        "manifest missing",
    ],
)
def test_the_manifest_is_trusted_only_for_the_folder_exactly_as_left(
    change: str, paths: tuple[Path, Path], tmp_path: Path
) -> None:
    out, cache = paths
    write_site(outs(BASE), out, cache=cache)
    edited = {**BASE, "learn/a/index.html": b"<p>a, edited</p>"}
    name = outstate.manifest_name(out.resolve())
    if change.startswith("edited"):
        tamper_same_size_same_mtime(out / "learn/b/index.html")
    elif change == "file added":
        (out / "learn" / "notes.txt").write_text("mine")
    elif change == "file deleted":
        (out / "feed.xml").unlink()
    elif change == "empty folder added":
        (out / "drafts").mkdir()
    elif change == "link added":
        (out / "learn" / "elsewhere").symlink_to(tmp_path)
    elif change == "manifest corrupt":
        data = (cache / name).read_bytes()
        (cache / name).write_bytes(data[:-1] + bytes([data[-1] ^ 1]))
    elif change == "manifest of another output folder":
        other = tmp_path / "other"
        write_site(outs(BASE), other, cache=cache)
        shutil.copyfile(cache / outstate.manifest_name(other.resolve()), cache / name)
        shutil.rmtree(other)
    else:
        (cache / name).unlink()
    assert write_site(outs(edited), out, cache=cache) == len(edited)  # the full swap
    assert tree_bytes(out) == full(edited, tmp_path)
    assert write_site(outs(BASE), out, cache=cache) == 1  # trusted again afterwards


def test_a_killed_incremental_write_is_rolled_forward_or_left_as_it_was(
    paths: tuple[Path, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out, cache = paths
    new = {k: v for k, v in BASE.items() if k != "feed.xml"}
    new |= {"learn/a/index.html": b"edited", "learn/z/index.html": b"added", "x.txt": b"x"}
    write_site(outs(BASE), out, cache=cache)
    old_tree, new_tree = tree_bytes(out), full(new, tmp_path)
    real_replace = os.replace

    class Killed(BaseException):
        pass

    # Killed after each number of the renames (the journal's own rename is the first one):
    # before the journal is whole nothing changed; after it, recover finishes the change.
    for renames in range(6):

        def replace(
            src: str | Path,
            dst: str | Path,
            _n: int = renames,
            _calls: list = [],  # noqa: B006
        ) -> None:
            _calls.append(dst)
            if len(_calls) > _n:
                raise Killed
            real_replace(src, dst)

        monkeypatch.setattr(outstate.os, "replace", replace)
        with contextlib.suppress(Killed):
            write_site(outs(new), out, cache=cache)
        monkeypatch.setattr(outstate.os, "replace", real_replace)
        staging = tmp_path / f"._site.tmp-{os.getpid()}"
        assert staging.is_dir() == (1 <= renames <= 3)  # committed, not yet finished
        if renames == 0:  # a real kill before the journal is whole leaves staged files
            staging.mkdir()
            (staging / "0").write_bytes(b"edited")
        recover(out)  # our own pid counts as dead: what the next run does first
        assert tree_bytes(out) in (old_tree, new_tree), renames
        assert tree_bytes(out) == (old_tree if renames == 0 else new_tree)
        assert sorted(p.name for p in tmp_path.iterdir()) == ["_site", "cache"]
        recover(out)  # idempotent
        assert tree_bytes(out) == (old_tree if renames == 0 else new_tree)
        write_site(outs(BASE), out, cache=cache)  # back to the old site for the next round
        assert tree_bytes(out) == old_tree


def test_a_planted_journal_cannot_write_outside_the_output(tmp_path: Path) -> None:
    out = tmp_path / "_site"
    write_site(outs(BASE), out)
    dead = 2**22 + 4321  # above the default pid_max: no such process
    staging = tmp_path / f"._site.tmp-{dead}"
    staging.mkdir()
    (staging / "0").write_bytes(b"evil")
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "victim.txt").write_text("keep me")
    (out / "docs").symlink_to(outside)  # a folder of the output became a link out of it
    journal = {
        "renames": [["0", "../escaped.txt"], ["1", "docs/escaped.txt"]],
        "removed": ["../victim.txt", "docs/victim.txt"],
        "folder": identity(out),
    }
    (staging / "1").write_bytes(b"evil")
    (staging / outstate.JOURNAL).write_text(json.dumps(journal))
    (tmp_path / "victim.txt").write_text("keep me")
    recover(out)
    assert not (tmp_path / "escaped.txt").exists() and not (outside / "escaped.txt").exists()
    assert (tmp_path / "victim.txt").read_text() == "keep me"
    assert (outside / "victim.txt").read_text() == "keep me"
    (out / "docs").unlink()
    assert tree_bytes(out) == full(BASE, tmp_path) and not staging.exists()


def identity(folder: Path) -> list[int]:
    stat = folder.stat()
    return [stat.st_dev, stat.st_ino]


def test_a_journal_for_a_folder_since_replaced_is_never_applied(tmp_path: Path) -> None:
    """A dead build's journal outlives a later full swap (its pid was reused, say): the new
    folder is another inode, so the old renames and removals never land on the newer site."""
    out = tmp_path / "_site"
    write_site(outs(BASE), out)
    dead = 2**22 + 4323
    staging = tmp_path / f"._site.tmp-{dead}"
    staging.mkdir()
    (staging / "0").write_bytes(b"stale")
    journal = {"renames": [["0", "index.html"]], "removed": ["feed.xml"], "folder": identity(out)}
    (staging / outstate.JOURNAL).write_text(json.dumps(journal))
    newer = {**BASE, "index.html": b"<h1>newer</h1>"}
    os.rename(staging, tmp_path / "held")  # out of recover's sight during the swap
    write_site(outs(newer), out)  # a full swap: a new folder
    os.rename(tmp_path / "held", staging)
    recover(out)
    assert tree_bytes(out) == full(newer, tmp_path) and not staging.exists()


def test_nothing_outside_the_output_and_the_cache_is_written(tmp_path: Path) -> None:
    root = tmp_path / "site"
    cache, out = root / ".spanvero" / "cache", root / "_site"
    (root / "content").mkdir(parents=True)
    (root / "content" / "index.md").write_text("x")

    def others() -> dict[str, tuple[int, int] | None]:
        """Every file and folder outside the output and the cache (a file with its status)."""
        found: dict[str, tuple[int, int] | None] = {}
        for path in tmp_path.rglob("*"):
            if not (path.is_relative_to(out) or path.is_relative_to(cache)):
                stat = path.stat()
                status = None if path.is_dir() else (stat.st_mtime_ns, stat.st_size)
                found[path.relative_to(tmp_path).as_posix()] = status
        return found

    write_site(outs(BASE), out, cache=cache)
    before = others()
    for files in (
        {**BASE, "learn/a/index.html": b"e"},
        {**BASE, "learn/q/index.html": b"q"},
        BASE,
    ):
        write_site(outs(files), out, cache=cache)
        assert others() == before
    assert (out / MARKER).is_file()


def test_a_file_changed_within_one_clock_tick_of_its_status_is_read_again(
    paths: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    """An edit in the same tick as the recorded status could leave the status identical:
    such racy files are compared by content, so the manifest is still not trusted."""
    out, cache = paths
    write_site(outs(BASE), out, cache=cache)  # just written: every file is racy
    resolved = out.resolve()
    recorded = folder_state(resolved)
    page = out / "learn/b/index.html"
    page.write_bytes(b"<p>B</p>")  # same size
    monkeypatch.setattr(outstate.cache, "folder_state", lambda folder: recorded)  # same status
    assert outstate.trusted(cache, resolved) is None
    page.write_bytes(BASE["learn/b/index.html"])
    assert outstate.trusted(cache, resolved) is not None


def test_builds_into_one_folder_take_turns(paths: tuple[Path, Path]) -> None:
    """The manifest is proven, the folder written and the manifest saved under one lock: a
    second build into the same folder waits, so it never applies changes to a folder that a
    first one is swapping or rewriting."""
    import threading

    out, cache = paths
    write_site(outs(BASE), out, cache=cache)
    held = outstate.lock(cache, out.resolve())
    assert held is not None
    edited = {**BASE, "learn/a/index.html": b"<p>a, edited</p>"}
    done: list[int] = []
    thread = threading.Thread(
        target=lambda: done.append(write_site(outs(edited), out, cache=cache))
    )
    thread.start()
    thread.join(0.5)
    assert thread.is_alive() and not done and tree_bytes(out)["learn/a/index.html"] == b"<p>a</p>"
    os.close(held)
    thread.join(10)
    assert done == [1] and tree_bytes(out)["learn/a/index.html"] == b"<p>a, edited</p>"


def test_a_journal_the_folder_refuses_is_skipped_and_the_next_write_is_whole(
    paths: tuple[Path, Path], tmp_path: Path
) -> None:
    out, cache = paths
    write_site(outs(BASE), out, cache=cache)
    dead = 2**22 + 4322
    staging = tmp_path / f"._site.tmp-{dead}"
    staging.mkdir()
    (staging / "0").write_bytes(b"new")
    journal = {"renames": [["0", "blocked"]], "removed": [], "folder": identity(out)}
    (staging / outstate.JOURNAL).write_text(json.dumps(journal))
    (out / "blocked" / "sub").mkdir(parents=True)  # someone put a folder where the file goes
    outstate.forget(cache, out.resolve())  # as the build that wrote the journal did
    recover(out)  # no exception, no staging folder left behind
    assert not staging.exists() and (out / "blocked" / "sub").is_dir()
    assert write_site(outs(BASE), out, cache=cache) == len(BASE)  # whole again
    assert tree_bytes(out) == full(BASE, tmp_path)


def test_a_command_line_rebuild_after_an_edit_writes_only_what_changed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from spanvero_site.cli import main
    from tests.conftest import assemble_site

    site = assemble_site(tmp_path / "site", "basic")
    out = site / "_site"

    def build(folder: Path) -> str:
        assert main(["--root", str(site), "build", "--no-search", "--out", str(folder)]) == 0
        return capsys.readouterr().err.strip().splitlines()[-1]

    def outside() -> dict[str, bytes]:
        everything = tree_bytes(tmp_path)
        return {
            rel: data
            for rel, data in everything.items()
            if not rel.startswith(("site/_site/", "site/.spanvero/cache/"))
        }

    build(out)
    page = site / "content" / "learn" / "lora-basics.md"
    page.write_text(page.read_text() + "\nOne more sentence.\n")
    before = outside()
    summary = build(out)
    assert ", wrote 1 file, " in summary, summary
    assert outside() == before  # nothing but the output and the cache was written
    assert ", wrote 0 files, " in build(out)  # nothing changed
    assert "wrote 1 file" not in build(tmp_path / "fresh")  # a new folder: the full write
    assert tree_bytes(out) == tree_bytes(tmp_path / "fresh")
