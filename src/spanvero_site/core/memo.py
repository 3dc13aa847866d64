"""What a Builder remembers between builds, so a rebuild redoes only the work whose inputs changed.

Three memos, each checked against exactly the inputs its result depends on:
- files: a parsed source (and its diagnostics), valid while the file's mtime and size and the
  settings it was parsed with are unchanged;
- markdown: a rendered body, valid while its text is unchanged and every `.md` link in it still
  resolves to the same URL;
- pages: a page's HTML, valid while the template environment (config, templates, assets) and
  the page's view context compare equal. Contexts are plain frozen data, so equality is exact:
  a page is re-rendered if and only if something it shows changed.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Hashable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from spanvero_site.core.diagnostics import Diagnostic, Diagnostics
from spanvero_site.core.guard import processing
from spanvero_site.core.markdown import MarkdownRenderer, MdResolver
from spanvero_site.core.pages import Rendered
from spanvero_site.core.pool import fork_map

T = TypeVar("T")

_Calls = tuple[tuple[str, str | None], ...]  # a body's `.md` lookups and what each resolved to


def file_key(path: Path) -> tuple[int, int] | None:
    """A cheap fingerprint of a file's content: (mtime in ns, size), None when it is gone."""
    try:
        stat = path.stat()
    except FileNotFoundError:
        return None
    return stat.st_mtime_ns, stat.st_size


def tree_key(folder: Path) -> tuple[tuple[str, int, int], ...]:
    """The fingerprints of every file under `folder` (a template or data folder)."""
    if not folder.is_dir():
        return ()
    entries = []
    for dirpath, dirnames, filenames in os.walk(folder):
        dirnames.sort()
        for name in sorted(filenames):
            stat = os.stat(os.path.join(dirpath, name))
            entries.append((os.path.join(dirpath, name), stat.st_mtime_ns, stat.st_size))
    return tuple(entries)


class FileMemo:
    """Results of loading a source, with the diagnostics the load reported."""

    def __init__(self) -> None:
        self._entries: dict[str, tuple[Hashable, Any, tuple[Diagnostic, ...]]] = {}
        self._used: set[str] = set()

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
        """Drop the entry for `name`, so the next `get` loads it again."""
        self._entries.pop(name, None)

    def forget_prefix(self, prefix: str) -> None:
        """Drop every entry whose name starts with `prefix` (all of one section's results)."""
        for name in [n for n in self._entries if n.startswith(prefix)]:
            del self._entries[name]

    def forget_unused(self) -> None:
        """Drop entries not asked for since the last call (deleted or renamed sources)."""
        for name in set(self._entries) - self._used:
            del self._entries[name]
        self._used.clear()


@dataclass(frozen=True)
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
        key = (body, body_line, base_path, renderer.allow_html, renderer.reserved_ids)
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
            or not entry.valid((job[1], job[2], *key), md_urls.get)
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
            self._entries[source] = _MarkdownEntry((body, body_line, *key), calls, page)
            self.renders += 1


PARALLEL_MIN = 200


@dataclass(frozen=True)
class RenderedPage:
    """A page's HTML, its bytes and the element ids in it (for anchor checks)."""

    template: str
    context: Mapping[str, Any]
    data: bytes
    ids: frozenset[str]


class PageMemo:
    """Rendered pages by URL, valid for one template environment."""

    def __init__(self) -> None:
        self._environment: Hashable = None
        self._entries: dict[str, RenderedPage] = {}

    def use_environment(self, key: Hashable) -> bool:
        """Start a build in environment `key`; forget everything if it changed. True if kept."""
        if key == self._environment:
            return True
        self._environment = key
        self._entries.clear()
        return False

    def get(self, url: str, template: str, context: Mapping[str, Any]) -> RenderedPage | None:
        entry = self._entries.get(url)
        if entry is not None and entry.template == template and entry.context == context:
            return entry
        return None

    def put(self, url: str, page: RenderedPage) -> None:
        self._entries[url] = page

    def retain(self, urls: set[str]) -> None:
        for url in set(self._entries) - urls:
            del self._entries[url]
