"""Reading sources: text files, YAML data files and Markdown pages, each problem a diagnostic.

Every section reads its files through these, so an unreadable file, bad UTF-8 or malformed YAML
is reported the same way, at its path and line, wherever it occurs. One rule holds for every
source (content, data, site.yaml, static files, templates): a file or symbolic link that
resolves outside the site folder, or that lies in or is a symbolic link to a folder, is an
error at its path (E104), never read or published. Folder links are refused even inside the
site: no listing of the build (and no fingerprint of its caches) follows them, so a file read
through one could change without the build seeing it.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import stat
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NamedTuple

from spanvero_site.core import frontmatter, yamlsource
from spanvero_site.core.diagnostics import Diagnostics
from spanvero_site.core.pages import Page
from spanvero_site.core.refs import Missing
from spanvero_site.core.schema import Field, Source, check

_BOM = "\ufeff"

SECTION_SCHEMA: dict[str, Field] = {
    "title": Field("str", required=True, example="Spanvero"),
    "short_title": Field("str", example="Cost calculator"),
    "description": Field("str", required=True, example="One sentence for search results."),
}


class Refusal(NamedTuple):
    """Why a source is not read (E104), and how to fix it."""

    problem: str
    hint: str


_COPY_FILE = "copy the file into the site folder instead of linking to it"
_COPY_FOLDER = "move or copy the folder into the site instead of linking to it"


def refusal(root: Path, rel: str) -> Refusal | None:
    """Why the source at `rel` must not be read: it resolves outside `root`, or it is or lies
    in a symbolic link to a folder."""
    if _no_links(root, rel):
        return None
    linked = _linked_folder(root, rel)
    if linked == rel:
        return Refusal(
            "it is a symbolic link to a folder, which the build does not follow", _COPY_FOLDER
        )
    if linked is not None:
        return Refusal(
            f"it is inside {linked}, a symbolic link to a folder, which the build does not follow",
            _COPY_FOLDER,
        )
    path = root / rel
    try:
        real = path.resolve()
        inside = real.is_relative_to(root.resolve())
    except (OSError, RuntimeError):  # a symlink loop
        return Refusal("it is a symbolic link that cannot be resolved", _COPY_FILE)
    if inside:
        return None
    return Refusal(
        "it is a symbolic link to a file outside the site folder, which is never published",
        _COPY_FILE,
    )


def _linked_folder(root: Path, rel: str) -> str | None:
    """The first part of `rel` (relative to `root`) that is a symbolic link to a folder."""
    current = ""
    for part in rel.split("/"):
        current = f"{current}/{part}" if current else part
        path = root / current
        if path.is_symlink() and path.is_dir():
            return current
    return None


def _no_links(root: Path, rel: str) -> bool:
    """Whether every part of `rel` exists and none is a symbolic link or `..`: then the file is
    inside `root` wherever `root` itself leads. One `lstat` per part, where resolving the
    whole path walks every part of `root` too (a cost paid for each of thousands of pages)."""
    parts = rel.split("/")
    if any(part in ("", ".", "..") for part in parts):
        return False
    current = str(root)
    for part in parts:
        current = os.path.join(current, part)
        try:
            if stat.S_ISLNK(os.lstat(current).st_mode):
                return False
        except OSError:
            return False
    return True


def read_bytes(root: Path, rel: str, diags: Diagnostics) -> bytes | None:
    """A source file's bytes; None (with E104 or E101) when it leaves the site or is unreadable."""
    refused = refusal(root, rel)
    if refused is not None:
        diags.error("E104", f"not read: {refused.problem}", rel, 1, 1, hint=refused.hint)
        return None
    try:
        return (root / rel).read_bytes()
    except OSError as exc:
        diags.error("E101", f"cannot read file: {exc.strerror or exc}", rel, 1, 1, _unreadable(exc))
        return None


def _unreadable(exc: OSError) -> str:
    """How to make a file that could not be read readable, by why it could not."""
    if isinstance(exc, PermissionError):
        return "the user running spanvero may not read it: give it read permission (chmod a+r)"
    if isinstance(exc, IsADirectoryError):
        return "a folder stands where a file is expected: rename or remove the folder"
    if isinstance(exc, FileNotFoundError):
        return "it went missing while the build ran (or is a broken link): put it back"
    return "check that the file exists, is a plain file, and can be read by this user"


def read_text(root: Path, rel: str, diags: Diagnostics) -> str | None:
    """A source file's text, newlines normalised and a leading byte-order mark dropped.

    A missing, unreadable or non-UTF-8 file is E101; a link out of the site is E104. Editors
    on Windows often write a UTF-8 byte-order mark; it is not part of the text.
    """
    data = read_bytes(root, rel, diags)
    text = decode(data, rel, diags) if data is not None else None
    return None if text is None else normalise(text)


def normalise(text: str) -> str:
    """Text as the build reads it: a leading byte-order mark dropped, line breaks as \\n.

    A lone \\r (old Mac files, some pastes) is a line break too: YAML, markdown-it and
    editors all count it as one, so every line number we report must as well."""
    return text.removeprefix(_BOM).replace("\r\n", "\n").replace("\r", "\n")


