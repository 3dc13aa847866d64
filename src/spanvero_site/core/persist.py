"""What a Builder's memos keep between processes, in the site's `.spanvero/cache/`.

A `spanvero build` after one edit runs in a new process, so the in-memory memos (`memo.py`)
start empty and every front-matter would be parsed and every page rendered again. This saves
them as `cache.ShardedStore`s and hands them to the next process:
- `files/`: what each source's loader returned (a parsed explainer, a data catalogue) with its
  diagnostics, under the memo key it was loaded with (file `Stamp`s, settings). The store's own
  key covers everything a loader may read that its memo key does not: the code, the site
  folder, the options, the date and site.yaml's bytes (read again for every build);
- `markdown/`: rendered bodies, checked again against their text and `.md` targets before use;
  in small shards, as a new process that resumes after a title edit reads only the shards of
  the few pages that show the title (`Builder.resume`), rather than render them again;
- `pages/`: each page's HTML by URL, with its template and a digest of the pickled view
  context (`context_digest`); the store's key covers the template environment (code,
  site.yaml, the templates' bytes, the asset URLs). A page is reused only for an equal digest;
- `jinja/`: compiled templates (`CompiledTemplates`), which Jinja checks against its source.

Nothing here can change the output: each entry is used only where the in-memory memo would
use it (the same key, the same context), and a stale, corrupt or foreign shard is ignored.
"""

from __future__ import annotations

import os
import pickle
from collections.abc import Mapping
from dataclasses import asdict
from pathlib import Path
from typing import Any

import jinja2

from spanvero_site.core import cache
from spanvero_site.core.config import CONFIG_PATH
from spanvero_site.core.options import BuildOptions
from spanvero_site.core.render import TEMPLATES

# Options that cannot change what a loader returns or a page holds; the date goes into the
# files store's key on its own.
_NOT_OUTPUT = (*cache.NOT_OUTPUT, "today")


def context_digest(template: str, context: Mapping[str, Any]) -> bytes | None:
    """A digest of a page's template name and view context, None if it cannot be pickled.

    Equal pickles mean the template sees equal data, so equal digests mean equal HTML. The
    converse need not hold (a shared object pickles as a back-reference, a copy in full): that
    only costs a render, never a stale page.
    """
    try:
        data = pickle.dumps((template, context), protocol=pickle.HIGHEST_PROTOCOL)
    except Exception:  # an object pickle refuses: no digest, so the page is simply rendered
        return None
    return cache.digest(data)


def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError:
        return b"-"


def _templates(root: Path) -> bytes:
    """The bytes of every template, by name: the pages' environment besides the config."""
    parts = []
    folder = root / TEMPLATES
    for dirpath, dirnames, filenames in os.walk(folder):
        dirnames.sort()
        for name in sorted(filenames):
            path = Path(dirpath, name)
            parts += [path.relative_to(folder).as_posix().encode(), _read(path)]
    return cache.digest(*parts)


class CompiledTemplates(jinja2.BytecodeCache):
    """Jinja's compiled templates kept between processes, so a build does not compile every
    template again. Jinja's own file cache would unmarshal whatever file it finds; these go
    through `cache.save`/`load`, so a file this machine did not write is never loaded."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        data = cache.load(self.folder, f"{bucket.key}.bin", self._key(bucket))
        if isinstance(data, bytes):
            bucket.bytecode_from_string(data)  # Jinja resets it if the source's checksum differs

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        cache.save(self.folder, f"{bucket.key}.bin", self._key(bucket), bucket.bytecode_to_string())

    @staticmethod
    def _key(bucket: jinja2.bccache.Bucket) -> bytes:
        return cache.digest(cache.code_key(), bucket.checksum.encode())


# About 16 bodies a shard at 4,000 pages: a resumed title edit that needs 30 of them reads
# about 30 small shards (1 ms each) where 32 shards meant 20 large ones (6 ms each).
MARKDOWN_SHARDS = 256


class Persisted:
    """The persistent stores of one Builder, opened on its first build with the cache on."""

    def __init__(self, folder: Path, root: Path, options: BuildOptions, dev: bool) -> None:
        self.folder = folder
        self.root = root
        settings = {k: v for k, v in asdict(options).items() if k not in _NOT_OUTPUT}
        self._base = cache.digest(
            cache.code_key(),
            str(root.resolve()).encode("utf-8", "surrogateescape"),
            repr(sorted(settings.items())).encode(),
            f"dev={dev}".encode(),
        )
        self.markdown = cache.ShardedStore(
            folder, "markdown", cache.code_key(), shards=MARKDOWN_SHARDS
        )
        self.templates = CompiledTemplates(folder / "jinja")
        self._files: cache.ShardedStore | None = None
        self._pages: cache.ShardedStore | None = None

    def files(self, today: object) -> cache.ShardedStore:
        """The loaders' store for builds dated `today` (dated checks live in loaded data)."""
        key = cache.digest(self._base, repr(today).encode(), _read(self.root / CONFIG_PATH))
        if self._files is None or self._files.key != key:
            self._files = cache.ShardedStore(self.folder, "files", key)
        return self._files

    def pages(self, assets: Mapping[str, str]) -> cache.ShardedStore:
        """The pages' store for the current templates and asset URLs."""
        key = cache.digest(
            self._base,
            _read(self.root / CONFIG_PATH),
            _templates(self.root),
            repr(sorted(assets.items())).encode(),
        )
        if self._pages is None or self._pages.key != key:
            self._pages = cache.ShardedStore(self.folder, "pages", key)
        return self._pages
