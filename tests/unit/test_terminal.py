"""Everything spanvero prints goes through `terminal.say`, which shows each character as itself."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from spanvero_site.terminal import say

SOURCE = Path(__file__).resolve().parents[2] / "src" / "spanvero_site"
_STREAM_WRITES = ("sys.stdout.write", "sys.stderr.write")


def test_say_keeps_line_breaks_and_escapes_everything_else(
    capsys: pytest.CaptureFixture[str],
) -> None:
    say("a\tb\n\x1b[2Jc\r\u2028", err=True)
    say("plain, déjà vu\n", end="")
    out, err = capsys.readouterr()
    assert err == "a\\tb\n\\x1b[2Jc\\r\\u2028\n"
    assert out == "plain, déjà vu\n"


def _writers(path: Path) -> list[str]:
    """The places a module prints or writes to stdout or stderr itself."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "print":
            found.append(f"print() at line {node.lineno}")
        if isinstance(node, ast.Attribute) and ast.unparse(node) in _STREAM_WRITES:
            found.append(f"{ast.unparse(node)} at line {node.lineno}")
    return found


def test_only_say_prints() -> None:
    """A print of its own would show a file's name or a data file's text raw (a tab, an ESC,
    a line break): print through `spanvero_site.terminal.say` instead."""
    found = {
        path.relative_to(SOURCE).as_posix(): writers
        for path in sorted(SOURCE.rglob("*.py"))
        if path.name != "terminal.py" and (writers := _writers(path))
    }
    assert _writers(SOURCE / "terminal.py")  # the scan finds such calls at all
    assert found == {}