# Characters no source may hold, each with its message and hint (E101). A NUL: no text file
# holds one; Markdown would show it as \ufffd, YAML refuse it. U+0085, U+2028 and U+2029:
# YAML (and Python's splitlines, which `prices add` edits by) count each as a line break, while
# markdown-it and most editors show nothing, so every line number after one would be off by one
# in YAML and not in Markdown. Invisible and never needed, they are refused rather than counted.
_INVISIBLE_BREAK = (
    "YAML counts it as a line break while Markdown and most editors show nothing, so line "
    "numbers would disagree"
)
_REFUSED_CHARACTERS = {
    "\0": (
        "file holds a NUL byte, so it is not a text file",
        "remove the NUL byte (it often comes from a binary file or a broken copy); "
        "if the file is binary, it does not belong here",
    ),
    "\x85": (
        f"file holds the invisible character U+0085 (next line): {_INVISIBLE_BREAK}",
        "delete it, or type what was meant: it is often an ellipsis (…) from a Windows-1252 "
        "copy, or a line break",
    ),
    "\u2028": (
        f"file holds the invisible character U+2028 (line separator): {_INVISIBLE_BREAK}",
        "delete it, or replace it with a plain line break or a space (it often comes from a "
        "copy out of a web page, a PDF or a word processor)",
    ),
    "\u2029": (
        f"file holds the invisible character U+2029 (paragraph separator): {_INVISIBLE_BREAK}",
        "delete it, or replace it with a blank line or a space (it often comes from a copy out "
        "of a web page, a PDF or a word processor)",
    ),
}
_REFUSED_CHARACTER = re.compile("[" + "".join(_REFUSED_CHARACTERS) + "]")


def decode(data: bytes, rel: str, diags: Diagnostics) -> str | None:
    """A source file's bytes as text, exactly (a command that rewrites the file keeps its line
    breaks); None with E101 at the line and column of the first byte that is not UTF-8, or of
    the first character no source may hold (`_REFUSED_CHARACTERS`)."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        col = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        diags.error(
            "E101",
            f"file is not valid UTF-8 (byte 0x{data[exc.start]:02x} at offset {exc.start})",
            rel,
            line,
            col,
            "re-save the file with UTF-8 encoding",
        )
        return None
    refused = _REFUSED_CHARACTER.search(text)
    if refused is not None:
        message, hint = _REFUSED_CHARACTERS[refused.group()]
        lines = normalise(text[: refused.start()]).split("\n")
        diags.error("E101", message, rel, len(lines), len(lines[-1]) + 1, hint)
        return None
    return text


@dataclass(frozen=True)
class DataFile:
    """A parsed YAML data file, and the one way to report a problem at a value's line in it."""

    path: str
    data: Any
    source: Source

    def error(
        self, diags: Diagnostics, code: str, message: str, at: Sequence[str | int], hint: str
    ) -> None:
        """Report an error at the line and column of the value at key path `at`."""
        line, col = self.source.locate(tuple(at))
        diags.error(code, message, self.path, line, col, hint)

    def report(
        self, diags: Diagnostics, code: str, missing: Missing, at: Sequence[str | int]
    ) -> None:
        """Report a reference that does not resolve at the value at key path `at`: error
        `code`, or the check left undone when its source failed (`Missing.report`)."""
        line, col = self.source.locate(tuple(at))
        missing.report(diags, code, self.path, line, col)

    def warning(
        self, diags: Diagnostics, code: str, message: str, at: Sequence[str | int], hint: str
    ) -> None:
        """Report a warning at the line and column of the value at key path `at`."""
        line, col = self.source.locate(tuple(at))
        diags.warning(code, message, self.path, line, col, hint)


def read_data_file(
    root: Path, rel: str, diags: Diagnostics, *, today: dt.date | None
) -> DataFile | None:
    """Parse one YAML data file; None (with a diagnostic) when it is unreadable or malformed.
    Its days are checked against `today`, the build's day (see `Source`)."""
    text = read_text(root, rel, diags)
    return None if text is None else parse_data_file(rel, text, diags, today=today)


def parse_data_file(
    rel: str, text: str, diags: Diagnostics, *, today: dt.date | None
) -> DataFile | None:
    """Parse the text of a YAML data file; None (with E202 at its line) when it is malformed.
    Its days are checked against `today`, the build's day (see `Source`)."""
    try:
        data = yamlsource.load(text)
    except yamlsource.YamlError as exc:
        diags.error(
            "E202",
            f"malformed YAML: {exc.message}",
            rel,
            exc.line,
            exc.col,
            exc.hint,
        )
        return None
    return DataFile(rel, data, Source(rel, yamlsource.Positions(text).locate, today))


def load_markdown_page(
    root: Path, rel: str, page_id: str, kind: str, url: str, diags: Diagnostics
) -> Page | None:
    """One Markdown page with title/description front-matter (the home page, a section intro)."""
    text = read_text(root, rel, diags)
    if text is None:
        return None
    fm = split_front_matter(rel, text, diags)
    if fm is None:
        return None
    before = diags.error_count
    meta = check(
        fm.meta, SECTION_SCHEMA, Source(rel, lambda at: fm.line_of(*at), today=None), diags
    )
    if diags.error_count > before:
        return None
    return Page(
        id=page_id,
        kind=kind,
        source=rel,
        url=url,
        title=meta["title"],
        short_title=meta.get("short_title", meta["title"]),
        answer=meta["description"].strip(),
        body=fm.body,
        body_line=fm.body_line,
        positions=fm.positions,
    )


def split_front_matter(rel: str, text: str, diags: Diagnostics) -> frontmatter.FrontMatter | None:
    """The front-matter and body of a Markdown source; None (with a diagnostic) when malformed."""
    try:
        return frontmatter.split(text)
    except frontmatter.FrontMatterError as exc:
        diags.error(exc.code, exc.message, rel, exc.line, exc.col, exc.hint)
        return None
