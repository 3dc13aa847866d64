"""The one place a command's problems are printed: coded diagnostics, in the --format asked for.

Every command reports what is wrong with the site's files as `Diagnostic`s (code, file, line,
column, hint) through `report`, so a CI job that asked for JSON always parses one document on
stdout, and one that asked for GitHub annotations sees each problem on its line. A command that
cannot go on because of such problems (a broken site.yaml under `prices` or `new`) raises
`Stopped`; `cli.main` reports it here, as it reports usage errors through `stopped.py`. A test
holds that no other module prints to stderr, so no problem can slip out as plain text again.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from spanvero_site.core.diagnostics import (
    Diagnostic,
    format_github,
    format_json,
    format_text,
    shown,
)
from spanvero_site.terminal import say

EXIT_PROBLEMS = 1


class Stopped(Exception):
    """A command stopped by problems in the site's files: `cli.main` reports `diagnostics`
    and the closing `outcome` (e.g. 'refused: nothing written'); exit code 1."""

    def __init__(self, diagnostics: Iterable[Diagnostic], outcome: str):
        self.diagnostics = sorted(diagnostics)
        self.outcome = outcome
        super().__init__(outcome)


def report(
    output: str,
    diagnostics: Iterable[Diagnostic],
    summary: Mapping[str, Any],
    line: str,
    document: Mapping[str, Any] | None = None,
    prefix: str = "",
) -> None:
    """Print the run's diagnostics and its closing `line` as `output` asks.

    text: each diagnostic, then `line`, on stderr. json: one document on stdout, with the
    diagnostics, the `summary` and the command's own keys (`document`). github: an annotation
    per diagnostic on stdout (paths under `prefix`), `line` on stderr."""
    items = shown(diagnostics)
    if output == "json":
        say(format_json(items, summary, document))
        return
    if output == "github" and items:
        say(format_github(items, prefix))
    elif items:
        say(format_text(items), err=True)
    if line:
        say(line, err=True)


def report_stop(output: str, command: str, stop: Stopped) -> int:
    """Report a `Stopped` command; exit code 1."""
    summary = {"command": command, "ok": False, "status": "failed", "exit_code": EXIT_PROBLEMS}
    report(output, stop.diagnostics, summary, f"spanvero {command}: {stop.outcome}")
    return EXIT_PROBLEMS


def repository_prefix(root: Path) -> str:
    """The site folder's path inside the checkout GitHub Actions runs in, for annotations."""
    workspace = os.environ.get("GITHUB_WORKSPACE")
    if not workspace:
        return ""
    try:
        inside = root.relative_to(Path(workspace).resolve())
    except ValueError:
        return ""
    return "" if inside == Path() else f"{inside.as_posix()}/"
