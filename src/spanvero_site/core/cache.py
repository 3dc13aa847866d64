"""The persistent build cache under `.spanvero/cache/` in the site folder (never elsewhere).

It holds three things, each keyed so that a stale entry can never change a build's output:
- `build.bin` / `check.bin`: the last run's diagnostics, keyed by a digest of every input byte
  (content/, templates/, static/), the build options, the command and the code version (the
  spanvero package's own files and the versions of the libraries that shape the output). With
  the same key, and an output folder still holding exactly the files (sizes and mtimes) that run
  left there, nothing needs to be built or written again;
- `markdown.bin`: rendered Markdown bodies, keyed by their text and settings and valid only for
  the same code version, checked again against the current `.md` link targets before use;
- `search/`: the last Pagefind index, keyed by the bytes of the pages it indexes, copied into
  the new output instead of running Pagefind again.

Every file is written to a temporary name and renamed, and carries a MAC of its key and payload
under a secret that never sits in the site folder: this machine's id (or SPANVERO_CACHE_SECRET,
for a CI that restores the cache on another machine). So a corrupt, truncated or half-written
file is ignored, and so is one that anybody else wrote, such as a cache file committed to the
site's repository: nothing is unpickled before its MAC checks out, so a hostile file cannot run
code. Without a secret there is no persistent cache. A missing or unwritable
cache only makes the build slower. CI can save and restore the folder between runs.
"""

from __future__ import annotations

import functools
import hashlib
import hmac
import os
import pickle
import shutil
import sys
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from spanvero_site.core.pages import Output

CACHE_DIR = ".spanvero/cache"
INPUT_DIRS = ("content", "templates", "static")
MAGIC = b"spanvero-cache 2\n"
# Libraries whose version can change a byte of the output.
LIBRARIES = ("jinja2", "markupsafe", "markdown-it-py", "mdit-py-plugins", "pygments", "pyyaml")
# Build options that cannot change the output (the tests check workers), left out of the key.
NOT_OUTPUT = ("workers", "cache")
SEARCH_TOOLS = ("pagefind", "pagefind-bin", "pagefind_bin")
MACHINE_ID = "/etc/machine-id"


def _digest(*parts: bytes) -> bytes:
    h = hashlib.blake2b(digest_size=32)
    for part in parts:
        h.update(len(part).to_bytes(8, "little"))
        h.update(part)
    return h.digest()


@functools.cache
def _secret() -> bytes | None:
    """The key cache files are authenticated with: known to this machine and user only."""
    configured = os.environ.get("SPANVERO_CACHE_SECRET", "")
    if configured:
        return configured.encode()
    try:
        machine = Path(MACHINE_ID).read_bytes().strip()
    except OSError:
        return None
    return machine + b"\0" + str(os.getuid()).encode() if machine else None


def _tag(key: bytes, payload: bytes) -> bytes | None:
    secret = _secret()
    if secret is None:
        return None
    return hmac.new(secret, _digest(key, payload), hashlib.sha256).digest()


def _versions(names: Sequence[str]) -> str:
    from importlib import metadata  # slow to import; only needed once the cache is used

    found = []
    for name in names:
        try:
            found.append(f"{name}={metadata.version(name)}")
        except metadata.PackageNotFoundError:
            found.append(f"{name}=-")
    return ";".join(found)


@functools.cache
def code_key() -> bytes:
    """A digest of the code that makes the output: this package's files, libraries, Python."""
    package = Path(__file__).resolve().parent.parent
    parts = [sys.version.encode(), _versions(LIBRARIES).encode()]
    for dirpath, dirnames, filenames in os.walk(package):
        dirnames[:] = sorted(d for d in dirnames if d != "__pycache__")
        for name in sorted(filenames):
            if name.endswith((".pyc", ".pyo")):
                continue
            path = Path(dirpath, name)
            parts += [path.relative_to(package).as_posix().encode(), path.read_bytes()]
    return _digest(*parts)


def cache_folder(root: Path) -> Path | None:
    """The cache folder inside `root`, or None when `.spanvero` or the cache is a link (it
    could lead outside the site folder) or anything else stands in its way."""
    root = root.resolve()
    folder = root / CACHE_DIR
    for part in (root / ".spanvero", folder):
        if part.is_symlink() or (part.exists() and not part.is_dir()):
            return None
    return folder


