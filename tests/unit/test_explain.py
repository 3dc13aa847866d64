"""`spanvero explain`: one table of codes, complete, and the same one the README shows."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from spanvero_site.cli import main
from spanvero_site.explain import EXPLANATIONS, codes, explanation, markdown_table

REPO = Path(__file__).resolve().parents[2]
SOURCE = REPO / "src" / "spanvero_site"


def emitted_codes() -> dict[str, str]:
    """Every diagnostic code written as a literal in the source, with one file that uses it."""
    found: dict[str, str] = {}
    for path in sorted(SOURCE.rglob("*.py")):
        if path.name == "explain.py":
            continue
        for code in re.findall(r"""["']([EW]\d{3})["']""", path.read_text(encoding="utf-8")):
            found.setdefault(code, str(path.relative_to(REPO)))
    return found


def test_every_code_the_build_can_emit_is_explained() -> None:
    emitted = emitted_codes()
    assert len(emitted) > 30  # the scan finds the codes at all
    missing = {code: where for code, where in emitted.items() if explanation(code) is None}
    assert not missing, (
        f"add these codes to EXPLANATIONS in src/spanvero_site/explain.py: {missing}"
    )


def test_table_is_well_formed() -> None:
    assert len(set(codes())) == len(codes())
    for entry in EXPLANATIONS:
        assert re.fullmatch(r"[EW]\d{3}", entry.code)
        assert entry.meaning and "\n" not in entry.meaning and "|" not in entry.meaning
        assert len(entry.details) > 80, entry.code
        assert bool(entry.bad) == bool(entry.fixed), entry.code


def test_readme_renders_the_same_table() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert markdown_table() in readme, (
        "README's diagnostics table differs from src/spanvero_site/explain.py; paste "
        "spanvero_site.explain.markdown_table() into it"
    )


def test_explain_prints_the_long_form(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["explain", "e302"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("error[E302]: unknown `related:` id, or an unknown id in a data file\n\n")
    assert out.endswith(
        "For example, this:\n\n    related: [vram-basic]\n\n"
        "is fixed like this:\n\n    related: [vram-basics]\n"
    )
    assert main(["explain", "W604"]) == 0
    assert capsys.readouterr().out.startswith("warning[W604]: orphan")


def test_explain_without_a_code_lists_them_all(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["explain"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == (
        "E101  file cannot be read, is not valid UTF-8, or holds a NUL or an invisible line break"
    )
    assert [line[:4] for line in lines[: len(EXPLANATIONS)]] == codes()


def test_explain_an_unknown_code_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["explain", "E3022"]) == 2
    assert capsys.readouterr().err == (
        "spanvero: error: no diagnostic code 'E3022'; did you mean 'E302'?\n"
    )


def test_no_diagnostic_is_emitted_with_an_empty_hint() -> None:
    """Every hint is a required argument (mypy holds each call to it); this holds that none
    is passed as an empty text, which the type cannot tell from a real one."""
    empty = []
    for path in sorted(SOURCE.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            name = node.func.attr if isinstance(node.func, ast.Attribute) else ""
            name = name or (node.func.id if isinstance(node.func, ast.Name) else "")
            if name not in ("error", "warning", "err", "ChartProblem", "YamlError"):
                continue
            # the hint is the last argument of each of these, or given by name
            given = [k.value for k in node.keywords if k.arg == "hint"] or node.args[-1:]
            if any(isinstance(a, ast.Constant) and a.value == "" for a in given):
                empty.append(f"{path.relative_to(REPO)}:{node.lineno}")
    assert not empty, f"give these diagnostics a hint: {empty}"
