"""Write a built site: into a temporary sibling folder, swapped in only when complete.

The swap means readers of the output folder (a dev server, a deploy step) never see a half
written site, and a failed build never reaches this module at all. Three rules keep the writer
from ever destroying something it does not own:

- the output folder is never the site, a folder holding it, or inside content/, templates/ or
  static/ (`output_problem`);
- it replaces only a folder a spanvero build made (it holds the MARKER file) or an empty one;
- a build killed at any moment leaves the old or the new output in place, or (between the two
  renames of the swap) the old one beside it, which the next run puts back (`recover`).

Given the build cache's folder, `write_site` first tries the incremental path of
`core/outstate.py`: when a manifest proves what the output folder holds, only the changed files
are written and renamed into place under a roll-forward journal, which `recover` finishes for a
killed build; when it cannot prove it, the full staged swap below runs as before.
"""

from __future__ import annotations

import errno
import os
import posixpath
import re
import shutil
from collections.abc import Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING

from spanvero_site.core import modes, outstate
from spanvero_site.core.cache import digest
from spanvero_site.core.paths import UnsafePath, file_folder_clashes, output_path

if TYPE_CHECKING:
    from spanvero_site.core.pages import Output

__all__ = ["MARKER", "OutputRefused", "output_path", "output_problem", "recover", "write_site"]

MARKER = ".spanvero-build"
_MARKER_TEXT = b"This folder is written by spanvero build and replaced on every build.\n"
SOURCE_FOLDERS = ("content", "templates", "static")


class OutputRefused(Exception):
    """The output folder is one the writer must not replace; the message says why."""


def output_problem(root: Path, out_dir: Path) -> str | None:
    """Why `out_dir` cannot be the output folder of the site at `root`, or None when it can."""
    root = root.resolve()
    out = out_dir.resolve()
    if out == root:
        return "it is the site folder itself; its sources would be deleted"
    if root.is_relative_to(out):
        return "it contains the site folder; its sources would be deleted"
    for folder in SOURCE_FOLDERS:
        source = (root / folder).resolve()
        if out.is_relative_to(source) or source.is_relative_to(out):
            return f"it is inside the site's {folder}/ folder"
    return _place_problem(root, out) or _replace_problem(out)


def _place_problem(root: Path, out: Path) -> str | None:
    """Why `out` cannot be made where it is: below a file, or inside another build's output,
    which that build replaces whole (a folder holding the site itself does not count)."""
    for parent in out.parents:
        if parent.exists():
            if not parent.is_dir():
                return f"{parent} is a file, not a folder"
            break
    for parent in out.parents:
        if not root.is_relative_to(parent) and (parent / MARKER).is_file():
            return (
                f"it is inside {parent}, the output of a spanvero build, which replaces that "
                "folder whole; choose a folder outside it"
            )
    return None


def _replace_problem(out: Path) -> str | None:
    if out.is_symlink() and not out.exists():
        return "it is a broken symbolic link"
    if out.exists() and not out.is_dir():
        return "it is a file, not a folder"
    try:
        if out.is_dir() and not (out / MARKER).is_file() and any(out.iterdir()):
            return (
                f"it is a folder that spanvero did not make (no {MARKER} file in it) and it is "
                "not empty; empty or remove it, or choose another folder"
            )
    except OSError as exc:
        return f"it cannot be read ({exc.strerror})"
    return None


_LEFTOVER = re.compile(r"^\.(?P<name>.+)\.(?P<kind>tmp|old)-(?P<pid>\d+)$")


def recover(out_dir: Path) -> None:
    """Clean up after builds of `out_dir` that were killed: restore, then remove, leftovers.

    A build killed between the two renames of its swap leaves no output but the old one under
    a `.<name>.old-<pid>` name: it is put back. A dead process's staging folder that holds a
    whole journal (an incremental write, committed) is rolled forward into the output; other
    staging folders of dead processes are removed; those of a build still running are left
    alone.
    """
    out = out_dir.resolve()
    try:
        siblings = list(out.parent.iterdir())
    except OSError:
        return
    leftovers = []
    for path in siblings:
        match = _LEFTOVER.match(path.name)
        if match and match["name"] == out.name and not _alive(int(match["pid"])):
            leftovers.append((match["kind"], path))
    if out.is_dir() and (out / MARKER).is_file():
        for kind, path in leftovers:
            if kind == "tmp":
                outstate.roll_forward(path, out, strict=False)
    if not out.exists():
        for kind, path in sorted(leftovers, key=lambda item: item[1].stat().st_mtime_ns):
            if kind == "old" and (path / MARKER).is_file():
                path.rename(out)
                break
    for _, path in leftovers:
        if path.exists():
            shutil.rmtree(path, ignore_errors=True)


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return False  # a leftover under our own pid is from a process that died before us
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError as exc:
        return exc.errno == errno.EPERM
    return True


