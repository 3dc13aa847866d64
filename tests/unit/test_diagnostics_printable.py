"""Diagnostics quote input with its control characters escaped, whoever builds the message.

A message quoting a link, a YAML value or a file's text printed a raw tab, NUL, ESC or U+2028:
a terminal then shows a broken line, hides the character, or obeys an escape sequence. Every
diagnostic is made by `Diagnostics`, which escapes message and hint; the fixture
`invalid_control_characters` shows it end to end (E401, E402 and E208 from three builders).
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from spanvero_site.core.diagnostics import Diagnostics, shown
from spanvero_site.terminal import printable

SRC = Path(__file__).resolve().parents[2] / "src" / "spanvero_site"
RAW = "a\tb\x00c\x1b[31md\r\ne\x85f\u2028g\u2029h\u202ei"
ESCAPED = r"a\tb\x00c\x1b[31md\r\ne\x85f\u2028g\u2029h\u202ei"


def test_printable_escapes_what_a_terminal_would_not_show_as_itself() -> None:
    assert printable(RAW) == ESCAPED
    assert printable("plain 'text', a\\b, déjà vu, 24 GB") == "plain 'text', a\\b, déjà vu, 24 GB"


@pytest.mark.parametrize("record", ["error", "warning"])
def test_every_message_and_hint_is_recorded_printable(record: str) -> None:
    diags = Diagnostics()
    getattr(diags, record)("E401", f"broken link '{RAW}'", "content/a.md", 3, 1, f"try '{RAW}'")
    (item,) = diags.items
    assert (item.message, item.hint) == (f"broken link '{ESCAPED}'", f"try '{ESCAPED}'")
    assert item.format().count("\n") == 1  # the hint's own line, and no other


def test_a_check_left_undone_names_its_input_printable() -> None:
    diags = Diagnostics()
    diags.error("E203", "does not parse", "content/data/gpus.yaml", 1, 1, "fix it")
    diags.unchecked("content/data/gpus.yaml", f"GPU '{RAW}'", "content/a.md", 4, 1)
    (item,) = shown(diags.items)
    assert item.hint.endswith(f"content/a.md:4 (GPU '{ESCAPED}')")


def test_only_the_collector_makes_a_diagnostic() -> None:
    """A module that built `Diagnostic(...)` itself would skip the escaping: none does."""
    builders = []
    for path in sorted(SRC.rglob("*.py")):
        if path.name == "diagnostics.py" and path.parent.name == "core":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call):
                name = getattr(node.func, "id", getattr(node.func, "attr", ""))
                if name == "Diagnostic":
                    builders.append(f"{path.relative_to(SRC)}:{node.lineno}")
    assert builders == []
