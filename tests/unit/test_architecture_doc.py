"""docs/architecture.md and the README's content layout name only what the code has.

An engineer reads the architecture page to find the code: every module path and every
`module.name` it gives must exist, and the sections table must say what each section declares
it reads and requires, since the builder, the dev server and W211 all go by those declarations.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from spanvero_site.site import SECTIONS

REPO = Path(__file__).resolve().parents[2]
SRC = REPO / "src" / "spanvero_site"
DOC = (REPO / "docs" / "architecture.md").read_text(encoding="utf-8")
README = (REPO / "README.md").read_text(encoding="utf-8")
# The worked example adds a section that does not exist; its names are the point of it.
EXAMPLE = DOC.split("### Adding a section: a worked example", 1)[1].split("\n## ", 1)[0]
NAMED = DOC.replace(EXAMPLE, "")


def _modules() -> dict[str, list[Path]]:
    """Every module of the package by its file name without `.py`."""
    found: dict[str, list[Path]] = {}
    for path in SRC.rglob("*.py"):
        found.setdefault(path.stem, []).append(path)
    return found


def _code_paths() -> list[str]:
    """Every backticked path of a Python module or JavaScript file the page names."""
    return sorted(set(re.findall(r"`([\w/<>.-]*\w\.(?:py|js))`", NAMED)))


@pytest.mark.parametrize("path", _code_paths())
def test_every_named_code_file_exists(path: str) -> None:
    if path.startswith(("static/", "tests/", "bench/")):
        assert (REPO / path).is_file(), path
        return
    matches = [p for p in SRC.rglob(Path(path).name) if p.as_posix().endswith(path)]
    if not matches and "/" not in path:  # a test file named on its own, e.g. test_resume.py
        matches = list((REPO / "tests").rglob(path))
    assert matches, f"docs/architecture.md names `{path}`, which does not exist"


def _qualified() -> list[str]:
    """Every backticked `module.name` or `Class.name` the page names, in the package."""
    modules, found = _modules(), set()
    for owner, attr in re.findall(r"`(?:\w+/)*(\w+)\.([A-Za-z_]\w*)(?:\(\))?`", NAMED):
        is_code = owner in modules or owner[:1].isupper()
        if is_code and attr not in ("py", "js", "md", "yaml", "bin", "txt", "html", "json"):
            found.add(f"{owner}.{attr}")
    return sorted(found)


@pytest.mark.parametrize("name", _qualified())
def test_every_named_function_and_class_member_exists(name: str) -> None:
    owner, attr = name.split(".")
    files = _modules().get(owner) or list(SRC.rglob("*.py"))
    if owner[:1].isupper():  # a class: find the files that define it
        files = [f for f in files if re.search(rf"^class {owner}\b", f.read_text(), re.M)]
        assert files, f"no class {owner}"
    defined = re.compile(
        rf"(def {attr}\b|class {attr}\b|^\s*{attr}\s*[:=]|self\.{attr}\s*[:=])", re.M
    )
    assert any(defined.search(f.read_text()) for f in files), f"`{name}` is not defined"


def _sections_table() -> dict[str, tuple[set[str], set[str]]]:
    """The table's rows: section name -> (the paths it reads, the sections it requires)."""
    table = DOC.split("| section | reads | requires | writes |", 1)[1].split("\n\n", 1)[0]
    rows = {}
    for name, reads, requires in re.findall(r"^\| `(\w+)` \| (.*?) \| (.*?) \|", table, re.M):
        paths = {p.rstrip("/") for p in re.findall(r"`([^`]+)`", reads)}
        needed = set() if requires.startswith(("–", "(")) else set(requires.split(", "))
        rows[name] = (paths, needed)
    return rows


def test_sections_table_says_what_each_section_declares() -> None:
    declared = {
        section.name: ({i.path for i in section.reads}, set(section.requires))
        for section in SECTIONS
    }
    assert _sections_table() == declared


def test_readme_content_layout_names_every_input_a_section_declares() -> None:
    layout = README.split("## Content layout\n", 1)[1].split("```\n", 2)[1]
    listed = {line.split()[0].split("/<", 1)[0].rstrip("/") for line in layout.splitlines()}
    for section in SECTIONS:
        for read in section.reads:
            assert read.path in listed, f"the README's content layout leaves out {read.path}"
