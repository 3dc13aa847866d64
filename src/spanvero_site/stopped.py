"""A run that stops before its report (a usage error, Ctrl-C) still answers in the format asked.

A CI job that runs `spanvero check --format json` parses stdout whatever happens, so every
run that asked for JSON prints one JSON document, and one that asked for GitHub annotations
prints one annotation, even when argparse refused the command line or the user pressed Ctrl-C
while spanvero was still loading. The format is read from the command line's words as they
are, since that is all there is when parsing failed; this module imports only the standard
library (and `terminal`, which does too), so `entry.py` can use it before anything else is
loaded.
"""

from __future__ import annotations

import json
from collections.abc import Sequence

from spanvero_site.terminal import escape_data, printable, say

FORMATS = ("text", "json", "github")
COMMANDS = ("build", "check", "serve", "new", "prices", "explain")


def requested_format(words: Sequence[str]) -> str:
    """The --format the words ask for (argparse's abbreviations and `--format=X` included):
    the last valid one, or text when none is (`--format xml` is the usage error itself)."""
    chosen = "text"
    for index, word in enumerate(words):
        if word == "--":
            break
        option, equals, value = word.partition("=")
        if len(option) < 3 or not "--format".startswith(option):
            continue
        if not equals:
            value = words[index + 1] if index + 1 < len(words) else ""
        if value in FORMATS:
            chosen = value
    return chosen


EXIT_USAGE, EXIT_INTERRUPTED = 2, 130  # 130: 128 + SIGINT, as shells report a Ctrl-C


class UsageError(Exception):
    """A command line that cannot be run as given: `cli.main` reports it with `usage_error`."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def usage_error(words: Sequence[str], message: str) -> int:
    """Report a usage error (`spanvero: error: ...` on stderr); exit code 2."""
    return _stop(words, "usage error", message, f"spanvero: error: {message}", EXIT_USAGE)


def interrupted(words: Sequence[str]) -> int:
    """Report a Ctrl-C (`spanvero: interrupted` on stderr); exit code 130."""
    return _stop(words, "interrupted", "interrupted", "spanvero: interrupted", EXIT_INTERRUPTED)


def _stop(words: Sequence[str], status: str, message: str, line: str, exit_code: int) -> int:
    """`line` on stderr and, when the words asked for JSON or GitHub annotations, the same on
    stdout in that format: a JSON document of the usual shape, with no diagnostics and a
    summary that says why the run stopped, or one error annotation. `line` quotes what was
    typed (a --root folder's name), so it is shown `printable`, on one line."""
    line = printable(line)
    say(line, err=True)
    output = requested_format(words)
    if output == "json":
        command = next((word for word in words if word in COMMANDS), None)
        summary = {
            "command": command,
            "ok": False,
            "status": status,
            "exit_code": exit_code,
            "message": message,
        }
        say(json.dumps({"diagnostics": [], "summary": summary}, indent=2, sort_keys=True))
    elif output == "github":
        say(f"::error title=spanvero {status}::{escape_data(line)}")
    return exit_code
