#!/usr/bin/env python3
"""Benchmark: peak memory of cold builds as the corpus grows, to see that it grows linearly.

    .venv/bin/python bench/memory.py --pages 1000 4000 20000

For each size, one cold `spanvero build --no-search` and one default build (with the search
index), each in a new process under GNU time: wall seconds and the peak RSS of the largest
process (the build itself, or a worker when it is larger), then the growth per 1,000 pages
between sizes.
"""

from __future__ import annotations

import argparse
import itertools
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from corpus import make_corpus


def cold(site: Path, search: bool) -> tuple[float, float]:
    """Wall seconds and peak RSS (MiB) of one cold build."""
    shutil.rmtree(site / ".spanvero", ignore_errors=True)
    shutil.rmtree(site / "_site", ignore_errors=True)
    command = ["/usr/bin/time", "-f", "%M", sys.executable, "-m", "spanvero_site"]
    command += ["--root", str(site), "build", *([] if search else ["--no-search"])]
    started = time.perf_counter()
    proc = subprocess.run(command, capture_output=True, text=True)
    seconds = time.perf_counter() - started
    if proc.returncode != 0:
        raise SystemExit(f"build failed:\n{proc.stderr[-2000:]}")
    return seconds, int(proc.stderr.strip().splitlines()[-1]) / 1024


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, nargs="+", default=[1000, 4000, 20000])
    args = parser.parse_args()
    if not Path("/usr/bin/time").exists():
        raise SystemExit("needs GNU time at /usr/bin/time (apt-get install time)")
    peaks: dict[bool, list[tuple[int, float]]] = {False: [], True: []}
    with tempfile.TemporaryDirectory() as tmp:
        for pages in args.pages:
            site = make_corpus(Path(tmp) / f"site-{pages}", pages)
            for search in (False, True):
                seconds, peak = cold(site, search)
                peaks[search].append((pages, peak))
                label = "default" if search else "--no-search"
                print(f"N={pages:6} {label:12} {seconds:8.1f} s  peak {peak:7.0f} MiB", flush=True)
            shutil.rmtree(site)
    for search, rows in peaks.items():
        steps = [f"{(b[1] - a[1]) / (b[0] - a[0]) * 1000:.0f}" for a, b in itertools.pairwise(rows)]
        label = "default" if search else "--no-search"
        print(f"{label}: MiB per 1,000 more pages between sizes: {', '.join(steps) or '-'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
