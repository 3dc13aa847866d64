"""Diagnostics: every problem found in a run, as values collected and reported together.

Errors are values rather than exceptions so that one run can report every broken file at once,
sorted by file and line, in a form an editor can jump to (`path:line:col: error[E204]: ...`).
"""

from __future__ import annotations

import difflib
import json
import reprlib
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, replace
from enum import StrEnum
from typing import Any

from spanvero_site.core.pickling import tuple_pickled
from spanvero_site.terminal import escape_data, printable


class Severity(StrEnum):
    """How bad a problem is: errors stop the write, warnings only do under --strict.

    UNCHECKED is never shown as such: it records a check left undone because a source it needs
    failed to load (a figure naming a GPU of a gpus.yaml that does not parse), or a check on the
    whole site left undone until an error in a source is fixed (orphans, while a `related:` id
    does not resolve). `shown` folds every such record into the hint of that source's error,
    one sentence per source, so the editor learns in the same run what else waits on the fix."""

    ERROR = "error"
    WARNING = "warning"
    UNCHECKED = "unchecked"


@tuple_pickled
@dataclass(frozen=True, order=True, slots=True)
class Diagnostic:
    """One problem, located in a source file so an editor can jump to it."""

    path: str
    line: int
    col: int
    severity: Severity
    code: str
    message: str
    hint: str = ""

    def format(self) -> str:
        """Render as `path:line:col: severity[CODE]: message`, with the hint on the next line.

        The path is a file's name as found (a tab or a line break in it included): shown
        `printable`, like the message and hint, so one diagnostic stays one line to jump from."""
        where = f"{printable(self.path)}:{self.line}:{self.col}"
        text = f"{where}: {self.severity}[{self.code}]: {self.message}"
        if self.hint:
            text += f"\n  hint: {self.hint}"
        return text


class Diagnostics:
    """The collector every stage adds to; it keeps one copy of each distinct problem."""

    def __init__(self) -> None:
        self._items: set[Diagnostic] = set()

    # Every diagnostic is made here, and its words pass through `printable`: a message or hint
    # quoting input (a link, a YAML value, a file's text) shows a tab, a NUL or a U+2028 as an
    # escape, never as the raw character that would break the line or hide in the terminal.
    # The path is kept as the file is named (it is matched against the files read), and made
    # printable where it is shown: `Diagnostic.format`, `format_github` and `_waiting`.

    def error(self, code: str, message: str, path: str, line: int, col: int, hint: str) -> None:
        """Record an error: the build will not write output.

        Every argument is required, the hint too: a message without a way to fix it leaves an
        editor stuck (a test also holds every emitted hint non-empty)."""
        said, hinted = printable(message), printable(hint)
        self._items.add(Diagnostic(path, line, col, Severity.ERROR, code, said, hinted))

    def warning(self, code: str, message: str, path: str, line: int, col: int, hint: str) -> None:
        """Record a warning: reported, and fatal only under --strict."""
        said, hinted = printable(message), printable(hint)
        self._items.add(Diagnostic(path, line, col, Severity.WARNING, code, said, hinted))

    def unchecked(self, source: str, what: str, path: str, line: int, col: int) -> None:
        """Record that the check of `what` at path:line:col waits on `source`, which failed
        to load (and reported why): said once, in the hint of that source's error (`shown`)."""
        said = printable(what)
        self._items.add(Diagnostic(path, line, col, Severity.UNCHECKED, "", said, source))

    def unchecked_site(self, source: str, what: str, until: str = "loads") -> None:
        """Record that `what`, a check judged on the whole site (orphans: no page links to
        it), is not made at all until `source` `until`: until it loads (it failed), or until
        some error in it is fixed ("lists only ids that exist in related:"). Said, like
        `unchecked`, in the hint of that source's error. Such a record has no place of its own
        (path ''), and keeps `until` where other diagnostics keep their code."""
        said = printable(what)
        self._items.add(Diagnostic("", 0, 0, Severity.UNCHECKED, until, said, source))

    def extend(self, items: Iterable[Diagnostic]) -> None:
        """Take over diagnostics found elsewhere (a worker process, an earlier stage)."""
        self._items.update(items)

    @property
    def items(self) -> list[Diagnostic]:
        """All diagnostics, sorted by file, line and column, with the checks left undone (to
        pass on to another collector; `shown` is what an editor sees)."""
        return sorted(self._items)

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.items if d.severity is Severity.ERROR]

    @property
    def warnings(self) -> list[Diagnostic]:
        return [d for d in self.items if d.severity is Severity.WARNING]

    @property
    def error_count(self) -> int:
        """How many distinct errors so far; cheap (no sorting), for "did this step add one?"."""
        return sum(1 for d in self._items if d.severity is Severity.ERROR)

    def has_errors(self, strict: bool = False) -> bool:
        """Whether the build must fail: any error, or any warning under --strict."""
        return self.error_count > 0 or (
            strict and any(d.severity is Severity.WARNING for d in self._items)
        )


