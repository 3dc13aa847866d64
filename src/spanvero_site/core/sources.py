"""Reading sources: text files, YAML data files and Markdown pages, each problem a diagnostic.

Every section reads its files through these, so an unreadable file, bad UTF-8 or malformed YAML
is reported the same way, at its path and line, wherever it occurs.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from spanvero_site.core import frontmatter, yamlsource
from spanvero_site.core.diagnostics import Diagnostics
from spanvero_site.core.pages import Page
from spanvero_site.core.schema import Field, Source, check

# Ids that become URL segments: lowercase letters, digits and single hyphens.
SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")

SECTION_SCHEMA: dict[str, Field] = {
    "title": Field("str", required=True, example="Spanvero"),
    "short_title": Field("str", example="Cost calculator"),
    "description": Field("str", required=True, example="One sentence for search results."),
}


def read_text(root: Path, rel: str, diags: Diagnostics) -> str | None:
    """A source file's text; a missing or non-UTF-8 file becomes an E101 diagnostic."""
    try:
        data = (root / rel).read_bytes()
    except OSError as exc:
        diags.error("E101", f"cannot read file: {exc.strerror}", rel)
        return None
    try:
        return data.decode("utf-8").replace("\r\n", "\n")
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


@dataclass(frozen=True)
class DataFile:
    """A parsed YAML data file and how to find a value's line in it."""

    path: str
    data: Any
    source: Source


def read_data_file(root: Path, rel: str, diags: Diagnostics) -> DataFile | None:
    """Parse one YAML data file; None (with a diagnostic) when it is unreadable or malformed."""
    text = read_text(root, rel, diags)
    if text is None:
        return None
    try:
        data = yamlsource.load(text)
    except yamlsource.YamlError as exc:
        diags.error(
            "E202",
            f"malformed YAML: {exc.message}",
            rel,
            exc.line,
            exc.col,
            "check indentation, and quote values that contain ': '",
        )
        return None
    return DataFile(rel, data, Source(rel, yamlsource.Positions(text).locate))


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
    before = len(diags.errors)
    meta = check(fm.meta, SECTION_SCHEMA, Source(rel, lambda at: fm.line_of(*at)), diags)
    if len(diags.errors) > before:
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
