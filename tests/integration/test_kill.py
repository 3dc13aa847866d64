"""Issue #12, class 8: `kill -9` of a build at any moment leaves no debris.

A real `spanvero build` runs as a subprocess on a site large enough to use Markdown worker
processes, and is killed with SIGKILL at several moments. After each kill the output folder
holds the old or the new site exactly (or the old one beside it, which the next run puts back),
no worker process outlives the build, and the next run leaves no staging folder.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from spanvero_site.core import outstate
from spanvero_site.core.writer import recover
from tests.conftest import assemble_site, tree_bytes

EXPLAINERS = 240  # above the memo's PARALLEL_MIN, so a cold build forks Markdown workers
LORA = "content/learn/lora-basics.md"

# Slow tier: real processes killed at several moments / generated inputs through real builds.
pytestmark = pytest.mark.slow


def descendants(pid: int) -> dict[int, str]:
    """Every living process below `pid`, with its command line."""
    parents: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        fields = stat[stat.rindex(")") + 2 :].split()
        if fields[0] != "Z":
            parents[int(entry.name)] = int(fields[1])
    found: dict[int, str] = {}
    frontier = [pid]
    while frontier:
        parent = frontier.pop()
        for child, ppid in parents.items():
            if ppid == parent and child not in found:
                try:
                    found[child] = (Path("/proc") / str(child) / "cmdline").read_bytes().decode()
                except OSError:
                    found[child] = ""
                frontier.append(child)
    return found


def alive(pid: int) -> bool:
    try:
        stat = (Path("/proc") / str(pid) / "stat").read_text()
    except OSError:
        return False
    return stat[stat.rindex(")") + 2] != "Z"


def wait_gone(pids: list[int], timeout: float = 10) -> list[int]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        left = [pid for pid in pids if alive(pid)]
        if not left:
            return []
        time.sleep(0.05)
    return [pid for pid in pids if alive(pid)]


@pytest.fixture(scope="module")
def big_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    site = assemble_site(tmp_path_factory.mktemp("kill") / "site", "basic")
    template = (site / "content/learn/prompting-first.md").read_text()
    for index in range(EXPLAINERS):
        text = template.replace("title: ", f"title: Copy {index} of ", 1)
        text = text.replace("aliases: [/learn/old-prompting/]\n", "")  # one page owns an alias
        (site / f"content/learn/copy-{index:03d}.md").write_text(text)
    return site


def spanvero(site: Path, out: Path, *args: str) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "spanvero_site",
            "--root",
            str(site),
            "build",
            "--out",
            str(out),
            *args,
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def kill_when(
    proc: subprocess.Popen[bytes], ready: Callable[[dict[int, str]], bool], timeout: float = 120
) -> list[int]:
    """SIGKILL the build once `ready(children)` holds; return the children it had then."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and proc.poll() is None:
        children = descendants(proc.pid)
        if ready(children):
            os.kill(proc.pid, signal.SIGKILL)
            proc.wait()
            return list(children)
        time.sleep(0.01)
    pytest.fail("the build finished before the moment to kill it came")


def test_a_killed_build_leaves_old_or_new_output_and_no_orphans(
    big_site: Path, tmp_path: Path
) -> None:
    out = tmp_path / "_site"
    assert spanvero(big_site, out, "--no-search").wait() == 0
    old = tree_bytes(out)
    # Two pages' titles: with more than one source changed the build is a whole one (one
    # edited page resumes from the last build, with no worker processes to kill).
    for rel, old_title, new_title in (
        (LORA, "What is LoRA?", "LoRA, briefly"),
        ("content/learn/copy-007.md", "Copy 7 of ", "Seventh copy of "),
    ):
        page = big_site / rel
        page.write_text(page.read_text().replace(f"title: {old_title}", f"title: {new_title}"))
    reference = tmp_path / "reference"
    started = time.monotonic()
    assert spanvero(big_site, reference, "--no-search").wait() == 0
    new = tree_bytes(reference)
    seconds = time.monotonic() - started
    assert old != new

    # Kill while Markdown workers run: they must die with the build.
    proc = spanvero(big_site, out, "--no-search")
    workers = kill_when(proc, lambda children: len(children) >= 1)
    assert wait_gone(workers) == [], "worker processes outlived the killed build"

    # Kill at spread-out moments of a whole build, the swap included.
    for fraction in (0.3, 0.6, 0.85, 0.95):
        proc = spanvero(big_site, out, "--no-search")
        time.sleep(seconds * fraction)
        children = list(descendants(proc.pid))
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        assert wait_gone(children) == []
        recover(out)  # what the next run does first
        assert tree_bytes(out) in (old, new), f"incomplete output after a kill at {fraction}"
    assert spanvero(big_site, out, "--no-search").wait() == 0
    assert tree_bytes(out) == new
    assert sorted(p.name for p in tmp_path.iterdir()) == ["_site", "reference"]


