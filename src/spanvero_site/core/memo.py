"""What a Builder remembers between builds, so a rebuild redoes only the work whose inputs changed.

Three memos, each checked against exactly the inputs its result depends on (`persist.py` saves
them for the next process):
- files: a parsed source (and its diagnostics), valid while the file's `Stamp` and the
  settings it was parsed with are unchanged;
- markdown: a rendered body, valid while its text is unchanged and every `.md` link in it still
  resolves to the same URL;
- pages: a page's HTML, valid while the template environment (config, templates, assets) and
  the page's view context compare equal. Contexts are plain frozen data, so equality is exact:
  a page is re-rendered if and only if something it shows changed.
"""

from __future__ import annotations

import hashlib
import os
import time
from collections.abc import Callable, Hashable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from spanvero_site.core.cache import Stamp
from spanvero_site.core.diagnostics import Diagnostic, Diagnostics
from spanvero_site.core.guard import processing
from spanvero_site.core.markdown import MarkdownRenderer, MdResolver
from spanvero_site.core.pages import Rendered
from spanvero_site.core.pickling import tuple_pickled
from spanvero_site.core.pool import fork_map

T = TypeVar("T")

_Calls = tuple[tuple[str, str | None], ...]  # a body's `.md` lookups and what each resolved to


def file_key(path: Path) -> Stamp | None:
    """A cheap fingerprint of a file's content (its `Stamp`), None when it is gone."""
    try:
        return Stamp.of(path.stat())
    except FileNotFoundError:
        return None


def tree_key(folder: Path) -> tuple[tuple[str, Hashable], ...]:
    """The fingerprints of every file under `folder` (a template or data folder), and of every
    symbolic link by where it points.

    The walk does not follow a link to a folder, and the build refuses to read through one
    (`sources.refusal`); but adding, removing or moving such a link changes what the build
    reports, so it changes the key too. A broken link has no status; it is reported where
    the build reads it.
    """
    if not folder.is_dir():
        return ()
    entries: list[tuple[str, Hashable]] = []
    for dirpath, dirnames, filenames in os.walk(folder):
        dirnames.sort()
        linked = [d for d in dirnames if os.path.islink(os.path.join(dirpath, d))]
        for name in sorted([*filenames, *linked]):
            path = os.path.join(dirpath, name)
            entries.append((path, _entry_key(path)))
    return tuple(entries)


def _entry_key(path: str) -> Hashable:
    """A file's `Stamp` (through a link); a link's also says where it points."""
    try:
        stamp: Stamp | None = Stamp.of(os.stat(path))
    except OSError:
        stamp = None
    return (os.readlink(path), stamp) if os.path.islink(path) else stamp


def racy(key: object, now_ns: int) -> bool:
    """Whether any `Stamp` in a memo key (nested in tuples) is too recent to be trusted: the
    file may change again within one tick of the file system's clock with an identical status
    (git's "racily clean" files), so a result read from it is used in this process but not
    saved for the next (the same rule as `cache.FileDigests`)."""
    if isinstance(key, Stamp):
        return key.racy(now_ns)
    if isinstance(key, tuple):
        return any(racy(part, now_ns) for part in key)
    return False


_Load = Callable[[Diagnostics], Any]
# The key of a forgotten entry: equal to no key a load is asked with.
_FORGOTTEN = object()