def load(folder: Path | None, name: str, key: bytes) -> Any:
    """The value saved under `name` with this `key`, or None (missing, stale, corrupt)."""
    if folder is None:
        return None
    try:
        data = (folder / name).read_bytes()
    except OSError:
        return None
    head = len(MAGIC)
    if not data.startswith(MAGIC) or len(data) < head + 32:
        return None
    stored, payload = data[head : head + 32], data[head + 32 :]
    expected = _tag(key, payload)
    if expected is None or not hmac.compare_digest(stored, expected):
        return None
    try:
        return pickle.loads(payload)
    except Exception:
        return None


def save(folder: Path | None, name: str, key: bytes, value: Any) -> None:
    """Save `value` under `name` atomically; a failure to write leaves the cache as it was."""
    if folder is None:
        return
    try:
        payload = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
        tag = _tag(key, payload)
        if tag is None:
            return
        folder.mkdir(parents=True, exist_ok=True)
        _write_atomic(folder / name, MAGIC + tag + payload)
    except (OSError, pickle.PicklingError):
        return


def _write_atomic(path: Path, data: bytes) -> None:
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def input_key(root: Path, options: Any, *extra: str) -> bytes | None:
    """A digest of every byte the build reads, of `options` and `extra`, and of the code.

    None when an input folder holds a symbolic link to a folder: the key would not cover it.
    """
    settings = {k: v for k, v in asdict(options).items() if k not in NOT_OUTPUT}
    parts = [code_key(), repr(sorted(settings.items())).encode(), *(e.encode() for e in extra)]
    for top in INPUT_DIRS:
        base = root / top
        parts.append(f"{top}:{base.is_dir()}".encode())
        try:
            files = sorted(_files(str(base), top))
        except _LinkedFolder:
            return None
        for rel, path in files:
            try:
                with open(path, "rb") as handle:
                    parts += [rel.encode("utf-8", "surrogateescape"), handle.read()]
            except OSError:
                return None
    return _digest(*parts)


class _LinkedFolder(Exception):
    pass


def _files(folder: str, prefix: str) -> list[tuple[str, str]]:
    """(site-relative name, path) of every file under `folder`; a linked folder raises."""
    found: list[tuple[str, str]] = []
    try:
        entries = list(os.scandir(folder))
    except (FileNotFoundError, NotADirectoryError):
        return found
    for entry in entries:
        rel = f"{prefix}/{entry.name}"
        if entry.is_dir(follow_symlinks=False):
            found += _files(entry.path, rel)
        elif entry.is_symlink() and entry.is_dir():
            raise _LinkedFolder(rel)
        else:
            found.append((rel, entry.path))
    return found


def folder_state(folder: Path) -> dict[str, tuple[int, int, int]] | None:
    """Every file under `folder` with its size, mtime and inode (None if it is missing)."""
    if not folder.is_dir() or folder.is_symlink():
        return None
    state: dict[str, tuple[int, int, int]] = {}
    pending = [(str(folder), "")]
    while pending:
        path, prefix = pending.pop()
        for entry in os.scandir(path):
            if entry.is_dir(follow_symlinks=False):
                pending.append((entry.path, f"{prefix}{entry.name}/"))
            else:
                stat = entry.stat(follow_symlinks=False)
                state[prefix + entry.name] = (stat.st_size, stat.st_mtime_ns, stat.st_ino)
    return state


