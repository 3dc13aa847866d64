"""What a command writes to the terminal: every character shown as itself, never obeyed.

A file name, a YAML value or a URL from the site's files may hold a tab, an ESC or a line break.
Printed raw, it breaks the one-line-per-diagnostic format an editor jumps from, hides in the
terminal or is obeyed as an escape sequence. So every line a command prints goes through `say`,
which writes each character a terminal would not show as itself as an escape (`\\t`, `\\x1b`),
and each formatter escapes a field that must stay on its line (a path, a label) with
`printable` before joining it into one. A test holds that nothing else in spanvero prints.
This module imports only the standard library, so `stopped.py` can use it before anything
else is loaded.
"""

from __future__ import annotations

import sys


def printable(text: str) -> str:
    """`text` with each character a terminal would not show as itself (what `str.isprintable`
    refuses: control characters, line and paragraph separators, invisible formatting) written
    as Python writes it in a string: a tab as `\\t`, NUL as `\\x00`, U+2028 as `\\u2028`."""
    if text.isprintable():
        return text
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in text)


def say(text: str, *, err: bool = False, end: str = "\n", flush: bool = False) -> None:
    """Print `text` on stdout (stderr with `err`), its line breaks kept and every other
    character a terminal would not show as itself escaped (`printable`)."""
    lines = "\n".join(printable(line) for line in text.split("\n"))
    print(lines, end=end, file=sys.stderr if err else sys.stdout, flush=flush)


def plural(count: int, noun: str) -> str:
    """`1 page`, `2 pages`, `0 errors`: every count a command prints."""
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


def escape_data(text: str) -> str:
    """A GitHub Actions command's message, escaped as actions/toolkit's command.ts does it:
    '%' first, then line breaks."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