def shown(items: Iterable[Diagnostic]) -> list[Diagnostic]:
    """The diagnostics as an editor sees them, sorted: the errors and warnings, with the checks
    each failed source left undone (`Diagnostics.unchecked`) named in the hint of that source's
    first error, once. Every format goes through here, so no check is skipped unsaid."""
    everything = list(items)
    plain = sorted(d for d in everything if d.severity is not Severity.UNCHECKED)
    waiting: dict[str, list[Diagnostic]] = {}
    for note in sorted(d for d in everything if d.severity is Severity.UNCHECKED):
        waiting.setdefault(note.hint, []).append(note)
    errors = [i for i, d in enumerate(plain) if d.severity is Severity.ERROR]
    for source, notes in sorted(waiting.items()):
        own = [i for i in errors if plain[i].path == source]
        # A source that failed always reported an error; where it is not in the source itself
        # (a page left out because the data it needs failed), the run's first error says it.
        at = own[0] if own else errors[0] if errors else None
        if at is not None:
            error = plain[at]
            plain[at] = replace(error, hint=error.hint + _waiting(source, notes, bool(own)))
    return plain


PLACES_LISTED = 5


def _waiting(source: str, notes: list[Diagnostic], own: bool) -> str:
    """The hint's sentences naming the checks that wait on `source`: the references (in
    order, the first PLACES_LISTED of them and how many more when there are two or more
    besides), and the checks made on the whole site."""
    where = "this file" if own else printable(source)
    refs = [n for n in notes if n.path]
    text = ""
    if refs:
        # The first few show what to look at again; on a large site a broken gpus.yaml has
        # hundreds, and the next build after the fix checks (and reports) every one anyway.
        first = refs if len(refs) <= PLACES_LISTED + 1 else refs[:PLACES_LISTED]  # never "1 more"
        listed = [f"{printable(n.path)}:{n.line} ({n.message})" for n in first]
        more = len(refs) - len(listed)
        places = ", ".join(listed) + (f", and {more} more" if more else "")
        count = "1 reference is" if len(refs) == 1 else f"{len(refs)} references are"
        text += f"; {count} not checked until {where} loads: {places}"
    site_wide: dict[str, set[str]] = {}
    for note in notes:
        if not note.path:
            site_wide.setdefault(note.code, set()).add(note.message)
    for until, checks in sorted(site_wide.items()):
        said = " and ".join(sorted(checks))
        text += f"; {said} are not checked on any page until {where} {printable(until)}"
    return text


def format_text(items: Iterable[Diagnostic]) -> str:
    """All diagnostics as text lines, one block each."""
    return "\n".join(d.format() for d in shown(items))


def format_json(
    items: Iterable[Diagnostic],
    summary: Mapping[str, object],
    extra: Mapping[str, object] | None = None,
) -> str:
    """All diagnostics and the run summary as one JSON document, for CI tools, with a
    command's own keys (`extra`, e.g. `prices stale`'s list) beside them."""
    payload = {"diagnostics": [asdict(d) for d in shown(items)], "summary": dict(summary)}
    return json.dumps({**payload, **(extra or {})}, indent=2, sort_keys=True)


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """A hint naming the closest known choice, or an empty string when none is close."""
    close = closest(word, choices)
    return f"did you mean '{close}'?" if close is not None else ""