def test_a_killed_incremental_write_leaves_old_or_new_output(
    big_site: Path, tmp_path: Path
) -> None:
    """One edit between builds: the writer's manifest proves the output folder, so the build
    writes only the changed files, under a journal. Kills at spread moments of that build, and
    as soon as its staging folder or its journal shows, leave the old or the new site exactly
    once `recover` has run. A template edit changes every page: a longer write to hit."""
    out = tmp_path / "_site"
    page, layout = big_site / LORA, big_site / "templates" / "base.html"
    originals = {page: page.read_text(), layout: layout.read_text()}
    edits = {
        "page": (page, originals[page] + "\nOne more sentence, for the incremental write.\n"),
        "template": (layout, originals[layout] + "<!-- every page changes -->\n"),
    }

    def restore() -> None:
        for path, text in originals.items():
            path.write_text(text)

    assert spanvero(big_site, out, "--no-search").wait() == 0
    old = tree_bytes(out)
    new: dict[str, dict[str, bytes]] = {}
    seconds: dict[str, float] = {}
    for name, (path, text) in edits.items():
        restore()
        assert spanvero(big_site, out, "--no-search").wait() == 0
        path.write_text(text)
        reference = tmp_path / "reference"
        assert spanvero(big_site, reference, "--no-search").wait() == 0
        new[name] = tree_bytes(reference)
        shutil.rmtree(reference)
        started = time.monotonic()
        assert spanvero(big_site, out, "--no-search").wait() == 0  # the incremental write
        seconds[name] = time.monotonic() - started
        assert tree_bytes(out) == new[name] != old
    changed = {rel for rel in old if old[rel] != new["page"].get(rel)}
    assert 0 < len(changed) < len(old) // 4  # one page and what lists it, not the site

    moments: list[tuple[str, float | str]] = [
        *(("page", fraction) for fraction in (0.5, 0.8, 0.95, 1.0)),
        ("template", 0.95),
        ("template", ""),  # as soon as the staging folder shows
        ("template", outstate.JOURNAL),  # as soon as the change is committed
    ]
    for name, moment in moments:
        restore()
        assert spanvero(big_site, out, "--no-search").wait() == 0
        assert tree_bytes(out) == old
        path, text = edits[name]
        path.write_text(text)
        proc = spanvero(big_site, out, "--no-search")
        children: list[int] = []
        if isinstance(moment, float):
            time.sleep(seconds[name] * moment)
            children = list(descendants(proc.pid))
        else:  # the write runs after the workers are done; a build that finishes first is fine
            shows = tmp_path / f"._site.tmp-{proc.pid}" / moment
            deadline = time.monotonic() + 120
            while not shows.exists() and proc.poll() is None and time.monotonic() < deadline:
                pass
        if proc.poll() is None:
            proc.send_signal(signal.SIGKILL)
        proc.wait()
        assert wait_gone(children) == []
        recover(out)  # what the next run does first
        assert tree_bytes(out) in (old, new[name]), f"incomplete after a kill at {moment!r}"
        assert sorted(p.name for p in tmp_path.iterdir()) == ["_site"]
    assert spanvero(big_site, out, "--no-search").wait() == 0
    assert tree_bytes(out) == new[name]
    restore()
