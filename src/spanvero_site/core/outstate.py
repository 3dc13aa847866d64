"""Incremental writes: rewrite only the files that changed, when the output folder is provably
what the last build left there.

After every successful write the writer saves a manifest of the output folder in the build
cache (`.spanvero/cache/output-<digest of the folder's path>.bin`, authenticated like every
cache file): each file's status (size, mtime, ctime, inode) and content digest, and the
folders.
The next write trusts it only if a walk of the folder finds exactly those files and folders
with exactly those statuses (ctime cannot be set back, so an edit that restores the mtime is
still seen) and nothing else: no link, no other kind of file. A file whose status was taken
within `RACY_NS` of its last change could have changed again within one tick of the clock
with the same status, so its content is read and compared instead. Anything else, and any
missing, corrupt or foreign manifest, means the full staged swap (`writer.write_site`).

A trusted manifest gives the changed, added and removed files by digest. The changed and added
ones are written into the staging folder beside the output under plain numbered names, then a
journal of renames and deletions is written there whole (temporary file, then rename): from
that moment the change is committed. Applying it renames each staged file over its target and
deletes the removed files (and folders they leave empty); `roll_forward` does the same for a
killed build's journal and is idempotent (a staged file that is gone was already renamed). So
after a kill at any moment and `writer.recover`, the folder holds the old site or the new one.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import shutil
import time
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from spanvero_site.core import cache, modes
from spanvero_site.core.cache import Stamp
from spanvero_site.core.paths import path_problem

if TYPE_CHECKING:
    from spanvero_site.core.pages import Output

FolderState = tuple[dict[str, Stamp], set[str]]  # what `cache.folder_state` gives


class Written(NamedTuple):
    """What an incremental write did: how many files it wrote, and the folder's state after
    (None when it could not tell, e.g. a file it wrote is already gone)."""

    wrote: int
    state: FolderState | None


JOURNAL = ".spanvero-journal"  # a hidden name: no output path can be one (core/paths.py)
_KEY = b"output manifest 1"


def manifest_name(out: Path) -> str:
    return f"output-{cache.digest(os.fsencode(out)).hex()[:16]}.bin"


def _key(out: Path) -> bytes:
    return cache.digest(_KEY, os.fsencode(out))


def forget(folder: Path | None, out: Path) -> None:
    """Drop the manifest of `out` before the folder is changed: a write killed half-way must
    never leave a manifest that a later build would trust."""
    if folder is not None:
        with contextlib.suppress(OSError):
            (folder / manifest_name(out)).unlink(missing_ok=True)


def lock(folder: Path | None, out: Path) -> int | None:
    """An exclusive lock on the manifest of `out` (a file descriptor to close), held while the
    folder is proven, written and recorded; None when there is no cache folder to hold it."""
    if folder is None:
        return None
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd = os.open(folder / f"{manifest_name(out)[:-4]}.lock", os.O_RDWR | os.O_CREAT, 0o600)
    except OSError:
        return None
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
    except OSError:
        os.close(fd)
        return None
    return fd


def trusted(
    folder: Path | None, out: Path, expect: FolderState | None = None
) -> dict[str, Any] | None:
    """The manifest of `out` if the folder holds exactly what it says (and, given `expect`,
    exactly that `folder_state`), else None."""
    manifest = cache.load(folder, manifest_name(out), _key(out))
    if not isinstance(manifest, dict) or manifest.get("out") != os.fsdecode(out):
        return None
    try:
        return _proven(manifest, out, expect)
    except (KeyError, TypeError, ValueError, IndexError):
        return None  # a manifest of another shape: never trusted


def _proven(
    manifest: dict[str, Any], out: Path, expect: FolderState | None
) -> dict[str, Any] | None:
    found = cache.folder_state(out)
    if found is None or (expect is not None and found != expect):
        return None
    files, folders = found
    recorded: dict[str, tuple[Stamp, bytes]] = manifest["files"]
    if folders != manifest["folders"] or files.keys() != recorded.keys():
        return None
    for rel, status in files.items():
        if recorded[rel][0] != status:
            return None
    for rel in manifest["racy"]:
        if cache._read_digest(str(out / rel)) != recorded[rel][1]:
            return None
    return manifest


def record(folder: Path | None, out: Path, digests: dict[str, bytes]) -> None:
    """Save the manifest of `out`, which should now hold exactly the files of `digests` (the
    outputs and the marker, by content digest)."""
    if folder is None:
        return
    found = cache.folder_state(out)
    if found is None:
        return
    files, folders = found
    if files.keys() != digests.keys():
        return  # something else changed the folder meanwhile: trust nothing
    _save(folder, out, {rel: (status, digests[rel]) for rel, status in files.items()}, folders)


def _save(
    folder: Path,
    out: Path,
    files: dict[str, tuple[Stamp, bytes]],
    folders: set[str],
) -> None:
    now = time.time_ns()
    racy = {rel for rel, (st, _) in files.items() if st.racy(now)}
    manifest = {
        "out": os.fsdecode(out),
        "files": files,
        "folders": folders,
        "racy": frozenset(racy),
    }
    cache.save(folder, manifest_name(out), _key(out), manifest)


def write_changes(
    outputs: Sequence[Output],
    out: Path,
    staging: Path,
    folder: Path | None,
    marker: tuple[str, bytes],
    expect: FolderState | None = None,
    removed: Sequence[str] = (),
) -> Written | None:
    """Bring `out` to exactly `outputs` (plus the marker) by writing only what changed; return
    the number of files written and the folder's state after, or None when the folder cannot
    be proven to hold what the manifest says or the change needs the full swap (the caller
    then does that).

    With `expect` (a `folder_state`), `outputs` are only the files that changed since the
    build that left the folder in that state, and `removed` the files to delete: every other
    file stays as it is, and the folder must be in exactly that state."""
    manifest = trusted(folder, out, expect)
    if manifest is None:
        return None
    old: dict[str, tuple[Stamp, bytes]] = manifest["files"]
    data = {o.path: o.data for o in outputs}
    digests = {rel: cache.digest(body) for rel, body in data.items()}
    if expect is None:
        digests[marker[0]] = cache.digest(marker[1])
        data[marker[0]] = marker[1]
    else:
        gone = set(removed)
        digests = {**{r: found for r, (_, found) in old.items() if r not in gone}, **digests}
    changed = [rel for rel, d in digests.items() if rel not in old or old[rel][1] != d]
    removed = sorted(rel for rel in old if rel not in digests)
    if not changed and not removed:
        return Written(0, _state(old, manifest["folders"]))
    for rel in changed:
        if _clash(rel, old, manifest["folders"]) or not _inside(out, rel):
            return None  # a file turning into a folder or back, or an unsafe path: full swap
    forget(folder, out)
    shutil.rmtree(staging, ignore_errors=True)
    committed = False
    try:
        staging.mkdir()
        renames = []
        for index, rel in enumerate(changed):
            name = str(index)
            modes.write_file(staging / name, data[rel])
            renames.append([name, rel])
        _write_journal(staging, {"renames": renames, "removed": removed, "folder": _identity(out)})
        committed = True
        roll_forward(staging, out)
    except BaseException:
        if not committed:
            shutil.rmtree(staging, ignore_errors=True)
        raise  # a committed change is finished by the next run's `recover`
    return Written(len(changed), _update(folder, out, manifest, digests, changed, removed))


def _update(
    folder: Path | None,
    out: Path,
    manifest: dict[str, Any],
    digests: dict[str, bytes],
    changed: list[str],
    removed: list[str],
) -> FolderState | None:
    """Save the manifest after an incremental write without walking the folder again: the
    walk that proved it is still true except for the files just renamed or removed, which are
    looked at here. (Anything changed by someone else meanwhile differs from what is recorded,
    so the next build does not trust it.) Returns the folder's state as saved."""
    if folder is None:
        return None
    files: dict[str, tuple[Stamp, bytes]] = dict(manifest["files"])
    folders: set[str] = set(manifest["folders"])
    for rel in removed:
        del files[rel]
        parts = rel.split("/")
        for i in range(len(parts) - 1, 0, -1):
            parent = "/".join(parts[:i])
            if os.path.isdir(out / parent):
                break
            folders.discard(parent)
    for rel in changed:
        try:
            st = os.lstat(out / rel)
        except OSError:
            return None
        files[rel] = (Stamp.of(st), digests[rel])
        parts = rel.split("/")
        folders.update("/".join(parts[:i]) for i in range(1, len(parts)))
    _save(folder, out, files, folders)
    return _state(files, folders)


