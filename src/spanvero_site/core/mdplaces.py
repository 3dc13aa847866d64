"""Where a link, image or footnote reference of a Markdown body was written: its line and column.

markdown-it-py gives a line only to blocks. Counting the line-break tokens of a paragraph to
find the line of a link inside it misses the breaks the parser keeps inside other tokens: a
code span wrapped onto the next line (its break becomes a space), an image's alt text (its
tokens are its own), a link's title. So a place is taken from where the thing starts in the
text the parser read (the inline rule that made it notes its offset), and the breaks before
that offset are counted in the text itself. The column is found in the body's own line,
where a quote's `>`, a list's indent or a table's `|` still stand before it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from markdown_it import MarkdownIt
from markdown_it.rules_inline import StateInline
from markdown_it.token import Token

OFFSET = "offset"  # a link_open or image token's meta: where it starts in its inline text
_MADE = ("link", "image", "autolink")  # the inline rules that make a link or an image
_TOKENS = ("link_open", "image")

InlineRule = Callable[[StateInline, bool], bool]


def install(md: MarkdownIt) -> None:
    """Make every link and image token `md` parses note its offset (`OFFSET` in its meta),
    wrapping whichever rules are installed under those names now."""
    ruler = md.inline.ruler
    for name in _MADE:
        rule = ruler.__rules__[ruler.__find__(name)].fn
        ruler.at(name, _noting_offset(rule))


def _noting_offset(rule: InlineRule) -> InlineRule:
    def noted(state: StateInline, silent: bool) -> bool:
        start, before = state.pos, len(state.tokens)
        found = rule(state, silent)
        if found and not silent:
            # The first new token may be the text before the link, flushed as it is pushed;
            # tokens after the link's own are its label's (an image inside a link).
            made = next((t for t in state.tokens[before:] if t.type in _TOKENS), None)
            if made is not None:
                made.meta[OFFSET] = start
        return found

    return noted


def offset(token: Token) -> int | None:
    """The offset a link or image token starts at in its inline text, if its rule noted it."""
    found = token.meta.get(OFFSET) if token.meta else None
    return found if isinstance(found, int) else None


def place(lines: Sequence[str], first: int, text: str, at: int) -> tuple[int, int]:
    """The line (an index into `lines`, the body's lines) and 1-based column of offset `at`
    of an inline `text` whose first line is `lines[first]`.

    The text is the block's lines with what the block's markers took off their starts (a
    quote's `>`, a list's indent, a cell's `|`), so the rest of the line after `at` is found
    in the body's line from the column it has in the text on (or anywhere in it, where the
    parser expanded a tab); column 1 if it is not there."""
    line = first + text.count("\n", 0, at)
    start = text.rfind("\n", 0, at) + 1
    end = text.find("\n", at)
    rest = text[at:] if end < 0 else text[at:end]
    written = lines[line] if line < len(lines) else ""
    found = written.find(rest, at - start)
    if found < 0:
        found = written.find(rest)
    return line, found + 1 if found >= 0 else 1
