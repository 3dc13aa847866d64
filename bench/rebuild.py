#!/usr/bin/env python3
"""Benchmark: rebuilds, from the command line (a new process each) and in `spanvero serve`.

    .venv/bin/python bench/rebuild.py --pages 4000

On the corpus of `corpus.py` (or `--site` a copy of any site folder, e.g. a peer-bench corpus):
- command line, each a new `spanvero build` process: cold (no .spanvero/cache), nothing changed,
  one explainer's body edited, then another's, one explainer's title edited; with and without
  search;
- serve (one long-lived dev Builder, as the dev server holds): an explainer's body, its title,
  its tags and a data file edited, each timed from the edit to the changed files written.
Prints wall seconds (median of `--runs`) and the build process's peak memory.

Each build process may write and reuse Python's bytecode, as an installed spanvero does (pip
compiles it): a shell that sets PYTHONDONTWRITEBYTECODE would otherwise add the compiling of
every module, about 0.1 s, to each run of a checkout. `--no-bytecode` keeps the variable.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from corpus import make_corpus

ENV = dict(os.environ)  # what each build process runs with (see the module's docstring)


def spanvero(site: Path, *args: str) -> tuple[float, float]:
    """Wall seconds and peak RSS (MiB, GNU time's) of one `spanvero build` in a new process."""
    command = [sys.executable, "-m", "spanvero_site", "--root", str(site), "build"]
    command += ["--out", str(site / "_site"), *args]
    timer = ["/usr/bin/time", "-f", "%M"] if Path("/usr/bin/time").exists() else []
    started = time.perf_counter()
    proc = subprocess.run([*timer, *command], capture_output=True, text=True, env=ENV)
    seconds = time.perf_counter() - started
    if proc.returncode != 0:
        raise SystemExit(f"build failed:\n{proc.stderr[-2000:]}")
    last = proc.stderr.strip().splitlines()[-1] if timer else "0"
    return seconds, int(last) / 1024 if last.isdigit() else 0.0


_EXPLAINERS: dict[Path, list[Path]] = {}


def explainer(site: Path, i: int) -> Path:
    """The i-th explainer file by name (the listing is kept: edits add no files)."""
    if site not in _EXPLAINERS:
        _EXPLAINERS[site] = sorted((site / "content" / "learn").glob("*.md"))
    return _EXPLAINERS[site][i]


def body_edit(site: Path, i: int) -> None:
    path = explainer(site, i)
    path.write_text(path.read_text() + f"\nOne more sentence, edit {i}.\n")


def title_edit(site: Path, i: int) -> None:
    path = explainer(site, i)
    text = path.read_text()
    start = text.index("\ntitle: ") + len("\ntitle: ")
    start += text[start] in "\"'"  # inside the quotes of a quoted title
    path.write_text(text[:start] + f"Edited {i} " + text[start:])


def tags_edit(site: Path, i: int) -> None:
    """Give an explainer one more tag (one another page uses, so no new tag page is made)."""
    path = explainer(site, i)
    text = path.read_text()
    start = text.index("\ntags: [") + len("\ntags: [")
    tag = explainer(site, i + 1).read_text().split("\ntags: [", 1)[1].split("]", 1)[0]
    path.write_text(text[:start] + f"{tag}, " + text[start:])


def data_edit(site: Path, i: int) -> None:
    path = site / "content" / "data" / "prices.yaml"
    text = path.read_text()
    marker = "usd_per_kwh: "
    start = text.index(marker) + len(marker)
    end = text.index("\n", start)
    path.write_text(text[:start] + f"0.{1700 + i}" + text[end:])


def command_line(site: Path, runs: int, search: bool) -> list[str]:
    flags = () if search else ("--no-search",)
    label = "with search" if search else "--no-search"
    rows = []
    timings: dict[str, list[tuple[float, float]]] = {}
    for run in range(runs):
        shutil.rmtree(site / ".spanvero", ignore_errors=True)
        shutil.rmtree(site / "_site", ignore_errors=True)
        timings.setdefault("cold (no cache)", []).append(spanvero(site, *flags))
        timings.setdefault("nothing changed", []).append(spanvero(site, *flags))
        body_edit(site, run)
        timings.setdefault("one explainer's body edited", []).append(spanvero(site, *flags))
        # The first write after a full build reads back the pages it wrote moments before
        # (their status cannot prove them yet, see core/outstate.py); later ones need not.
        body_edit(site, -(run + 1))  # from the other end of the list
        timings.setdefault("then another's body edited", []).append(spanvero(site, *flags))
        title_edit(site, run + 1)
        timings.setdefault("one explainer's title edited", []).append(spanvero(site, *flags))
    for name, values in timings.items():
        seconds = statistics.median(v[0] for v in values)
        peak = max(v[1] for v in values)
        rows.append(f"  build {label:12} {name:30} {seconds:7.2f} s   peak {peak:5.0f} MiB")
    return rows


def serve(site: Path, runs: int) -> list[str]:
    from spanvero_site.core.builder import BuildOptions
    from spanvero_site.core.writer import write_site
    from spanvero_site.devserver import settle_memory, write_changes
    from spanvero_site.site import site_builder

    out = site / ".spanvero" / "bench-serve"
    builder = site_builder(site, BuildOptions(), dev=True)
    started = time.perf_counter()
    write_site(builder.build().outputs, out)
    settle_memory(0)  # as the dev server does after each build
    rows = [f"  serve first build {time.perf_counter() - started:25.2f} s"]
    edits: dict[str, Callable[[Path, int], Path | None]] = {
        "explainer body": lambda s, i: (body_edit(s, i), explainer(s, i))[1],
        "explainer title": lambda s, i: (title_edit(s, i), explainer(s, i))[1],
        "explainer tags": lambda s, i: (tags_edit(s, i), explainer(s, i))[1],
        "data file (prices.yaml)": lambda s, i: (data_edit(s, i), s / "content/data/prices.yaml")[
            1
        ],
    }
    builds = 1
    for name, apply in edits.items():
        times = []
        for run in range(runs):
            started = time.perf_counter()
            path = apply(site, 10 + run)
            assert path is not None
            builder.invalidate([path.relative_to(site).as_posix()])
            result = builder.build()
            assert not result.diagnostics.errors, result.diagnostics.items[:3]
            write_changes(result, out)
            settle_memory(builds)
            builds += 1
            times.append(time.perf_counter() - started)
        rows.append(f"  serve edit: {name:30} {statistics.median(times) * 1000:7.0f} ms to output")
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=1000)
    parser.add_argument("--site", type=Path, help="a site folder to copy instead of the corpus")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--skip", nargs="*", default=[], choices=["search", "no-search", "serve"])
    parser.add_argument(
        "--no-bytecode", action="store_true", help="keep PYTHONDONTWRITEBYTECODE if it is set"
    )
    args = parser.parse_args()
    if not args.no_bytecode:
        ENV.pop("PYTHONDONTWRITEBYTECODE", None)
    with tempfile.TemporaryDirectory() as tmp:
        site = Path(tmp) / "site"
        if args.site:
            shutil.copytree(args.site, site, ignore=shutil.ignore_patterns(".spanvero", "_site"))
        else:
            make_corpus(site, args.pages)
        count = len(list((site / "content" / "learn").glob("*.md")))
        print(f"{count} explainers in {args.site or 'bench/corpus.py'}", flush=True)
        for search in (False, True):
            if ("search" if search else "no-search") not in args.skip:
                print("\n".join(command_line(site, args.runs, search)), flush=True)
        if "serve" not in args.skip:
            print("\n".join(serve(site, args.runs)), flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