def _state(files: dict[str, tuple[Stamp, bytes]], folders: set[str]) -> FolderState:
    """The `folder_state` that manifest entries (status and digest by path) describe."""
    return {rel: status for rel, (status, _) in files.items()}, set(folders)


def _clash(rel: str, old: dict[str, Any], folders: set[str]) -> bool:
    if rel in folders:
        return True
    parts = rel.split("/")
    return any("/".join(parts[:i]) in old for i in range(1, len(parts)))


def _inside(out: Path, rel: str) -> bool:
    if path_problem("/" + rel) is not None:
        return False
    return (out / rel).parent.resolve().is_relative_to(out)


def _write_journal(staging: Path, journal: dict[str, Any]) -> None:
    tmp = staging / f"{JOURNAL}.tmp"
    with open(tmp, "wb") as handle:
        handle.write(json.dumps(journal).encode())
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(tmp, staging / JOURNAL)


def _identity(folder: Path) -> list[int]:
    """The output folder's device and inode: a full swap replaces the folder, so a journal
    written for the old one can never be applied to its successor."""
    stat = folder.stat()
    return [stat.st_dev, stat.st_ino]


def _read_journal(staging: Path) -> dict[str, Any] | None:
    """A whole, well-formed journal whose every path is a plain output path."""
    try:
        journal = json.loads((staging / JOURNAL).read_bytes())
        renames, removed, folder = journal["renames"], journal["removed"], journal["folder"]
        names = [name for name, _ in renames]
        targets = [rel for _, rel in renames] + list(removed)
    except (OSError, ValueError, KeyError, TypeError):
        return None
    if not all(isinstance(n, str) and n.isdigit() for n in names):
        return None
    if not all(isinstance(rel, str) and path_problem("/" + rel) is None for rel in targets):
        return None
    return {"renames": renames, "removed": list(removed), "folder": folder}