class FileMemo:
    """Results of loading a source, with the diagnostics the load reported.

    `workers` is how many processes `prefill` may use: more than one only for a caller on the
    main thread (the command line), as forking a process that runs other threads is unsafe.
    """

    def __init__(self, workers: int = 1) -> None:
        self._entries: dict[str, tuple[Hashable, Any, tuple[Diagnostic, ...]]] = {}
        self._used: set[str] = set()
        self.workers = workers

    def prefill(self, jobs: Sequence[tuple[str, Hashable, _Load]]) -> None:
        """Run the (name, key, load) jobs whose key this memo lacks on the worker processes.

        Parsing thousands of front-matters is a cold build's second largest cost after
        Markdown. Only results travel back; a load that raised on a worker is left to `get`,
        which runs it again here, so its error is reported exactly as one process reports it.
        """
        missing = [
            job
            for job in jobs
            if (entry := self._entries.get(job[0])) is None or entry[0] != job[1]
        ]
        if len(missing) < PARALLEL_MIN or self.workers < 2:
            return
        for (name, key, _), result in zip(
            missing, fork_map(_load_job, missing, self.workers), strict=True
        ):
            if result is not None:
                self._entries[name] = (key, result[0], result[1])

    def get(
        self, name: str, key: Hashable, load: Callable[[Diagnostics], T], diags: Diagnostics
    ) -> T:
        """`load`'s result for `name`, recomputed only when `key` differs from last time."""
        self._used.add(name)
        entry = self._entries.get(name)
        if entry is not None and entry[0] == key:
            diags.extend(entry[2])
            return entry[1]  # type: ignore[no-any-return]
        local = Diagnostics()
        with processing(name):
            value = load(local)
        diags.extend(local.items)
        self._entries[name] = (key, value, tuple(local.items))
        return value

    def diagnostics(self, name: str) -> tuple[Diagnostic, ...]:
        """What loading `name` reported last time (empty if it was never loaded)."""
        entry = self._entries.get(name)
        return entry[2] if entry else ()

    def forget(self, name: str) -> None:
        """Drop the result for `name`, so the next `get` loads it again. What its load reported
        is kept for `diagnostics`: a fast path drops exactly those from the last build's
        diagnostics, so a warning fixed by the edit (an unknown key) does not linger."""
        entry = self._entries.get(name)
        if entry is not None:
            self._entries[name] = (_FORGOTTEN, None, entry[2])

    def forget_prefix(self, prefix: str) -> None:
        """Drop every entry whose name starts with `prefix` (all of one section's results)."""
        for name in [n for n in self._entries if n.startswith(prefix)]:
            del self._entries[name]

    def forget_unused(self) -> None:
        """Drop entries not asked for since the last call (deleted or renamed sources)."""
        for name in set(self._entries) - self._used:
            del self._entries[name]
        self._used.clear()

    def absorb(self, entries: Any) -> None:
        """Take entries saved by `export` (the persistent cache) for names this memo lacks;
        each is used only when `get` is asked with an equal key, like any other entry."""
        if isinstance(entries, dict):
            for name, entry in entries.items():
                if isinstance(entry, tuple) and len(entry) == 3:
                    self._entries.setdefault(name, entry)

    def export(self) -> dict[str, tuple[Hashable, Any, tuple[Diagnostic, ...]]]:
        """The entries the next process may trust: those whose key holds no racy `Stamp`.
        A key without stamps (derived from other data only) is trusted as it is."""
        now = time.time_ns()
        return {
            n: e for n, e in self._entries.items() if e[0] is not _FORGOTTEN and not racy(e[0], now)
        }


def _load_job(job: tuple[str, Hashable, _Load]) -> tuple[Any, tuple[Diagnostic, ...]] | None:
    local = Diagnostics()
    try:
        value = job[2](local)
    except Exception:  # reported when `get` runs the load again in the main process
        return None
    return value, tuple(local.items)


@tuple_pickled
@dataclass(frozen=True, slots=True)
class _MarkdownEntry:
    key: tuple[Any, ...]
    resolutions: tuple[tuple[str, str | None], ...]
    rendered: Rendered

    def valid(self, key: tuple[Any, ...], resolve: Callable[[str], str | None]) -> bool:
        """Same text and settings, and every `.md` link still resolves to the same URL."""
        return self.key == key and all(resolve(path) == url for path, url in self.resolutions)


class MarkdownMemo:
    """Rendered Markdown bodies by source, re-rendered when the text or a `.md` target moves."""

    def __init__(self) -> None:
        self._entries: dict[str, _MarkdownEntry] = {}
        self.renders = 0  # bodies rendered (not reused) since the last `export`

    def absorb(self, entries: Any) -> None:
        """Take entries saved by `export` (from the persistent cache) for sources this memo
        lacks; each is still checked against the current text and `.md` targets before use."""
        if isinstance(entries, dict):
            for source, entry in entries.items():
                if isinstance(entry, _MarkdownEntry):
                    self._entries.setdefault(source, entry)

    def holds(self, source: str) -> bool:
        """Whether a body of `source` was rendered or absorbed (it may since have changed)."""
        return source in self._entries

    def export(self, sources: set[str]) -> dict[str, _MarkdownEntry]:
        """The entries of these sources, to save; resets `renders`."""
        self.renders = 0
        return {s: e for s, e in self._entries.items() if s in sources}

    def render(
        self,
        renderer: MarkdownRenderer,
        body: str,
        *,
        source: str,
        body_line: int,
        resolve_md: MdResolver,
        base_path: str,
    ) -> Rendered:
        key = (_text_key(body), body_line, base_path, renderer.allow_html, renderer.reserved_ids)
        entry = self._entries.get(source)
        if entry is not None and entry.valid(key, lambda path: resolve_md(source, path)):
            return entry.rendered
        with processing(source):
            return self._render(renderer, body, key, source, resolve_md, base_path)

    def _render(
        self,
        renderer: MarkdownRenderer,
        body: str,
        key: tuple[Any, ...],
        source: str,
        resolve_md: MdResolver,
        base_path: str,
    ) -> Rendered:
        body_line = key[1]
        calls: list[tuple[str, str | None]] = []

        def recording(src: str, path: str) -> str | None:
            url = resolve_md(src, path)
            calls.append((path, url))
            return url

        rendered = renderer.render(
            body, source=source, body_line=body_line, resolve_md=recording, base_path=base_path
        )
        self._entries[source] = _MarkdownEntry(key, tuple(calls), rendered)
        self.renders += 1
        return rendered

    def prefill(
        self,
        renderer: MarkdownRenderer,
        jobs: Sequence[tuple[str, str, int]],
        md_urls: Mapping[str, str],
        base_path: str,
        workers: int,
    ) -> None:
        """Render the (source, body, body_line) jobs this memo lacks, on up to `workers` cores.

        Markdown is most of a cold build's time and each body renders on its own, so a large
        batch is split across worker processes; a small one is not worth their start-up.
        """
        key = (base_path, renderer.allow_html, renderer.reserved_ids)
        missing = [
            job
            for job in jobs
            if (entry := self._entries.get(job[0])) is None
            or not entry.valid((_text_key(job[1]), job[2], *key), md_urls.get)
        ]
        if len(missing) < PARALLEL_MIN or workers < 2:
            return

        def render(job: tuple[str, str, int]) -> tuple[_Calls, Rendered]:
            source, body, body_line = job
            calls: list[tuple[str, str | None]] = []

            def recording(_src: str, path: str) -> str | None:
                url = md_urls.get(path)
                calls.append((path, url))
                return url

            page = renderer.render(
                body, source=source, body_line=body_line, resolve_md=recording, base_path=base_path
            )
            return tuple(calls), page

        # Forked workers already hold the renderer, the bodies and md_urls: only results travel.
        results = fork_map(render, missing, workers)
        for (source, body, body_line), (calls, page) in zip(missing, results, strict=True):
            self._entries[source] = _MarkdownEntry((_text_key(body), body_line, *key), calls, page)
            self.renders += 1


