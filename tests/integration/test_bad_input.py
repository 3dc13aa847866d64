"""One fixture per kind of bad input: the exact diagnostics, and the old output left untouched.

Each tests/fixtures/sites/invalid_<case>/ (an error) or warning_<case>/ (a warning, fatal under
--strict) holds only the files that differ from the `basic` site, and the exact diagnostics the
build must print in expected_diagnostics.txt. Regenerate with --update-golden after an intended
change of wording, and review the diff.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from spanvero_site.cli import main
from tests.conftest import BASE_SITE, SITES, assemble_site, tree_bytes

CASES = sorted(
    p.name for p in SITES.iterdir() if p.is_dir() and p.name.startswith(("invalid_", "warning_"))
)


@pytest.fixture(scope="module")
def built_base(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The basic site with a good build in its _site/, made once and copied for each case."""
    site = assemble_site(tmp_path_factory.mktemp("base") / "site", BASE_SITE)
    assert main(["--root", str(site), "build"]) == 0
    return site


@pytest.mark.parametrize("case", CASES)
def test_bad_input_reports_exact_diagnostics_and_keeps_old_output(
    case: str,
    tmp_path: Path,
    built_base: Path,
    capsys: pytest.CaptureFixture[str],
    update_golden: bool,
) -> None:
    site = tmp_path / "site"
    shutil.copytree(built_base, site, symlinks=True)
    before = tree_bytes(site / "_site")
    assert before

    shutil.rmtree(site / "content")
    assemble_site_layer(site, case)
    capsys.readouterr()
    strict = ["--strict"] if case.startswith("warning_") else []
    code = main(["--root", str(site), "build", *strict, "--base-url", "https://example.org/"])
    err = capsys.readouterr().err
    diagnostics = "\n".join(err.rstrip("\n").split("\n")[:-1]) + "\n"
    summary = err.rstrip("\n").split("\n")[-1]

    expected_file = SITES / case / "expected_diagnostics.txt"
    if update_golden:
        expected_file.write_text(diagnostics, encoding="utf-8")
    assert code == 1
    assert "failed (nothing written)" in summary
    assert diagnostics == expected_file.read_text(encoding="utf-8")
    assert tree_bytes(site / "_site") == before
    assert not list(site.glob(".*tmp-*")), "the staging folder was left behind"


def assemble_site_layer(site: Path, case: str) -> None:
    """Re-lay content/ from the basic site, then the case's own files over it."""
    templates = site / "templates"
    shutil.rmtree(templates)
    shutil.rmtree(site / "static")
    assemble_site(site, BASE_SITE, case)


def test_warning_fixtures_still_build_without_strict(tmp_path: Path) -> None:
    for case in (c for c in CASES if c.startswith("warning_")):
        site = assemble_site(tmp_path / case, BASE_SITE, case)
        assert main(["--root", str(site), "check"]) == 0, case


LINKED_MODELS = "".join(
    f"content/models/{name}.yaml:1:1: error[E104]: not read: it is inside content/models, a "
    "symbolic link to a folder, which the build does not follow\n"
    "  hint: move or copy the folder into the site instead of linking to it\n"
    for name in ("deepseek-v3", "llama-3-1-8b")
)


def test_a_linked_models_folder_is_reported_once_per_file_and_nothing_else(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Every model the prices, measurements, advisor, figures and pages name failed to load:
    the E104 of each file explains them all, so none of those references is reported again,
    and the calculator, which cannot be made without models, is not a broken link."""
    site = assemble_site(tmp_path / "site", BASE_SITE)
    shutil.move(site / "content" / "models", tmp_path / "models")
    (site / "content" / "models").symlink_to(tmp_path / "models")
    capsys.readouterr()
    assert main(["--root", str(site), "check"]) == 1
    err = capsys.readouterr().err
    assert "\n".join(err.rstrip("\n").split("\n")[:-1]) + "\n" == LINKED_MODELS


def test_a_repeated_list_item_is_used_once(tmp_path: Path) -> None:
    """A tag or alias listed twice (W304) is shown, listed and redirected once."""
    site = assemble_site(tmp_path / "site", BASE_SITE, "warning_list_repeated")
    assert main(["--root", str(site), "build"]) == 0
    out = site / "_site"
    page = (out / "learn/prompting-first/index.html").read_text(encoding="utf-8")
    assert page.count('href="/learn/tags/fine-tuning/"') == 1
    tag = (out / "learn/tags/fine-tuning/index.html").read_text(encoding="utf-8")
    assert tag.count('href="/learn/prompting-first/"') == 1
    redirects = (out / "_redirects").read_text(encoding="utf-8").splitlines()
    assert sum(line.startswith("/learn/old-prompting/ ") for line in redirects) == 1
