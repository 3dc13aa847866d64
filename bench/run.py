#!/usr/bin/env python3
"""Benchmarks: time a cold `spanvero build` of a generated corpus, in a fresh process.

    python3 bench/run.py                 N=1000, 3 runs
    python3 bench/run.py --pages 4000 --runs 5

Prints pages per second (median of the runs) and the build process's peak memory (max RSS).
Run it through the project's environment: `.venv/bin/python bench/run.py` (build.py makes it).
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from corpus import make_corpus


def cold_build(site: Path, search: bool) -> tuple[float, int, int]:
    """Seconds, pages written and peak RSS (KiB) of one build in a new interpreter."""
    out = site / "_site"
    started = time.perf_counter()
    command = [sys.executable, "-m", "spanvero_site", "--root", str(site), "build"]
    command += ["--format", "json", "--out", str(out), *([] if search else ["--no-search"])]
    proc = subprocess.run(
        command,
        capture_output=True,
        text=True,
    )
    seconds = time.perf_counter() - started
    if proc.returncode != 0:
        raise SystemExit(f"build failed:\n{proc.stdout}\n{proc.stderr}")
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    pages = json.loads(proc.stdout)["summary"]["pages"]
    return seconds, pages, usage.ru_maxrss


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--no-search", action="store_true", help="skip the search index")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        site = make_corpus(Path(tmp) / "site", args.pages)
        results = [cold_build(site, not args.no_search) for _ in range(args.runs)]
    seconds = statistics.median(r[0] for r in results)
    pages = results[0][1]
    peak_mib = max(r[2] for r in results) / 1024
    print(
        f"cold build{' without search' if args.no_search else ''}, {args.pages} explainers "
        f"({pages} pages written), median of {args.runs}: "
        f"{seconds:.2f} s, {pages / seconds:.0f} pages/s, peak RSS {peak_mib:.0f} MiB"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
