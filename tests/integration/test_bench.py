"""The benchmarks in bench/ keep working as the shipped site changes (untimed: speed is bench's).

The corpus borrows the shipped templates, models, data and site.yaml; an edit there that the
corpus does not fit (a site.yaml setting naming a shipped explainer) fails here, not on the
evening someone runs a benchmark.
"""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

from spanvero_site.cli import main
from tests.conftest import REPO

BENCH = REPO / "bench"
PEER_BENCH = REPO.parent / "shared" / "peer-bench"


def bench_module(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(f"bench_{name}", BENCH / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # so a worker process can unpickle its functions
    spec.loader.exec_module(module)
    return module


def test_the_bench_corpus_builds_without_errors(tmp_path: Path) -> None:
    site = bench_module("corpus").make_corpus(tmp_path / "site", 20)
    assert len(list((site / "content" / "learn").glob("*.md"))) == 20
    out = tmp_path / "out"
    assert main(["--root", str(site), "build", "--no-search", "--out", str(out)]) == 0
    assert (out / "learn" / "page-00019" / "index.html").is_file()


def test_the_peer_bench_corpus_builds_without_errors(tmp_path: Path) -> None:
    """bench/peer_site.py, which bench/peers.sh puts in the shared harness, on a tiny corpus."""
    plain = tmp_path / "plain" / "content"
    plain.mkdir(parents=True)
    slugs = [f"peer-{i:05d}" for i in range(4)]
    for i, slug in enumerate(slugs):
        related = ", ".join(s for s in slugs if s != slug)
        (plain / f"{slug}.md").write_text(
            f'---\ntitle: "Peer page {i}"\ndescription: "A page of the peer corpus."\n'
            f"date: 2026-11-0{i + 1}\ntags: [bench, peers]\nrelated: [{related}]\n---\n\n"
            f"Body of page {i}, see [the next](/learn/{slugs[(i + 1) % 4]}/).\n"
        )
    site = tmp_path / "site"
    command = [sys.executable, str(BENCH / "peer_site.py"), str(plain.parent), str(REPO), str(site)]
    subprocess.run(command, check=True)
    out = tmp_path / "out"
    assert main(["--root", str(site), "build", "--no-search", "--out", str(out)]) == 0
    assert (out / "learn" / "peer-00003" / "index.html").is_file()


def test_the_floor_builds_the_peer_corpus(tmp_path: Path) -> None:
    plain = tmp_path / "content"
    plain.mkdir()
    (plain / "one.md").write_text(
        "---\ntitle: One\ndescription: A page.\nrelated: [two]\n---\n\n# One\n\n"
        "```python\nprint(1)\n```\n"
    )
    floor = bench_module("floor")
    floor.build(plain, tmp_path / "out", 1, True)
    assert "<h2>Related</h2>" in (tmp_path / "out" / "one" / "index.html").read_text()


def run_bench(*args: str) -> str:
    proc = subprocess.run(
        [sys.executable, *args], cwd=REPO, capture_output=True, text=True, timeout=300
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    return proc.stdout


def test_the_stack_floor_builds_every_page_of_a_plain_corpus(tmp_path: Path) -> None:
    """bench/floor.py is what the peer comparison measures us against: it must render every
    page, code highlighted, with the marker the harness checks, on one process or two."""
    content = tmp_path / "content"
    content.mkdir()
    for i in range(3):
        (content / f"page-{i}.md").write_text(
            f'---\ntitle: "Page {i}"\ndescription: "About {i}."\ndate: 2026-01-0{i + 1}\n'
            f"tags: [a, b]\nrelated: [page-{(i + 1) % 3}]\n---\n\nText *{i}*.\n\n"
            "```python\nprint(1)\n```\n"
        )
    floor = bench_module("floor")
    for workers in (1, 2):
        out = tmp_path / f"out-{workers}"
        assert floor.build(content, out, workers, highlight=True) == 3
        page = (out / "page-1" / "index.html").read_text()
        assert "<h2>Related</h2>" in page and 'href="/learn/page-2/"' in page
        assert '<span class="nb">print</span>' in page


@pytest.mark.slow
def test_the_timing_scripts_run_on_a_tiny_corpus() -> None:
    assert "pages/s" in run_bench("bench/run.py", "--pages", "20", "--runs", "1", "--no-search")
    assert "edit to output" in run_bench("bench/incremental.py", "--pages", "20", "--edits", "2")
    rows = run_bench("bench/rebuild.py", "--pages", "20", "--runs", "1", "--skip", "search")
    assert "nothing changed" in rows and "serve edit: explainer title" in rows
    assert "MiB per 1,000 more pages" in run_bench("bench/memory.py", "--pages", "10", "20")


@pytest.mark.slow
@pytest.mark.skipif(not (PEER_BENCH / "run_peers.sh").is_file(), reason="no shared peer bench")
def test_the_peer_comparison_runs_on_a_tiny_corpus(tmp_path: Path) -> None:
    env = {"PEER_LIST": "floor-2p-hl spanvero-ns spanvero", "NS": "8", "RUNS": "1", "PROFILE": "0"}
    proc = subprocess.run(
        ["bash", str(BENCH / "peers.sh")],
        cwd=tmp_path,
        env={**os.environ, **env, "WORK": str(tmp_path / "work")},
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert "| spanvero-ns |" in proc.stdout and "failed" not in proc.stderr