def closest(word: str, choices: Iterable[str]) -> str | None:
    """The known choice `word` was most likely meant to be, or None when none is close."""
    close = difflib.get_close_matches(word, sorted(choices), n=1, cutoff=0.6)
    return close[0] if close else None


def listing(label: str, items: Iterable[str], otherwise: str, limit: int = 0) -> str:
    """A hint that lists `items` after `label` ("topics in site.yaml: basics, memory"), the
    first `limit` of them when `limit` is set; `otherwise` when there are none.

    Every hint made from a list goes through here, so an empty list can never be printed as a
    hint that stops mid-sentence ("use an id from ").
    """
    names = list(items)
    if not names:
        return otherwise
    shown = names[:limit] if limit else names
    more = ", ..." if len(shown) < len(names) else ""
    return f"{label}{', '.join(shown)}{more}"


def choose_from(word: str, choices: Iterable[str], label: str, otherwise: str) -> str:
    """The hint for `word` that is not one of `choices`: the closest choice ("did you mean"),
    else the choices after `label`, else (no choices at all) `otherwise`."""
    names = list(choices)
    return did_you_mean(word, names) or listing(label, names, otherwise)


def did_you_mean_path(path: str, choices: Iterable[str]) -> str:
    """A hint naming the known path (a URL, a source file) plausibly meant for `path`, or "".

    Paths share long prefixes ('/learn/', 'content/learn/'), which make any two look alike to
    a whole-string comparison; so only the part that differs is compared: the last segment's
    name among paths in the same folder, or else the folder among paths of that name
    ('/model/x/' for '/models/x/').
    """
    folder, name = split_path(path)
    split = [(choice, *split_path(choice)) for choice in sorted(set(choices))]
    for same, key, other in ((1, folder, name), (2, name, folder)):
        found = {c[3 - same]: c[0] for c in split if c[same] == key}
        close = difflib.get_close_matches(other, sorted(found), n=1, cutoff=0.6)
        if close:
            return f"did you mean '{found[close[0]]}'?"
    return ""


def split_path(path: str) -> tuple[str, str]:
    """(folder, name without extension) of a path: ('/learn/', 'lora') of '/learn/lora/'."""
    head, _, last = path.rstrip("/").rpartition("/")
    return head, last.split(".", 1)[0]


def format_github(items: Iterable[Diagnostic], prefix: str = "") -> str:
    """All diagnostics as GitHub Actions workflow commands, so a pull request shows each one on
    its line: `::error file=…,line=…,col=…,title=E302::message`. `prefix` is the site folder's
    path inside the repository, when the site is not at its top.
    """
    return "\n".join(
        annotation(
            str(d.severity),
            prefix + d.path,
            d.line,
            d.col,
            d.code,
            d.message + (f"\nhint: {d.hint}" if d.hint else ""),
        )
        for d in shown(items)
    )


def annotation(kind: str, path: str, line: int, col: int, title: str, message: str) -> str:
    """One GitHub Actions workflow command (`kind` error, warning or notice) on a file's line.

    The path is shown `printable` (a file named with a tab or ESC in it), as in the text
    format; the message's own line breaks are kept, escaped as GitHub reads them."""
    properties = {"file": printable(path), "line": line, "col": col, "title": title}
    props = ",".join(f"{key}={_escape_property(str(v))}" for key, v in properties.items())
    return f"::{kind} {props}::{escape_data(message)}"


def _escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


_SHORT = reprlib.Repr()
_SHORT.maxlevel, _SHORT.maxlist, _SHORT.maxdict, _SHORT.maxtuple = 2, 4, 4, 4
_SHORT.maxstring, _SHORT.maxother, _SHORT.maxlong = 60, 60, 40


def excerpt(value: Any, limit: int = 80) -> str:
    """A short, bounded excerpt of a value for a message: never the whole of a huge value.

    Strings are shown as they are (cut), other values as a bounded repr, so a YAML alias
    "bomb" or a megabyte string costs a message of at most `limit` characters.
    """
    text = value if isinstance(value, str) else _SHORT.repr(value)
    text = text.replace("\n", " ").replace("\r", " ")
    return text if len(text) <= limit else text[: limit - 1] + "…"
