"""The line where a template's unclosed block was opened, for a syntax error Jinja reports where
it gave up waiting.

Jinja notices a missing `{% endif %}` only where something else ends: the `{% endblock %}`
around it, another block's end, or the end of the file. It reports that line, which may be
fifty lines below the `{% if %}` the editor left open, and names only the kind of the innermost
open block. The template's tokens (a parse error leaves the lexer's view usable) give the line
where that block was opened, which is where the editor has to look.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import jinja2

# Tags that open a block closed by `end<tag>`. `set` only in its block form, without `=`;
# `{% raw %}` is the lexer's own and never reaches the parser unclosed.
_OPENERS = frozenset(
    {"autoescape", "block", "call", "filter", "for", "if", "macro", "set", "trans", "with"}
)
_INNERMOST = re.compile(r"The innermost block that needs to be closed is '(\w+)'")
_UNKNOWN_TAG = re.compile(r"^Encountered unknown tag '(\w+)'")
_END_OF_TEMPLATE = "Unexpected end of template"


@dataclass(frozen=True)
class Unclosed:
    """A block left open: its tag, the line that opened it, and what Jinja reached instead of
    its end: a tag and its line, or None for the end of the file."""

    tag: str
    line: int
    reached: tuple[str, int] | None

    def describe(self) -> str:
        """The problem as the editor reads it at the opening line."""
        where = "the end of the template"
        if self.reached is not None:
            where = f"{{% {self.reached[0]} %}} at line {self.reached[1]}"
        return f"{{% {self.tag} %}} is not closed before {where}"

    def hint(self) -> str:
        """Where the missing end goes."""
        add = f"add {{% end{self.tag} %}} where this {self.tag} ends"
        if self.reached is None:
            return f"{add}, in this file"
        tag, line = self.reached
        return f"{add}, before line {line} (or correct {{% {tag} %}} there)"


def unclosed_block(env: jinja2.Environment, exc: jinja2.TemplateSyntaxError) -> Unclosed | None:
    """The block Jinja's syntax error `exc` says was left open, with the line that opened it;
    None when the error is of another kind or the opening cannot be found."""
    innermost = _INNERMOST.search(exc.message or "")
    if innermost is None or exc.source is None:
        return None
    unknown = _UNKNOWN_TAG.match(exc.message or "")
    if unknown is None and not (exc.message or "").startswith(_END_OF_TEMPLATE):
        return None
    stop = (unknown.group(1), exc.lineno or 1) if unknown is not None else None
    try:
        tokens = [t for t in env.lex(exc.source) if t[1] != "whitespace"]
    except jinja2.TemplateSyntaxError:
        return None
    opened: list[tuple[str, int]] = []
    for index, (line, kind, tag) in enumerate(tokens):
        if kind != "name" or index == 0 or tokens[index - 1][1] != "block_begin":
            continue
        if stop is not None and (tag, line) == stop:
            break
        if tag.startswith("end"):
            if opened and opened[-1][0] == tag[3:]:
                opened.pop()
        elif tag in _OPENERS and not (tag == "set" and _assigns(tokens, index)):
            opened.append((tag, line))
    for tag, line in reversed(opened):
        if tag == innermost.group(1):
            return Unclosed(tag, line, stop)
    return None


def _assigns(tokens: list[tuple[int, str, str]], index: int) -> bool:
    """Whether the tag at `index` holds an `=` before its end (`{% set x = 1 %}`, no block)."""
    for _, kind, value in tokens[index:]:
        if kind == "block_end":
            return False
        if kind == "operator" and value == "=":
            return True
    return False
