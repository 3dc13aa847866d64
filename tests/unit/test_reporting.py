"""Problems reach the user only through the reporter, in the format the run asked for."""

from __future__ import annotations

import ast
from pathlib import Path

SOURCE = Path(__file__).resolve().parents[2] / "src" / "spanvero_site"

# The modules that may write to stderr: the reporter itself, the report of a run that stopped
# before its own (usage errors, Ctrl-C), --debug's traceback, and the live preview's log
# (`serve` has no --format; its problems also go to the browser overlay).
ALLOWED = {"reporting.py", "stopped.py", "core/guard.py", "devserver.py"}


def _stderr_prints(path: Path) -> list[int]:
    """The lines of `say(..., err=True)` calls (every print goes through `terminal.say`) and
    of `print(..., file=sys.stderr)` calls in a module."""
    lines = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Call) and getattr(node.func, "id", None) in ("say", "print"):
            for keyword in node.keywords:
                if (keyword.arg, ast.unparse(keyword.value)) in (
                    ("err", "True"),
                    ("file", "sys.stderr"),
                ):
                    lines.append(node.lineno)
    return lines


def test_no_command_prints_a_problem_past_the_reporter() -> None:
    """A problem printed to stderr by hand is plain text whatever --format asked for, with no
    code or hint (prices stale's broken prices.yaml was): report it as a Diagnostic through
    spanvero_site.reporting (or raise UsageError / reporting.Stopped) instead."""
    found = {
        f"{path.relative_to(SOURCE).as_posix()}:{line}"
        for path in sorted(SOURCE.rglob("*.py"))
        if path.relative_to(SOURCE).as_posix() not in ALLOWED
        for line in _stderr_prints(path)
    }
    assert _stderr_prints(SOURCE / "reporting.py")  # the scan finds such calls at all
    assert not found, f"say(..., err=True) outside the reporter: {sorted(found)}"
