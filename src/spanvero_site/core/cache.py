"""The persistent build cache under `.spanvero/cache/` in the site folder (never elsewhere).

It holds these, each keyed so that a stale entry can never change a build's output:
- `build.bin` / `check.bin`: the last run's diagnostics, keyed by a digest of every input byte
  (content/, templates/, static/), the build options, the command and the code version (the
  spanvero package's own files and the versions of the libraries that shape the output). With
  the same key, and an output folder still holding exactly the files (their `Stamp`s) that run
  left there, nothing needs to be built or written again;
- `digests.bin`: each input file's content digest under its status when read (size, mtime,
  ctime, inode), so that key costs a `stat` per unchanged file, not a read (`FileDigests`);
- `files/`, `markdown/`, `pages/`, `jinja/`: the builder's memos for the next process, each a
  `ShardedStore` (see `persist.py`);
- `resume-*.bin`: a small copy of the last full build into an output folder
  (`core/resume.py`), and an index of it: the edits resumed builds made since, the digest of
  every input the last of them read and the output folder's state it left, so a new process
  after one explainer's edit rebuilds only the pages that show it (`RunCache.resumable`);
- `search/`: what the search indexer read from each page (`search.Document`) with a digest of
  the page's bytes, by its path, in a `ShardedStore` keyed by the code.

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
import sys
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

if TYPE_CHECKING:
    from spanvero_site.core.children import Forked

CACHE_DIR = ".spanvero/cache"
INPUT_DIRS = ("content", "templates", "static")
MAGIC = b"spanvero-cache 2\n"
# Build options that cannot change the output (the tests check workers), left out of the key.
NOT_OUTPUT = ("workers", "cache")
MACHINE_ID = "/etc/machine-id"
SEARCH_MEMO = "search"


def digest(*parts: bytes) -> bytes:
    """One digest of several byte strings, each length-prefixed so no two lists collide."""
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
    return hmac.new(secret, digest(key, payload), hashlib.sha256).digest()


@functools.cache
def code_key() -> bytes:
    """A digest of the code that makes the output: this package's files, the installed
    libraries (by their distributions' names, which carry their versions), Python."""
    package = Path(__file__).resolve().parent.parent
    parts = [sys.version.encode(), _installed().encode()]
    for dirpath, dirnames, filenames in os.walk(package):
        dirnames[:] = sorted(d for d in dirnames if d != "__pycache__")
        for name in sorted(filenames):
            if name.endswith((".pyc", ".pyo")):
                continue
            path = Path(dirpath, name)
            parts += [path.relative_to(package).as_posix().encode(), path.read_bytes()]
    return digest(*parts)


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


class ShardedStore:
    """A persistent map from names to values, split over `shards` files (`SHARDS` unless told)
    by a hash of the name.

    A build that changed a few sources rewrites the few shards that hold them, not one file
    of all 4,000 pages, and a process that needs a few entries reads only their shards. Each
    shard is an ordinary cache file (`save`/`load`: authenticated, atomic, ignored when stale,
    corrupt or missing), so a bad shard costs only its entries.
    """

    SHARDS = 32

    def __init__(self, folder: Path | None, name: str, key: bytes, shards: int = SHARDS) -> None:
        if not 0 < shards <= 256:
            raise ValueError("a store has 1 to 256 shards")  # one byte of the name's hash
        self.folder = folder / name if folder is not None else None
        self.key = key
        self.shards = shards
        self._loaded: list[dict[str, Any]] = [{} for _ in range(shards)]

    def shard(self, name: str) -> int:
        """The shard a name lives in: fixed by the name and the number of shards alone, the
        same in every process."""
        encoded = name.encode("utf-8", "surrogateescape")
        return hashlib.blake2b(encoded, digest_size=2).digest()[0] % self.shards

    def load(self) -> dict[str, Any]:
        """Every entry of every shard that loads (a stale or damaged shard gives none)."""
        found: dict[str, Any] = {}
        for index in range(self.shards):
            entries = load(self.folder, f"{index:02x}.bin", self.key)
            if isinstance(entries, dict):
                self._loaded[index] = entries
                found.update(entries)
        return found

    def load_some(self, names: Iterable[str]) -> dict[str, Any]:
        """The entries of these names that load, reading only the shards that hold them (a
        new process that needs a few pages' entries, not all). Read-only: the store's record
        of what it last loaded or saved, which `changes` compares with, is left as it was."""
        found: dict[str, Any] = {}
        wanted: dict[int, list[str]] = {}
        for name in names:
            wanted.setdefault(self.shard(name), []).append(name)
        for index, in_shard in sorted(wanted.items()):
            entries = load(self.folder, f"{index:02x}.bin", self.key)
            if isinstance(entries, dict):
                found.update({name: entries[name] for name in in_shard if name in entries})
        return found

    def save(self, entries: dict[str, Any]) -> None:
        """Keep exactly `entries` (see `changes`)."""
        self.changes(entries)()

    def update(self, entries: dict[str, Any]) -> None:
        """Set these entries and keep every other, reading and rewriting only their shards
        (for a build that saw a few pages, not all)."""
        touched: dict[int, dict[str, Any]] = {}
        for name, value in entries.items():
            index = self.shard(name)
            if index not in touched:
                stored = load(self.folder, f"{index:02x}.bin", self.key)
                touched[index] = dict(stored) if isinstance(stored, dict) else {}
            touched[index][name] = value
        for index, shard in touched.items():
            self._loaded[index] = shard
            save(self.folder, f"{index:02x}.bin", self.key, shard)

    def changes(self, entries: dict[str, Any]) -> Callable[[], None]:
        """Make `entries` what this store holds, and return the function that writes the
        shards whose names or values differ from what `load` or the last `save` saw (values
        compared by identity: a reused entry is the very object that was loaded, so this costs
        no deep comparison). Writing can so wait, or run in another process (`Builder`)."""
        shards: list[dict[str, Any]] = [{} for _ in range(self.shards)]
        for name, value in entries.items():
            shards[self.shard(name)][name] = value
        changed = []
        for index, (new, old) in enumerate(zip(shards, self._loaded, strict=True)):
            if new.keys() != old.keys() or any(v is not old[n] for n, v in new.items()):
                changed.append((f"{index:02x}.bin", new))
                self._loaded[index] = new
        folder, key = self.folder, self.key

        def write() -> None:
            for name, shard in changed:
                save(folder, name, key, shard)

        return write


def _write_atomic(path: Path, data: bytes) -> None:
    import tempfile  # not needed when nothing is written

    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _inputs(root: Path) -> list[tuple[str, str]] | None:
    """(name, path) of every input file: the site's content/, templates/, static/ (and a
    marker for each of those folders that exists) and this package's own source files."""
    found: list[tuple[str, str]] = []
    for top in INPUT_DIRS:
        base = root / top
        found.append((f"{top}:{base.is_dir()}", ""))
        try:
            found += sorted(_files(str(base), top))
        except _LinkedFolder:
            return None
    package = Path(__file__).resolve().parent.parent
    try:
        code = _files(str(package), "spanvero:")
    except _LinkedFolder:
        return None
    found += sorted(
        (rel, path)
        for rel, path in code
        if "/__pycache__/" not in rel and not rel.endswith((".pyc", ".pyo"))
    )
    return found


def _installed() -> str:
    """The names (and so the versions) of every installed distribution on the import path:
    a library upgrade can change the output, and listing folders costs far less than asking
    importlib.metadata for each version."""
    names = []
    for entry in sys.path:
        try:
            listed = os.listdir(entry or ".")
        except OSError:
            continue
        names += [n for n in listed if n.endswith((".dist-info", ".egg-info"))]
    return ";".join(sorted(names))


def _settings(options: Any, extra: Sequence[str]) -> list[bytes]:
    """What a run's output depends on besides its input files: Python, the installed
    libraries, the options that shape the output, the command and where it writes."""
    settings = {k: v for k, v in asdict(options).items() if k not in NOT_OUTPUT}
    parts = [sys.version.encode(), _installed().encode(), repr(sorted(settings.items())).encode()]
    return parts + [e.encode() for e in extra]


def _run_key(settings: list[bytes], inputs: list[tuple[str, str]], digests: FileDigests) -> bytes:
    parts = list(settings)
    for rel, path in inputs:
        parts.append(rel.encode("utf-8", "surrogateescape"))
        if path:
            parts.append(digests.of(rel, path))
    return digest(*parts)


# A file whose status changed this recently may change again within one tick of the file
# system's clock with an identical status, so its digest is not remembered (as git does for
# "racily clean" files): the next run reads it again.
RACY_NS = 2_000_000_000
DIGESTS = "digests.bin"
_DIGESTS_KEY = b"file digests 2"


class Stamp(NamedTuple):
    """A file's status, the one fingerprint every cache compares (run digests, the builder's
    memos, the output manifest): equal stamps mean unchanged content unless the file is
    `racy`. ctime cannot be set back, so even an edit that restores the mtime changes the
    stamp; the inode tells a replaced file."""

    size: int
    mtime_ns: int
    ctime_ns: int
    inode: int

    @classmethod
    def of(cls, st: os.stat_result) -> Stamp:
        return cls(st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino)

    def racy(self, now_ns: int) -> bool:
        """Changed within RACY_NS of `now_ns`: it may change again with this very stamp."""
        return max(self.mtime_ns, self.ctime_ns) >= now_ns - RACY_NS


def _stat(path: str) -> Stamp | None:
    try:
        return Stamp.of(os.stat(path))
    except OSError:
        return None


@dataclass
class FileDigests:
    """Content digests of files, reused while a file's size, mtime, ctime and inode are all
    what they were when it was last read (ctime cannot be set back, so even an edit that
    restores the mtime is seen). Any other file is read and hashed."""

    known: dict[str, tuple[Stamp, bytes]]
    seen: dict[str, tuple[Stamp | None, bytes]] = field(default_factory=dict)
    racy: set[str] = field(default_factory=set)
    complete: bool = True

    def of(self, rel: str, path: str) -> bytes:
        stat = _stat(path)
        entry = self.known.get(rel)
        if stat is not None and entry is not None and entry[0] == stat:
            self.seen[rel] = entry
            return entry[1]
        now = time.time_ns()
        found = _read_digest(path)
        if found is None or stat is None:
            self.complete = False
            found = b"unreadable"
        elif stat.racy(now):
            self.racy.add(rel)
        self.seen[rel] = (stat, found)
        return found

    def trusted(self) -> dict[str, tuple[Stamp, bytes]]:
        """What the next run may reuse: every file read and not racy."""
        return {
            rel: (stat, found)
            for rel, (stat, found) in self.seen.items()
            if stat is not None and rel not in self.racy
        }


def _read_digest(path: str) -> bytes | None:
    try:
        with open(path, "rb") as handle:
            return digest(handle.read())
    except OSError:
        return None


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


def folder_state(folder: Path) -> tuple[dict[str, Stamp], set[str]] | None:
    """Every file under `folder` with its `Stamp`, and every folder; None if `folder` is not a
    plain folder or holds anything but plain files and folders (a link, a pipe). The run cache
    and the writer's manifest (`outstate.py`) both prove the output folder with it."""
    if folder.is_symlink() or not folder.is_dir():
        return None
    files: dict[str, Stamp] = {}
    folders: set[str] = set()
    pending = [(str(folder), "")]
    try:
        while pending:
            path, prefix = pending.pop()
            for entry in os.scandir(path):
                rel = prefix + entry.name
                if entry.is_dir(follow_symlinks=False):
                    folders.add(rel)
                    pending.append((entry.path, rel + "/"))
                elif entry.is_file(follow_symlinks=False):
                    files[rel] = Stamp.of(entry.stat(follow_symlinks=False))
                else:
                    return None
    except OSError:
        return None
    return files, folders


# Per settings (options, command, output folder): which copy a build may resume from, and for
# which inputs and output folder state (`resume-<settings>.bin`); the copy a full build saved
# (`resume-<settings>-base.bin`).
RESUME = "resume-{}.bin"
RESUME_BASE = "resume-{}-base.bin"
_RESUME_KEY = b"resume 2"


class Resumed(NamedTuple):
    """What a build may resume from (`core/resume.py`): the copy a full build saved (`base`),
    the edits resumed builds made since (`since`, None for none), the one input file changed
    since, and the output folder's state (`folder_state`) the last of them left."""

    rel: str
    base: Any
    since: Any
    out: tuple[dict[str, Stamp], set[str]]
    token: bytes  # ties the index to the copy it was written for


@dataclass(frozen=True)
class CachedRun:
    """What the last run reported, for a run that has nothing to do."""

    diagnostics: list[Any]
    pages: int


@dataclass
class RunCache:
    """The whole-run cache for one `spanvero build` or `check`: is there anything to do?

    `hit` holds the last run's diagnostics and pages when every input, option
    and the code are as they were and, for a build, the output folder is exactly as that run
    left it; the caller then builds and writes nothing. Otherwise it runs as before and calls
    `record` afterwards. Inputs are compared by content digest; a file's digest is read again
    unless its status is exactly the one it had when it was last read (`FileDigests`).
    """

    folder: Path | None
    name: str
    key: bytes | None
    out: Path | None
    hit: CachedRun | None = None
    inputs: tuple[Path, Any, tuple[str, ...]] | None = None
    digests: FileDigests | None = None
    listing: list[tuple[str, str]] | None = None  # every input: (name, path or "" for a marker)
    resumed: Resumed | None = None  # what this run may resume from (`resumable`)
    staged: tuple[bytes, Forked] | None = None  # a copy being saved (`stage`), and its token
    settings: list[bytes] = field(default_factory=list)  # `_settings` of this run

    @classmethod
    def open(
        cls, root: Path, options: Any, command: str, out: Path | None, search: bool
    ) -> RunCache:
        folder = cache_folder(root)
        target = str(out.resolve()) if out is not None else ""
        extra = (command, f"search={search}", target)
        cache = cls(folder, f"{command}.bin", None, out, None, (root, options, extra))
        cache.settings = _settings(options, extra)
        inputs = _inputs(root)
        if inputs is None:
            return cache
        known = load(folder, DIGESTS, _DIGESTS_KEY)
        cache.digests = FileDigests(known if isinstance(known, dict) else {})
        key = _run_key(cache.settings, inputs, cache.digests)
        if not cache.digests.complete:
            return cache
        cache.key, cache.listing = key, inputs
        stored = load(folder, cache.name, key)
        if isinstance(stored, dict) and (out is None or folder_state(out) == stored["out"]):
            cache.hit = CachedRun(stored["diagnostics"], stored["pages"])
        return cache

    def record(
        self, result: Any, failed: bool, out: tuple[dict[str, Stamp], set[str]] | None = None
    ) -> None:
        """Remember a successful run, and what the next may resume from: the copy this run
        staged, or the edits a resumed run made. `out` is the output folder's state when the
        writer already knows it (else a walk finds it).

        A failed run is not remembered (it is simply done again next time), and it leaves
        the last clean run's record and copy in place: an editor who breaks a file and puts
        it back gets that run's answer at once, and one who fixes it differently resumes from
        its copy. The record cannot answer for a folder the failed run changed, since it holds
        the stamp of every file that run left there."""
        saved = self._staged()
        if self.key is None or self.hit is not None or self.digests is None or failed:
            return
        state = out or (folder_state(self.out) if self.out is not None else None)
        if self.out is not None and state is None:
            return
        if not self._inputs_unchanged():
            return  # an input changed while the build ran: what it read is not what the key says
        value = {
            "diagnostics": list(result.diagnostics.items),
            "pages": result.pages,
            "out": state,
        }
        save(self.folder, DIGESTS, _DIGESTS_KEY, self.digests.trusted())
        save(self.folder, self.name, self.key, value)
        name = RESUME.format(self._settings_name())
        if saved is not None:
            token, since = saved, None
        elif result.partial and self.resumed is not None and result.since is not None:
            token, since = self.resumed.token, result.since
        else:
            if result.partial and self.folder is not None:  # its new copy was not saved
                (self.folder / name).unlink(missing_ok=True)
            return
        index = {"inputs": self._input_digests(), "out": state, "token": token, "since": since}
        save(self.folder, name, self._resume_key(), index)

    def stage(self, make: Callable[[], Any]) -> None:
        """Start making and saving a build's resumable copy (`make()`, under a new token) in a
        forked child, beside the writing of the site; `record` waits for it and, if the run is
        recorded, points the next run at it. A copy staged before (by a resumed build the full
        build then replaced) is waited for and dropped. Call it from the main thread only."""
        if self.key is None or self.folder is None:
            return
        self._staged()
        from spanvero_site.core.children import Forked  # ctypes: not for a run with nothing to do

        token, folder, key = os.urandom(16), self.folder, self._resume_key()
        name = RESUME_BASE.format(self._settings_name())

        def made() -> None:
            base = make()
            if base is None:
                raise LookupError("no clean build to resume from")  # the child fails: no token
            save(folder, name, key, (token, base))

        self.staged = token, Forked(made)

    def _staged(self) -> bytes | None:
        """The token of the copy `stage` saved, once its child has ended (None if it failed)."""
        if self.staged is None:
            return None
        (token, child), self.staged = self.staged, None
        return token if child.wait() else None

    def resumable(self) -> Resumed | None:
        """What a build may resume from: the copy the last clean run with these settings and
        this code made or resumed from, when exactly one input file under content/ differs
        from the files that run read (none added, none removed)."""
        if self.key is None or self.listing is None:
            return None
        key, name = self._resume_key(), self._settings_name()
        index = load(self.folder, RESUME.format(name), key)
        if not isinstance(index, dict):
            return None
        old, now = index.get("inputs"), self._input_digests()
        if not isinstance(old, dict) or old.keys() != now.keys():
            return None
        changed = [rel for rel, found in now.items() if old[rel] != found]
        if len(changed) != 1 or not changed[0].startswith(f"{INPUT_DIRS[0]}/"):
            return None
        stored = load(self.folder, RESUME_BASE.format(name), key)
        token, out = index.get("token"), index.get("out")
        if not isinstance(stored, tuple) or len(stored) != 2 or stored[0] != token:
            return None  # the copy was replaced since (by a build that was not recorded)
        if not isinstance(out, tuple) or not isinstance(token, bytes):
            return None
        self.resumed = Resumed(changed[0], stored[1], index.get("since"), out, token)
        return self.resumed

    def _input_digests(self) -> dict[str, bytes]:
        """Each input's content digest as this run read it (b"" for a folder marker)."""
        assert self.listing is not None and self.digests is not None
        seen = self.digests.seen
        return {rel: seen[rel][1] if path else b"" for rel, path in self.listing}

    def _resume_key(self) -> bytes:
        """The run's settings and code: a resumable copy made by other code is never
        unpickled."""
        return digest(_RESUME_KEY, code_key(), *self.settings)

    def _settings_name(self) -> str:
        """A name for the run's settings (not the code: a new version replaces the old
        version's files), so builds with search and without each keep their own copy."""
        return digest(*self.settings).hex()[:16]

    def _inputs_unchanged(self) -> bool:
        """Every input file has the status it had when the key was computed, and each racy
        one (changed too recently for its status to tell) still has the same content."""
        assert self.inputs is not None and self.digests is not None
        inputs = _inputs(self.inputs[0])
        seen = self.digests.seen
        if inputs is None or {rel for rel, path in inputs if path} != set(seen):
            return False
        for rel, path in inputs:
            if path and _stat(path) != seen[rel][0]:
                return False
        return all(_read_digest(p) == seen[r][1] for r, p in inputs if r in self.digests.racy)
