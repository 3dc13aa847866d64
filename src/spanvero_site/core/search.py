"""Full-text search: Pagefind indexes the written site, in the staging folder, before the swap.

Pagefind (PyPI `pagefind[bin]` ships its binary) reads the pages' `data-pagefind-body`
regions (explainers, model pages, the calculator, the price log and the advisor's first page)
and writes a static index under /pagefind/ that the /search/ page loads in the browser. Its
output is deterministic. Tables of figures, dates, navigation and figure captions are left out
of the index, so excerpts are prose, not fragments of tables.

Pagefind holds everything it indexes in memory, about 350 KB a page, and runs on one core. So a
large site is indexed in shards of at most SHARD_PAGES pages (sorted by path, so the split is
the same every build), two at a time: the first shard's bundle is /pagefind/, the others are
/pagefind/shard-N/, and /pagefind/shards.json lists them for the search page, which merges them
(Pagefind's `mergeIndex`). A site of up to SHARD_PAGES indexed pages has one bundle, as before.
"""

from __future__ import annotations

import itertools
import json
import math
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

from spanvero_site.core.children import tied_to_this_process


class SearchIndexFailed(Exception):
    """Pagefind could not index the site; the message is what it printed."""


EXCLUDED = ("table", "time", "nav", ".meta", "figure", "svg", "[data-pagefind-ignore]")
SUBDIR = "pagefind"
SHARDS_FILE = "shards.json"
SHARD_PAGES = 1000
# Characters that mean something in Pagefind's --glob; a page path holding one is not listed.
_GLOB_SPECIAL = set("*?[]{},!\\")


def shard_plan(pages: Sequence[str]) -> list[list[str]]:
    """The indexed pages split into nearly equal shards of at most SHARD_PAGES, by path."""
    ordered = sorted(pages)
    count = max(1, math.ceil(len(ordered) / SHARD_PAGES))
    size, extra = divmod(len(ordered), count)
    bounds = [n * size + min(n, extra) for n in range(count + 1)]  # the first `extra` get one more
    return [ordered[start:end] for start, end in itertools.pairwise(bounds)]


def index_site(folder: Path, pages: Sequence[str], workers: int = 2) -> None:
    """Write the search index of the site in `folder` into `folder`/pagefind/.

    `pages` are the paths (relative to `folder`) Pagefind would index. One shard runs Pagefind
    over the whole folder, as it always did; several each name their pages in `--glob`.
    """
    shards = shard_plan(pages)
    if len(shards) == 1 or any(_GLOB_SPECIAL & set(page) for page in pages):
        _wait([_pagefind(folder, SUBDIR, None)])
        _write_shard_list(folder, [])
        return
    jobs = [
        (SUBDIR if n == 0 else f"{SUBDIR}/shard-{n + 1}", "{" + ",".join(shard) + "}")
        for n, shard in enumerate(shards)
    ]
    running: list[subprocess.Popen[str]] = []
    try:
        for subdir, glob in jobs:
            if len(running) >= workers:
                _wait([running.pop(0)])
            running.append(_pagefind(folder, subdir, glob))
        _wait(running)
    finally:
        for proc in running:
            if proc.poll() is None:
                proc.kill()
                proc.wait()
    _write_shard_list(folder, [f"shard-{n + 1}/" for n in range(1, len(shards))])


def _pagefind(folder: Path, subdir: str, glob: str | None) -> subprocess.Popen[str]:
    command = [sys.executable, "-m", "pagefind", "--site", ".", "--silent"]
    command += ["--output-subdir", subdir]
    if glob is not None:
        command += ["--glob", glob]
    command += [arg for selector in EXCLUDED for arg in ("--exclude-selectors", selector)]
    return subprocess.Popen(
        command,
        cwd=folder,  # so no pagefind.yml in the caller's folder changes the index
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        preexec_fn=tied_to_this_process(),  # killed with us, never an orphan
    )


def _wait(procs: list[subprocess.Popen[str]]) -> None:
    for proc in procs:
        out, err = proc.communicate()
        if proc.returncode != 0:
            raise SearchIndexFailed((err or out).strip() or f"exit {proc.returncode}")


def _write_shard_list(folder: Path, bundles: list[str]) -> None:
    """The other bundles the search page merges, relative to /pagefind/ ([] for one)."""
    (folder / SUBDIR / SHARDS_FILE).write_text(json.dumps(bundles) + "\n", encoding="utf-8")