def write_site(outputs: Iterable[Output], out_dir: Path, *, cache: Path | None = None) -> int:
    """Make `out_dir` hold exactly `outputs`; return the number of files written.

    Raises OutputRefused when `out_dir` is a folder spanvero did not make, UnsafePath for an
    output that would leave the folder.

    With `cache` (the build cache's folder) the writer keeps a manifest of the folder there
    and, when it proves the folder unchanged since, writes only the files that differ
    (`core/outstate.py`). Builds into one folder hold a lock in the cache folder while they
    write, so each sees (and leaves) the folder whole.
    """
    out_dir = out_dir.resolve()
    lock = outstate.lock(cache, out_dir)
    if lock is None:
        cache = None  # no lock, no manifest: the full swap, as without a cache
    try:
        return _write(outputs, out_dir, cache)
    finally:
        if lock is not None:
            os.close(lock)


def write_partial(
    outputs: Iterable[Output],
    out_dir: Path,
    cache: Path,
    expect: outstate.FolderState,
    removed: Sequence[str] = (),
) -> outstate.Written | None:
    """Write `outputs` and delete `removed`, the only files that changed since the build that
    left `out_dir` in the state `expect` (a `folder_state`), leaving every other file as it
    is; return the number written and the folder's state after, or None, writing nothing,
    when the folder is not in exactly that state (the caller then builds and writes the whole
    site)."""
    out_dir = out_dir.resolve()
    lock = outstate.lock(cache, out_dir)
    if lock is None:
        return None
    try:
        recover(out_dir)
        if _replace_problem(out_dir) is not None:
            return None
        staging = out_dir.with_name(f".{out_dir.name}.tmp-{os.getpid()}")
        changes = sorted(outputs, key=lambda o: o.path)
        marker = (MARKER, _MARKER_TEXT)
        return outstate.write_changes(changes, out_dir, staging, cache, marker, expect, removed)
    finally:
        os.close(lock)


def _write(outputs: Iterable[Output], out_dir: Path, cache: Path | None) -> int:
    recover(out_dir)
    problem = _replace_problem(out_dir)
    if problem is not None:
        raise OutputRefused(f"{out_dir}: {problem}")
    outputs = sorted(outputs, key=lambda o: o.path)
    for file, other in file_folder_clashes([o.path for o in outputs]):
        raise UnsafePath(other, f"it needs '{file}' to be a folder, but it is a file")
    staging = out_dir.with_name(f".{out_dir.name}.tmp-{os.getpid()}")
    if cache is not None:
        written = outstate.write_changes(outputs, out_dir, staging, cache, (MARKER, _MARKER_TEXT))
        if written is not None:
            return written.wrote
        outstate.forget(cache, out_dir)
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    old = out_dir.with_name(f".{out_dir.name}.old-{os.getpid()}")
    shutil.rmtree(staging, ignore_errors=True)
    try:
        modes.make_folder(staging)
        modes.write_file(staging / MARKER, _MARKER_TEXT)
        digests = _stage(staging, outputs)
        if out_dir.exists():
            out_dir.rename(old)
        staging.rename(out_dir)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        if old.exists() and not out_dir.exists():
            old.rename(out_dir)
        raise
    shutil.rmtree(old, ignore_errors=True)
    if cache is not None:
        _record(cache, out_dir, digests)
    return len(digests)


_WRITERS = 4  # threads creating files (the kernel's work, which needs no lock of ours)


def _stage(staging: Path, outputs: list[Output]) -> dict[str, bytes]:
    """Write `outputs` into the new, empty `staging` folder; return each file's digest.

    No write can leave the folder: every folder on the way is made here by `os.mkdir`, which
    fails on anything already there, a link included, and every file is created new
    (`O_EXCL`, which does not follow a link either). That is the guarantee a `resolve()` of
    each path gave, at one system call per folder instead of a walk of every path.

    Files are written by a few threads, each taking the digest of what it wrote for the
    output manifest (hashing releases the interpreter's lock). Making the folders on the
    threads too measured no faster: right after an output folder is deleted (as every cold
    build of the peer bench does), ext4 without a journal scans past every inode freed in the
    last minutes on each allocation (`perf`: `recently_deleted`), and 1, 2 or 4 threads
    took the same wall time for that (see `bench/README.md`, "Cold builds and the file system").
    """
    made: set[str] = {""}
    for output in outputs:
        _make_folders(staging, posixpath.dirname(output.path), made)
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC

    def write(output: Output) -> bytes:
        try:
            fd = os.open(staging / output.path, flags, modes.FILE_MODE)
        except FileExistsError:
            raise UnsafePath(output.path, "something else made it in the staging folder") from None
        os.fchmod(fd, modes.FILE_MODE)  # the umask may have taken bits off
        with open(fd, "wb") as file:
            file.write(output.data)
        return digest(output.data)

    with ThreadPoolExecutor(_WRITERS) as pool:
        digests = dict(zip((o.path for o in outputs), pool.map(write, outputs), strict=True))
    return digests


def _make_folders(staging: Path, folder: str, made: set[str]) -> None:
    """Make `folder` (relative to `staging`) and each missing folder above it, each anew."""
    missing = []
    while folder not in made:
        missing.append(folder)
        folder = posixpath.dirname(folder)
    for name in reversed(missing):
        try:
            modes.make_folder(staging / name)
        except FileExistsError:
            raise UnsafePath(name, "something else made it in the staging folder") from None
        made.add(name)


def _record(cache: Path, out: Path, digests: dict[str, bytes]) -> None:
    """Save the manifest of a folder the full swap just wrote (`digests`: its outputs')."""
    outstate.record(cache, out, {**digests, MARKER: digest(_MARKER_TEXT)})
