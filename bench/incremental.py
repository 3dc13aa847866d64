#!/usr/bin/env python3
"""Benchmark: from one explainer's body edit to the rebuilt output, as `spanvero serve` does it.

    .venv/bin/python bench/incremental.py --pages 1000 4000 --edits 20

For each corpus size: one cold full build, then `--edits` body edits of different pages, each
followed by an incremental rebuild and the writing of the changed files. Prints the median and
worst edit-to-output time and the speed-up over the full build.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from corpus import make_corpus

from spanvero_site.core.writer import write_site
from spanvero_site.devserver import write_changes
from spanvero_site.site import site_builder


def measure(pages: int, edits: int) -> str:
    with tempfile.TemporaryDirectory() as tmp:
        site = make_corpus(Path(tmp) / "site", pages)
        out = Path(tmp) / "out"
        builder = site_builder(site, dev=True)
        started = time.perf_counter()
        first = builder.build()
        write_site(first.outputs, out)
        full = time.perf_counter() - started
        times = []
        for i in range(edits):
            source = site / "content" / "learn" / f"page-{(i * 37) % pages:05d}.md"
            text = source.read_text()
            started = time.perf_counter()
            source.write_text(text.replace("## Why it matters", f"## Why it matters\n\nEdit {i}."))
            builder.invalidate([source.relative_to(site).as_posix()])
            result = builder.build()
            assert not result.diagnostics.errors, result.diagnostics.items[:3]
            write_changes(result, out)
            times.append(time.perf_counter() - started)
            assert len(result.changed) <= 3, result.changed
    median, worst = statistics.median(times), max(times)
    return (
        f"{pages} explainers: full build {full * 1000:.0f} ms; edit to output median "
        f"{median * 1000:.0f} ms, worst {worst * 1000:.0f} ms over {edits} edits; "
        f"{full / median:.0f}x faster than the full build"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, nargs="+", default=[1000, 4000])
    parser.add_argument("--edits", type=int, default=20)
    args = parser.parse_args()
    for pages in args.pages:
        print(measure(pages, args.edits), flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