def roll_forward(staging: Path, out: Path, strict: bool = True) -> bool:
    """Finish the change journaled in `staging` (if it holds a whole journal) and remove the
    staging folder; True when there was a journal. Safe to run again after a kill.

    `strict` (the build that wrote the journal) raises on a failed step. `recover` is not
    strict: a step the file system refuses (someone put a folder where a file goes) is
    skipped rather than failing every later run; the manifest is gone by then, so the next
    build writes the whole folder."""
    journal = _read_journal(staging)
    if journal is None:
        return False
    try:
        current = _identity(out)
    except OSError:
        current = None
    if current != journal["folder"]:  # written for a folder that has since been replaced
        shutil.rmtree(staging, ignore_errors=True)
        return True
    for name, rel in journal["renames"]:
        source = staging / name
        if not source.is_file():
            continue  # renamed before the kill
        if not _inside(out, rel):
            continue  # a folder on the way became a link out of the output: never follow it
        target = out / rel
        try:
            modes.make_folders(target.parent, out)
            os.replace(source, target)
        except FileNotFoundError:
            pass  # another run's recover took it first
        except OSError:
            if strict:
                raise
    for rel in journal["removed"]:
        if not _inside(out, rel):
            continue
        target = out / rel
        try:
            target.unlink()
        except (FileNotFoundError, IsADirectoryError):
            pass
        except OSError:
            if strict:
                raise
        _prune(out, target.parent)
    (staging / JOURNAL).unlink(missing_ok=True)
    shutil.rmtree(staging, ignore_errors=True)
    return True


def _prune(out: Path, folder: Path) -> None:
    """Remove `folder` and its parents below `out` while they are empty."""
    while folder != out and folder.is_relative_to(out):
        try:
            folder.rmdir()
        except OSError:
            return
        folder = folder.parent
