"""The shipped site: builds under --strict with no warnings, byte-identically twice."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from spanvero_site.cli import main
from tests.conftest import REPO, tree_bytes


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
