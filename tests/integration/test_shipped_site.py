"""The shipped site: builds under --strict with no warnings, byte-identically twice."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from spanvero_site.cli import main
from tests.conftest import REPO, tree_bytes


@pytest.fixture(scope="module")
def shipped(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("shipped") / "_site"
    assert main(["--root", str(REPO), "build", "--strict", "--out", str(out)]) == 0
    return out


def test_shipped_site_builds_strict_with_no_diagnostics(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(["--root", str(REPO), "check", "--strict", "--format", "json"])
    report = json.loads(capsys.readouterr().out)
    assert report["diagnostics"] == []
    assert code == 0
    assert report["summary"]["pages"] > 50


def test_two_builds_are_byte_identical(shipped: Path, tmp_path: Path) -> None:
    again = tmp_path / "again"
    assert main(["--root", str(REPO), "build", "--out", str(again)]) == 0
    assert tree_bytes(again) == tree_bytes(shipped)


def test_every_explainer_is_reachable_from_the_learn_index_and_home(shipped: Path) -> None:
    learn = (shipped / "learn" / "index.html").read_text()
    home = (shipped / "index.html").read_text()
    explainers = sorted((REPO / "content" / "learn").glob("*.md"))
    assert len(explainers) >= 16
    for source in explainers:
        assert f'href="/learn/{source.stem}/"' in learn, source.name
    assert 'href="/learn/"' in home
    assert 'href="/models/"' in home and 'href="/calculator/"' in home


def test_every_model_has_a_page(shipped: Path) -> None:
    for source in sorted((REPO / "content" / "models").glob("*.yaml")):
        assert (shipped / "models" / source.stem / "index.html").is_file(), source.name