PARALLEL_MIN = 200


def _text_key(body: str) -> bytes:
    """What a rendered body's entry keeps of its text: a digest, not the text itself, which
    would be a second copy of every body in memory and in the cache (a quarter of its size)."""
    return hashlib.blake2b(body.encode("utf-8", "surrogateescape"), digest_size=32).digest()


@dataclass(frozen=True, slots=True)
class RenderedPage:
    """A page's HTML, its bytes and the element ids in it (for anchor checks), with the
    digest of its template and context when the persistent cache is on (`persist.py`)."""

    template: str
    context: Mapping[str, Any]
    data: bytes
    ids: frozenset[str]
    digest: bytes | None = None


# What the persistent cache keeps of a page: (template, context digest, bytes, element ids).
StoredPage = tuple[str, bytes, bytes, frozenset[str]]


class PageMemo:
    """Rendered pages by URL, valid for one template environment."""

    def __init__(self) -> None:
        self._environment: Hashable = None
        self._entries: dict[str, RenderedPage] = {}
        self._stored: dict[str, StoredPage] = {}

    def use_environment(self, key: Hashable) -> bool:
        """Start a build in environment `key`; forget everything if it changed. True if kept."""
        if key == self._environment:
            return True
        self._environment = key
        self._entries.clear()
        self._stored = {}  # saved under the old environment: `absorb` brings the new one's
        return False

    def get(self, url: str, template: str, context: Mapping[str, Any]) -> RenderedPage | None:
        entry = self._entries.get(url)
        if entry is not None and entry.template == template and entry.context == context:
            return entry
        return None

    def put(self, url: str, page: RenderedPage) -> None:
        self._entries[url] = page

    def absorb(self, stored: Mapping[str, Any]) -> None:
        """Take the pages a previous process saved (`export`), for `recall`."""
        self._stored = {
            url: entry
            for url, entry in stored.items()
            if isinstance(entry, tuple) and len(entry) == 4 and isinstance(entry[2], bytes)
        }

    def stored(self, url: str) -> bool:
        return url in self._stored

    def recall(self, url: str, template: str, context: Mapping[str, Any], digest: bytes) -> bool:
        """Take a saved page rendered from the same template and context digest; True if so."""
        entry = self._stored.get(url)
        if entry is None or entry[0] != template or entry[1] != digest:
            return False
        self._entries[url] = RenderedPage(template, context, entry[2], entry[3], digest)
        return True

    def export(self, built: Mapping[str, RenderedPage]) -> dict[str, StoredPage]:
        """What to save of the built pages: the stored tuple itself where it is unchanged, so
        the store rewrites only the shards that hold changed pages."""
        found: dict[str, StoredPage] = {}
        for url, page in built.items():
            if page.digest is None:
                continue
            entry = self._stored.get(url)
            if entry is None or entry[:2] != (page.template, page.digest) or entry[2] != page.data:
                entry = (page.template, page.digest, page.data, page.ids)
            found[url] = entry
        self._stored = found
        return found

    def retain(self, urls: set[str]) -> None:
        for url in set(self._entries) - urls:
            del self._entries[url]
