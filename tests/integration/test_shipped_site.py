"""The shipped site: builds under --strict with no warnings, byte-identically twice, and the same
bytes and modes on another machine."""

from __future__ import annotations

import json
import os
import re
import shutil
import stat
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

import pytest

import spanvero_site
from spanvero_site.cli import main
from tests.conftest import REPO, missing_tool, tree_bytes


def test_shipped_site_builds_strict_with_no_diagnostics(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(["--root", str(REPO), "check", "--strict", "--format", "json"])
    report = json.loads(capsys.readouterr().out)
    assert report["diagnostics"] == []
    assert code == 0
    assert report["summary"]["pages"] > 50


def test_two_builds_are_byte_identical(shipped_site: Path, tmp_path: Path) -> None:
    again = tmp_path / "again"
    assert main(["--root", str(REPO), "build", "--out", str(again)]) == 0
    assert tree_bytes(again) == tree_bytes(shipped_site)


# The command line run as `python -m spanvero_site` does, after the process took its locale
# from the environment, as any library calling setlocale(LC_ALL, "") makes it do.
_SETLOCALE_FIRST = (
    "import locale, runpy; locale.setlocale(locale.LC_ALL, ''); "
    "runpy.run_module('spanvero_site', run_name='__main__')"
)


def _french(tmp_path: Path) -> dict[str, str]:
    """The environment of a French machine: fr_FR.UTF-8, compiled into `tmp_path` by glibc's
    localedef (no system locale is installed or changed)."""
    localedef = shutil.which("localedef")
    if localedef is None:
        missing_tool("localedef is required to build under a French locale (Debian's libc-bin)")
    folder = tmp_path / "locales"
    folder.mkdir()
    subprocess.run(
        [str(localedef), "-i", "fr_FR", "-f", "UTF-8", str(folder / "fr_FR.UTF-8")],
        capture_output=True,
        timeout=60,
    )  # its exit code is 1 for mere warnings: the compiled folder says whether it worked
    if not (folder / "fr_FR.UTF-8" / "LC_TIME").exists():
        missing_tool("the fr_FR locale source is required (Debian's locales package)")
    return {"LOCPATH": str(folder), "LC_ALL": "fr_FR.UTF-8", "LANG": "fr_FR.UTF-8"}


@pytest.mark.parametrize("locale", ["C", "fr_FR"])
def test_a_build_on_another_machine_is_identical_bytes_and_modes(
    locale: str, shipped_site: Path, tmp_path: Path
) -> None:
    """The same input built as another machine would: another time zone, another locale (an
    ASCII one, or French in a process that called setlocale, where strftime's %B would say
    'novembre'), a fixed hash seed (this process has a random one), umask 077, another output
    path and current folder. Every byte and every mode must be the same, and the modes those
    a web server running as another user can read (a umask of 077 once made every file
    0600)."""
    cwd = tmp_path / "elsewhere"
    cwd.mkdir()
    out = tmp_path / "another" / "out"
    env = {
        **os.environ,
        "PYTHONPATH": str(Path(spanvero_site.__file__).parents[1]),
        "TZ": "Pacific/Auckland",
        "LC_ALL": "C",
        "LANG": "C",
        "PYTHONCOERCECLOCALE": "0",
        "PYTHONUTF8": "0",
        "PYTHONHASHSEED": "4242",
    }
    command = [sys.executable, "-m", "spanvero_site", "--root", str(REPO), "build"]
    if locale == "fr_FR":
        env.update(_french(tmp_path))
        command[1:3] = ["-c", _SETLOCALE_FIRST]
    result = subprocess.run(
        [*command, "--strict", "--out", str(out)],
        cwd=cwd,
        env=env,
        umask=0o077,
        capture_output=True,
        text=True,
        timeout=240,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert tree_bytes(out) == tree_bytes(shipped_site)
    assert tree_modes(out) == tree_modes(shipped_site)
    assert set(tree_modes(out).values()) == {"f 644", "d 755"}


def tree_modes(folder: Path) -> dict[str, str]:
    """Every file and folder under `folder` (itself included) with its kind and mode."""
    return {
        path.relative_to(folder).as_posix(): f"{'d' if path.is_dir() else 'f'} "
        f"{stat.S_IMODE(path.stat().st_mode):o}"
        for path in [folder, *folder.rglob("*")]
    }


def test_every_explainer_is_reachable_from_the_learn_index_and_home(shipped_site: Path) -> None:
    learn = (shipped_site / "learn" / "index.html").read_text()
    home = (shipped_site / "index.html").read_text()
    explainers = sorted((REPO / "content" / "learn").glob("*.md"))
    assert len(explainers) >= 16
    for source in explainers:
        assert f'href="/learn/{source.stem}/"' in learn, source.name
    assert 'href="/learn/"' in home
    assert 'href="/models/"' in home and 'href="/calculator/"' in home


def test_every_model_has_a_page(shipped_site: Path) -> None:
    for source in sorted((REPO / "content" / "models").glob("*.yaml")):
        assert (shipped_site / "models" / source.stem / "index.html").is_file(), source.name


TITLE = re.compile(r"<title>(.*?)</title>", re.S)
REDIRECT = '<meta http-equiv="refresh"'


def test_every_page_of_the_shipped_site_has_its_own_title(shipped_site: Path) -> None:
    """A title names one page: in a tab, a bookmark, a history list or a search result, two
    pages with one title cannot be told apart (the advisor's static walk once had 8 titles for
    45 pages). Only redirect pages are left out: each stands in for the page it moved to, is
    never shown (it refreshes at once, and is noindex), and two aliases of one page rightly say
    the same "Moved: ..."."""
    pages: dict[str, list[str]] = defaultdict(list)
    for path in sorted(shipped_site.rglob("*.html")):
        text = path.read_text(encoding="utf-8")
        if REDIRECT in text:
            continue
        titles = TITLE.findall(text.partition("</head>")[0])  # charts' SVGs have their own
        assert len(titles) == 1, path
        pages[titles[0]].append(path.relative_to(shipped_site).as_posix())
    shared = {title: paths for title, paths in pages.items() if len(paths) > 1}
    assert shared == {}
    assert len(pages) > 100
