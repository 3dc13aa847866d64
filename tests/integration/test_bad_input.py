"""One fixture per kind of bad input: the exact diagnostics, and the old output left untouched.

Each tests/fixtures/sites/invalid_<case>/ (an error) or warning_<case>/ (a warning, fatal under
--strict) holds only the files that differ from the `basic` site, and the exact diagnostics the
build must print in expected_diagnostics.txt. Regenerate with --update-golden after an intended
change of wording, and review the diff.
"""

from __future__ import annotations

import errno
import re
import shutil
from pathlib import Path

import pytest

from spanvero_site.cli import main
from spanvero_site.explain import codes
from spanvero_site.sections.learn import loader
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


LINKED = (
    "content/models/{}.yaml:1:1: error[E104]: not read: it is inside content/models, a symbolic "
    "link to a folder, which the build does not follow\n"
    "  hint: move or copy the folder into the site instead of linking to it{}\n"
)
LINKED_MODELS = LINKED.format("deepseek-v3", "") + LINKED.format(
    "llama-3-1-8b",
    "; 7 references are not checked until this file loads: "
    "content/data/measurements.yaml:4 ('llama-3-1-8b'), "
    "content/data/measurements.yaml:16 ('llama-3-1-8b'), "
    "content/data/prices.yaml:56 ('llama-3-1-8b'), content/data/prices.yaml:64 ('llama-3-1-8b'), "
    "content/learn/prompting-first.md:8 ('models/llama-3-1-8b'), and 2 more",
)


def test_a_linked_models_folder_is_reported_once_per_file_and_nothing_else(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Every model the prices, measurements, advisor, figures and pages name failed to load:
    the E104 of each file explains them all, so none of those references is reported again
    (each file's hint names the references that wait on it, once), and the calculator, which
    cannot be made without models, is not a broken link."""
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


# Codes no fixture site can show, each tested with its hint where it can be made.
def test_an_explainer_over_the_length_limit_is_a_warning(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """W215 past MAX_EXPLAINER_CHARS and not at it. The limit (1,000,000) is lowered here so
    the generated explainer stays small and the build quick; the check reads the constant."""
    assert loader.MAX_EXPLAINER_CHARS == 1_000_000
    monkeypatch.setattr(loader, "MAX_EXPLAINER_CHARS", 5_000)
    site = assemble_site(tmp_path / "site", BASE_SITE)
    page = site / "content/learn/lora-basics.md"
    text = page.read_text(encoding="utf-8") + "\n"
    padding = ("Padding words. " * 400)[: 5_000 - len(text) - 1] + "\n"
    page.write_text(text + padding, encoding="utf-8")
    assert main(["--root", str(site), "check", "--strict"]) == 0
    page.write_text(text + "x" + padding, encoding="utf-8")
    capsys.readouterr()
    assert main(["--root", str(site), "check", "--strict"]) == 1
    assert capsys.readouterr().err.startswith(
        "content/learn/lora-basics.md:1:1: warning[W215]: explainer is 5,001 characters long, "
        "more than the 5,000 an explainer may hold\n"
        "  hint: split it into shorter explainers that name each other under 'related:': a page "
        "this long is slow to build and to load, and too long to read\n"
        "spanvero check: failed"
    )


SHOWN_ELSEWHERE = {
    "E102": "tests/integration/test_safety.py (an output that cannot be written)",
    "E104": "tests/integration/test_safety.py (a symbolic link out of the site)",
    "E740": "tests/integration/test_prices_commands.py (a refused `prices add`)",
    "E901": "tests/integration/test_safety.py (an internal error)",
    "W214": "tests/integration/test_cli.py (a new draft under check --strict --drafts)",
    "W215": "test_an_explainer_over_the_length_limit_is_a_warning (made in tmp_path)",
}


def test_every_code_has_a_fixture_and_every_diagnostic_a_hint() -> None:
    """Walks every code the explain catalogue lists: each is shown by a fixture (or tested
    where it can be made), and every diagnostic any fixture expects says how to fix it."""
    shown: set[str] = set()
    for case in CASES:
        text = (SITES / case / "expected_diagnostics.txt").read_text(encoding="utf-8")
        for block in re.split(r"\n(?=\S)", text.strip()):
            head, _, hint = block.partition("\n  hint: ")
            found = re.search(r"\[([EW]\d{3})\]: ", head)
            assert found, f"{case}: not a diagnostic: {head}"
            assert hint.strip(), f"{case}: no hint for {head}"
            shown.add(found[1])
    missing = set(codes()) - shown - set(SHOWN_ELSEWHERE)
    assert not missing, f"add a fixture under tests/fixtures/sites/ for {sorted(missing)}"


def test_an_unreadable_file_says_why_and_nothing_follows_from_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """An unreadable static file is E101 at its own path with a hint, and the page that links
    to it does not add a template error about a missing asset. (No permission bit denies root,
    which CI runs as, so the file's read raises the error the kernel gives everyone else.)"""
    site = assemble_site(tmp_path / "site", BASE_SITE)
    unreadable = site / "static/favicon.svg"
    read = Path.read_bytes

    def denied(path: Path) -> bytes:
        if path == unreadable:
            raise PermissionError(errno.EACCES, "Permission denied", str(path))
        return read(path)

    monkeypatch.setattr(Path, "read_bytes", denied)
    assert main(["--root", str(site), "check"]) == 1
    err = capsys.readouterr().err
    assert err.startswith(
        "static/favicon.svg:1:1: error[E101]: cannot read file: Permission denied\n"
        "  hint: the user running spanvero may not read it: give it read permission "
        "(chmod a+r)\n"
        "spanvero check: failed"
    )


def test_a_folder_where_a_source_file_belongs_says_so(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    site = assemble_site(tmp_path / "site", BASE_SITE)
    (site / "content/data/advisor.yaml").unlink()
    (site / "content/data/advisor.yaml").mkdir()
    assert main(["--root", str(site), "check"]) == 1
    err = capsys.readouterr().err
    assert err.startswith(
        "content/data/advisor.yaml:1:1: error[E101]: cannot read file: Is a directory\n"
        "  hint: a folder stands where a file is expected: rename or remove the folder\n"
    ), err