@dataclass
class RunCache:
    """The whole-run cache for one `spanvero build` or `check`: is there anything to do?

    `hit` holds the last run's (diagnostics, pages, files written) when every input, option and
    the code are as they were and, for a build, the output folder is exactly as that run left
    it; the caller then builds and writes nothing. Otherwise it runs as before and calls
    `record` afterwards.
    """

    folder: Path | None
    name: str
    key: bytes | None
    out: Path | None
    hit: tuple[list[Any], int, int] | None = None
    inputs: tuple[Path, Any, tuple[str, ...]] | None = None

    @classmethod
    def open(
        cls, root: Path, options: Any, command: str, out: Path | None, search: bool
    ) -> RunCache:
        folder = cache_folder(root)
        target = str(out.resolve()) if out is not None else ""
        extra = (command, f"search={search}", target)
        key = input_key(root, options, *extra)
        cache = cls(folder, f"{command}.bin", key, out, None, (root, options, extra))
        if key is not None:
            stored = load(folder, cache.name, key)
            if stored is not None and (out is None or folder_state(out) == stored["out"]):
                cache.hit = (stored["diagnostics"], stored["pages"], stored["written"])
        return cache

    def result(self) -> Any:
        """The last run's BuildResult (without outputs: they are already written), or None."""
        if self.hit is None:
            return None
        from spanvero_site.core.builder import BuildResult  # the builder imports this module
        from spanvero_site.core.diagnostics import Diagnostics

        diags = Diagnostics()
        diags.extend(self.hit[0])
        return BuildResult((), diags, self.hit[1], 0.0)

    def written(self) -> int:
        """How many files the last run wrote to the (unchanged) output folder; 0 on a miss."""
        return self.hit[2] if self.hit is not None else 0

    def record(self, result: Any, written: int, failed: bool) -> None:
        """Remember a successful run (a failed one is simply done again next time)."""
        if self.key is None or self.hit is not None:
            return
        if failed:
            if self.folder is not None:
                (self.folder / self.name).unlink(missing_ok=True)
            return
        state = folder_state(self.out) if self.out is not None else None
        if self.out is not None and state is None:
            return
        if self.inputs is None or input_key(*self.inputs[:2], *self.inputs[2]) != self.key:
            return  # an input changed while the build ran: what it read is not what the key says
        value = {
            "diagnostics": list(result.diagnostics.items),
            "pages": result.pages,
            "written": written,
            "out": state,
        }
        save(self.folder, self.name, self.key, value)


def search_key(outputs: Sequence[Output], marker: bytes = b"data-pagefind-body") -> bytes:
    """A digest of what Pagefind indexes: the pages that mark a body region (all pages if
    none does, as Pagefind does), plus Pagefind's version."""
    pages = [o for o in outputs if o.path.endswith(".html")]
    marked = [o for o in pages if marker in o.data]
    parts = [code_key(), _versions(SEARCH_TOOLS).encode()]  # the code: how Pagefind is run
    for output in sorted(marked or pages, key=lambda o: o.path):
        parts += [output.path.encode(), output.data]
    return _digest(*parts)


def cached_search(
    root: Path, outputs: Sequence[Output], index: Callable[[Path], None], subdir: str = "pagefind"
) -> Callable[[Path], None]:
    """A `finish` step for the writer: copy the cached index when the indexed pages are
    unchanged, else run `index` and keep a copy of what it wrote for next time."""
    folder = cache_folder(root)

    def finish(staging: Path) -> None:
        key = search_key(outputs)
        if folder is not None and _restore(folder / "search", key, staging / subdir):
            return
        index(staging)
        if folder is not None:
            _keep(folder / "search", key, staging / subdir)

    return finish


def _restore(store: Path, key: bytes, dest: Path) -> bool:
    manifest = load(store, "manifest.bin", key)
    if not isinstance(manifest, dict) or dest.exists():
        return False
    try:
        for rel, digest in sorted(manifest.items()):
            data = (store / "files" / rel).read_bytes()
            if _digest(data) != digest:
                raise ValueError(rel)
            target = dest / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
    except (OSError, ValueError):
        shutil.rmtree(dest, ignore_errors=True)
        return False
    return True


def _keep(store: Path, key: bytes, source: Path) -> None:
    if not source.is_dir():
        return
    try:
        (store / "manifest.bin").unlink(missing_ok=True)  # never a manifest over half the files
        shutil.rmtree(store / "files", ignore_errors=True)
        manifest = {}
        for path in sorted(source.rglob("*")):
            if path.is_file():
                rel = path.relative_to(source).as_posix()
                data = path.read_bytes()
                target = store / "files" / rel
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(data)
                manifest[rel] = _digest(data)
        save(store, "manifest.bin", key, manifest)
    except OSError:
        return
