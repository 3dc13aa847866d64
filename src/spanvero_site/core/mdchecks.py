"""Markdown that markdown-it-py accepts without a word but that would not reach the reader as
written: each is recorded while parsing, as (file line, message, hint), for E403.

- Nesting deeper than the parser's limit (`maxNesting`): markdown-it-py then silently skips
  everything from that point to the end of the enclosing block, which for a list item is often
  the rest of the file.
- A footnote reference with no definition (shown as the literal text `[^x]`), a footnote
  defined twice (the last one silently wins) or defined and never referenced (never shown).
"""

from __future__ import annotations

import re

from markdown_it import MarkdownIt
from markdown_it.parser_block import ParserBlock
from markdown_it.rules_block import StateBlock
from markdown_it.rules_core import StateCore
from markdown_it.utils import EnvType

PROBLEMS = "body_problems"  # the parse env's list of (file line, message, hint)
FIRST_LINE = "body_line"  # the parse env's file line of the body's first line
_UNDEFINED_REF = re.compile(r"\[\^([^\]\s]+)\]")

Problem = tuple[int, str, str]


def install(md: MarkdownIt) -> None:
    """Make `md` record the problems above in `env[PROBLEMS]` of every parse, at file lines
    counted from `env[FIRST_LINE]`.

    Call after the footnote plugin is installed (its definitions are read before its tail
    rule moves them to the end of the tokens)."""
    block = _DepthCheckedBlock()
    block.ruler = md.block.ruler
    md.block = block
    md.core.ruler.before("footnote_tail", "check_footnotes", _check_footnotes)


def problems(env: EnvType) -> list[Problem]:
    """The problems one parse with `env` recorded, in body order."""
    return sorted(env.get(PROBLEMS, ()))


class _DepthCheckedBlock(ParserBlock):
    """The block parser, noting where it stops because the nesting limit is reached.

    The parser's own loop skips a block's remaining lines when `state.level` is at the limit;
    the level does not change within one call, so checking at entry sees every skip."""

    def tokenize(self, state: StateBlock, startLine: int, endLine: int) -> None:
        line = state.skipEmptyLines(startLine)
        if (
            state.level >= state.md.options.maxNesting
            and line < endLine
            and state.sCount[line] >= state.blkIndent
        ):
            state.env.setdefault(PROBLEMS, []).append(
                (
                    state.env[FIRST_LINE] + line,
                    "lists, quotes and notes are nested too deeply here (Markdown allows "
                    f"{state.md.options.maxNesting // 2} levels of lists, or "
                    f"{state.md.options.maxNesting} of quotes), so the rest of this block "
                    "would not be shown",
                    "nest fewer levels: split the list or quote, or move the inner part out",
                )
            )
        super().tokenize(state, startLine, endLine)


def _check_footnotes(state: StateCore) -> None:
    """Note footnotes defined twice, never defined, or never referenced."""
    if "[^" not in state.src:
        return  # no footnote, defined or referenced: most bodies, spared a walk of every token
    defined: dict[str, int] = {}
    found: list[Problem] = []
    referenced: set[str] = set()
    written: list[tuple[str, int]] = []
    line = state.env[FIRST_LINE]
    for token in state.tokens:
        if token.map:
            line = state.env[FIRST_LINE] + token.map[0]
        if token.type == "footnote_reference_open":
            label = str(token.meta["label"])
            first = defined.setdefault(label, line)
            if first != line:
                found.append(
                    (
                        line,
                        f"footnote [^{label}] is defined twice, on lines {first} and {line}; "
                        "only the last one would be shown",
                        "keep one definition, or give the other footnote its own label",
                    )
                )
        elif token.type == "inline":
            at = line
            for child in token.children or ():
                if child.type in ("softbreak", "hardbreak"):
                    at += 1
                elif child.type == "footnote_ref":
                    referenced.add(str(child.meta["label"]))
                elif child.type == "text":
                    written += [(m.group(1), at) for m in _UNDEFINED_REF.finditer(child.content)]
    for label, at in written:
        found.append(
            (
                at,
                f"footnote [^{label}] is never defined, so it would show as the text '[^{label}]'",
                f"add a line '[^{label}]: ...' with the note, or remove the reference",
            )
        )
    for label, at in defined.items():
        if label not in referenced:
            found.append(
                (
                    at,
                    f"footnote [^{label}] is defined but never referenced, so it would not be "
                    "shown",
                    f"refer to it with [^{label}] in the text, or remove the definition",
                )
            )
    if found:
        state.env.setdefault(PROBLEMS, []).extend(found)
