"""Split a Markdown source into its YAML front-matter and its body, keeping line numbers."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from spanvero_site.core import yamlsource

_FENCE = "---"


class FrontMatterError(Exception):
    """The front-matter is absent or unparsable; carries the 1-based file line and column."""

    def __init__(self, code: str, message: str, line: int, col: int, hint: str) -> None:
        super().__init__(message)
        self.code, self.message, self.line, self.col, self.hint = code, message, line, col, hint


@dataclass(frozen=True)
class FrontMatter:
    """Parsed front-matter, the body after it, and enough to find any key's line in the file."""

    meta: dict[str, Any]
    body: str
    body_line: int
    positions: yamlsource.Positions = field(compare=False, repr=False)

    def line_of(self, *path: str | int) -> tuple[int, int]:
        """File (line, col) of the front-matter value at `path`, e.g. ("related", 2)."""
        return self.positions.locate(path)


def split(text: str) -> FrontMatter:
    """Parse `text` (a whole Markdown file) into front-matter and body.

    Raises FrontMatterError (E201 no front-matter, E202 malformed YAML) with a file position.
    """
    lines = text.removeprefix("\ufeff").split("\n")
    if not lines or lines[0].rstrip() != _FENCE:
        raise FrontMatterError(
            "E201",
            "no front-matter",
            1,
            1,
            "start the file with a line '---', the YAML keys (title, answer, date, ...), "
            "and a closing '---'",
        )
    for index in range(1, len(lines)):
        if lines[index].rstrip() == _FENCE:
            closing = index
            break
    else:
        raise FrontMatterError(
            "E201",
            "front-matter is not closed",
            1,
            1,
            "add a line '---' after the last front-matter key",
        )
    yaml_text = "\n".join(lines[1:closing]) + "\n"
    try:
        # Aliases are refused in front-matter: nothing there needs them, and they are the
        # way to make a small file expand into a huge value.
        meta = yamlsource.load(yaml_text, aliases=False, line_offset=1)
    except yamlsource.YamlError as exc:
        raise FrontMatterError(
            "E202",
            f"malformed YAML in front-matter: {exc.message}",
            exc.line + 1,
            exc.col,
            exc.hint,
        ) from None
    if meta is None:
        meta = {}
    if not isinstance(meta, dict):
        raise FrontMatterError(
            "E202",
            "front-matter must be a mapping of keys to values",
            2,
            1,
            "write one 'key: value' per line between the '---' lines",
        )
    body = "\n".join(lines[closing + 1 :])
    # The opening fence is line 1 of the file, so YAML line 1 is file line 2.
    positions = yamlsource.Positions(yaml_text, line_offset=1)
    return FrontMatter(meta=meta, body=body, body_line=closing + 2, positions=positions)
