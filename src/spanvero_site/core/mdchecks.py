"""Markdown that markdown-it-py accepts without a word but that would not reach the reader as
written: each is recorded while parsing, as (file line, column, message, hint), for E403.

- Nesting deeper than the parser's limit (`maxNesting`): markdown-it-py then silently skips
  everything from that point to the end of the enclosing block, which for a list item is often
  the rest of the file.
- A footnote reference with no definition (shown as the literal text `[^x]`), a footnote
  defined twice (the last one silently wins) or defined and never referenced (never shown).
- A link, image, autolink or link definition whose URL markdown-it-py refuses
  (`validateLink`: `javascript:`, `vbscript:`, `file:`, `data:` other than a GIF, PNG, JPEG or
  WebP image): the parser then leaves it as the literal text `[text](...)`.

And, as warnings, since the page still builds as written:
- W404: raw HTML in a body when the site's Markdown does not render HTML (site.yaml
  `markdown: allow_html: false`), which the reader would see as the literal tags, an editor's
  `<!-- note -->` included.
- W405: what a reader on a screen reader or a keyboard cannot use: an image without alt text,
  a link without text or without an address, or a heading more than one level below the
  heading before it (such readers move through a page by its headings). The body's first
  heading is not held to the page's: the template decides what stands above the body (the
  explainer's title is an h1; the home page's h1 is its body's own).
"""

from __future__ import annotations

import re
from collections.abc import Callable

from markdown_it import MarkdownIt, rules_block, rules_inline
from markdown_it.common.html_re import HTML_TAG_RE
from markdown_it.parser_block import ParserBlock
from markdown_it.rules_block import StateBlock
from markdown_it.rules_core import StateCore
from markdown_it.rules_inline import StateInline
from markdown_it.token import Token
from markdown_it.utils import EnvType

from spanvero_site.core import mdplaces
from spanvero_site.core.diagnostics import excerpt

PROBLEMS = "body_problems"  # the parse env's list of (file line, column, message, hint)
_SHOWN_HTML = "shown_html"  # the same, of raw HTML shown as text (W404)
_UNUSABLE = "unusable"  # the same, of what some readers cannot use (W405)
FIRST_LINE = "body_line"  # the parse env's file line of the body's first line
_REFUSED = "refused_links"  # the parse env's list of (inline text, position, kind, URL)
_UNDEFINED_REF = re.compile(r"\[\^([^\]\s]+)\]")

Problem = tuple[int, int, str, str]
CodedProblem = tuple[int, int, str, str, str]  # a Problem and its diagnostic code
InlineRule = Callable[[StateInline, bool], bool]
BlockRule = Callable[[StateBlock, int, int, bool], bool]


def install(md: MarkdownIt) -> None:
    """Make `md` record the problems above in `env[PROBLEMS]` of every parse, at file lines
    counted from `env[FIRST_LINE]`.

    Call after the footnote plugin is installed (its definitions are read before its tail
    rule moves them to the end of the tokens)."""
    block = _DepthCheckedBlock()
    block.ruler = md.block.ruler
    md.block = block
    md.core.ruler.before("footnote_tail", "check_footnotes", _check_footnotes)
    refused = _RefusedLinks(md.validateLink)
    md.validateLink = refused.validate  # type: ignore[method-assign]  # the parser's one check of a URL
    md.inline.ruler.at("link", refused.inline(rules_inline.link, "link"))
    md.inline.ruler.at("image", refused.inline(rules_inline.image, "image"))
    md.inline.ruler.at("autolink", refused.inline(rules_inline.autolink, "link"))
    md.block.ruler.at("reference", refused.reference(rules_block.reference))
    md.core.ruler.after("inline", "place_refused_links", _place_refused_links)
    # Before smartquotes changes the text's quotes and text_join joins an escaped `\<` (a
    # token of its own until then) to the text around it
    md.core.ruler.before("replacements", "note_for_readers", _note_for_readers)


def problems(env: EnvType) -> list[CodedProblem]:
    """The problems one parse with `env` recorded, each with its code, in body order."""
    found = [(*p, "E403") for p in env.get(PROBLEMS, ())]
    found += [(*p, "W404") for p in env.get(_SHOWN_HTML, ())]
    found += [(*p, "W405") for p in env.get(_UNUSABLE, ())]
    return sorted(found)


class _DepthCheckedBlock(ParserBlock):
    """The block parser, noting where it stops because the nesting limit is reached.

    The parser's own loop skips a block's remaining lines when `state.level` is at the limit;
    the level does not change within one call, so checking at entry sees every skip."""

    def tokenize(self, state: StateBlock, startLine: int, endLine: int) -> None:
        # The level first: it is below the limit in nearly every call, and then the empty
        # lines need not be skipped twice (the parser's own loop skips them again).
        if state.level >= state.md.options.maxNesting and (
            (line := state.skipEmptyLines(startLine)) < endLine
            and state.sCount[line] >= state.blkIndent
        ):
            state.env.setdefault(PROBLEMS, []).append(
                (
                    state.env[FIRST_LINE] + line,
                    1,
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
    written: list[tuple[str, int, int]] = []
    lines = state.src.split("\n")
    block = 0  # the body line of the last token that has one
    for token in state.tokens:
        if token.map:
            block = token.map[0]
        line = state.env[FIRST_LINE] + block
        if token.type == "footnote_reference_open":
            label = str(token.meta["label"])
            first = defined.setdefault(label, line)
            if first != line:
                found.append(
                    (
                        line,
                        1,
                        f"footnote [^{label}] is defined twice, on lines {first} and {line}; "
                        "only the last one would be shown",
                        "keep one definition, or give the other footnote its own label",
                    )
                )
        elif token.type == "inline":
            # An undefined reference is left as text: found in the inline's text, in order,
            # it is placed like a link (mdplaces), line breaks inside code spans counted.
            after = 0
            for child in token.children or ():
                if child.type == "footnote_ref":
                    referenced.add(str(child.meta["label"]))
                elif child.type == "text":
                    for match in _UNDEFINED_REF.finditer(child.content):
                        at = token.content.find(match.group(0), after)
                        if at < 0:
                            written.append((match.group(1), line, 1))
                            continue
                        after = at + len(match.group(0))
                        row, col = mdplaces.place(lines, block, token.content, at)
                        written.append((match.group(1), state.env[FIRST_LINE] + row, col))
    for label, at, col in written:
        found.append(
            (
                at,
                col,
                f"footnote [^{label}] is never defined, so it would show as the text '[^{label}]'",
                f"add a line '[^{label}]: ...' with the note, or remove the reference",
            )
        )
    for label, at in defined.items():
        if label not in referenced:
            found.append(
                (
                    at,
                    1,
                    f"footnote [^{label}] is defined but never referenced, so it would not be "
                    "shown",
                    f"refer to it with [^{label}] in the text, or remove the definition",
                )
            )
    if found:
        state.env.setdefault(PROBLEMS, []).extend(found)


class _RefusedLinks:
    """markdown-it-py's `validateLink`, noting each URL it refuses, and the parser rules that
    call it, noting where that URL was written.

    `validateLink` is the one place the parser refuses a URL, but it is told only the URL; the
    rule that asked knows where it is. So the check notes the URL and the rule around it takes
    the note with its place. A body is parsed by one thread at a time (one renderer per
    build, and the workers are processes), so one list of notes serves every parse. The
    rules wrapped are every rule our parser runs that calls `validateLink` (linkify is off).
    """

    def __init__(self, validate: Callable[[str], bool]) -> None:
        self._validate = validate
        self._refused: list[str] = []

    def validate(self, url: str) -> bool:
        allowed = self._validate(url)
        if not allowed:
            self._refused.append(url)
        return allowed

    def inline(self, rule: InlineRule, kind: str) -> InlineRule:
        """`rule`, leaving each URL it had refused in the parse env with its place in the
        inline text (a line is known only once the block the text is in is found)."""

        def checked(state: StateInline, silent: bool) -> bool:
            start = state.pos
            found = rule(state, silent)
            if self._refused:
                noted = state.env.setdefault(_REFUSED, [])
                noted += [(state.src, start, kind, url) for url in self._refused]
                self._refused.clear()
            return found

        return checked

    def reference(self, rule: BlockRule) -> BlockRule:
        """The link definition rule (`[x]: url`), noting a refused URL at its line."""

        def checked(state: StateBlock, start: int, end: int, silent: bool) -> bool:
            found = rule(state, start, end, silent)
            if self._refused:
                line = state.env[FIRST_LINE] + start
                noted = state.env.setdefault(PROBLEMS, [])
                noted += [_refused(line, 1, "definition", url) for url in self._refused]
                self._refused.clear()
            return found

        return checked


def _place_refused_links(state: StateCore) -> None:
    """Turn the refused URLs the inline rules noted into problems at their file lines.

    A note holds the text its rule parsed: a paragraph's (or a heading's, a table cell's), or
    a part of it parsed on its own (a link's label, an inline footnote); the first inline
    token holding that text gives the block, and the URL's offset in it its place (mdplaces)."""
    noted = state.env.pop(_REFUSED, None)
    if not noted:
        return
    first = state.env[FIRST_LINE]
    lines = state.src.split("\n")
    inlines: list[tuple[int, str]] = []
    block = 0
    for token in state.tokens:
        if token.map:
            block = token.map[0]
        if token.type == "inline":
            inlines.append((block, token.content))
    # One problem per URL and place: a refused image `![x](url)` is tried as the link `[x](url)`
    # too, and a label is parsed once silently and once for real; the image is what was meant.
    # The image's place is its `!`, one column before the `[` the link rule tried.
    found: dict[tuple[int, str], tuple[str, int]] = {}
    for src, pos, kind, url in noted:
        placed = [(at, text) for at, text in inlines if text == src]
        placed = placed or [(at, text) for at, text in inlines if src in text][:1]
        for at, text in placed:
            row, col = mdplaces.place(lines, at, text, text.find(src) + pos)
            key = (first + row, url)
            if found.get(key, ("",))[0] != "image":
                found[key] = (kind, col)
    problems = [_refused(line, col, kind, url) for (line, url), (kind, col) in found.items()]
    state.env.setdefault(PROBLEMS, []).extend(problems)


def _refused(line: int, col: int, kind: str, url: str) -> Problem:
    """The problem of a URL the parser refused, which leaves the Markdown as written."""
    scheme = url.strip().lower().partition(":")[0]
    why = (
        "a data: URL that is not a GIF, PNG, JPEG or WebP image"
        if scheme == "data"
        else f"a {scheme}: URL"
    )
    if kind == "image":
        return (
            line,
            col,
            f"image '{excerpt(url)}' is not allowed ({why}), so the page would show the "
            "Markdown as written, not the image",
            "put the image file under static/ and use its path on the site, or an https:// "
            "URL; a data: URL may hold only a GIF, PNG, JPEG or WebP image",
        )
    what = "link definition with the URL" if kind == "definition" else "link to"
    return (
        line,
        col,
        f"{what} '{excerpt(url)}' is not allowed ({why}), so the page would show the "
        "Markdown as written, not a link",
        "link to an https:// page or a page of this site: javascript:, vbscript:, file: and "
        "data: URLs can run code or open the reader's own files, so no page links to them",
    )


def _note_for_readers(state: StateCore) -> None:
    """Note, in one walk of the tokens, what would reach readers other than as meant: raw HTML
    shown as text when the site renders none (W404: the first tag or comment of each inline
    text), and what some readers cannot use (W405: images without alt text, links without
    text or address, a heading more than one level below the body's heading before it)."""
    html_off = not state.md.options["html"]
    first = state.env[FIRST_LINE]
    lines: list[str] = []  # the body's lines, split only to place a problem
    shown: list[Problem] = []
    unusable: list[Problem] = []

    def at(block: int, text: str, offset: int | None) -> tuple[int, int]:
        if not lines:
            lines.extend(state.src.split("\n"))
        row, col = mdplaces.place(lines, block, text, offset or 0)
        return first + row, col if offset is not None else 1

    level: int | None = None  # the level of the body's last heading
    block = 0
    for token in state.tokens:
        if token.map:
            block = token.map[0]
        if token.type == "heading_open":
            now = int(token.tag[1])
            if level is not None and now > level + 1:
                unusable.append(_skipped(level, now, first + block))
            level = now
        elif token.type == "inline" and token.children:
            text = token.content
            if html_off and "<" in text:
                tag = _first_tag(token.children)
                if tag is not None:
                    shown.append((*at(block, text, max(text.find(tag), 0)), *_shown_html(tag)))
            if "[" in text:
                for offset, message, hint in _inline_unusable(token.children):
                    unusable.append((*at(block, text, offset), message, hint))
    if shown:
        state.env.setdefault(_SHOWN_HTML, []).extend(shown)
    if unusable:
        state.env.setdefault(_UNUSABLE, []).extend(unusable)


def _first_tag(children: list[Token]) -> str | None:
    """The first HTML tag or comment written in an inline token's text, if any."""
    for child in children:
        if child.type == "text":
            tag = HTML_TAG_RE.search(child.content)
            if tag is not None:
                return tag.group(0)
    return None


def _shown_html(tag: str) -> tuple[str, str]:
    """The message and hint for raw HTML `tag` that a reader would see as written."""
    shown = excerpt(tag)
    allow = "or set 'allow_html: true' under 'markdown:' in content/site.yaml"
    off = "this site's Markdown does not render HTML (site.yaml: markdown: allow_html: false)"
    if tag.startswith("<!--"):
        return (
            f"the HTML comment '{shown}' would show as text: {off}",
            f"delete it, as readers would see it; {allow} (a comment is then left unseen)",
        )
    return (
        f"raw HTML '{shown}' would show as text: {off}",
        f"write it in Markdown; to show it as code, put it in backticks (`{shown}`); {allow}",
    )


def _skipped(above: int, level: int, line: int) -> Problem:
    """A heading at `level` right after one at `above`, more than one level deeper."""
    return (
        line,
        1,
        f"this heading skips from level {above} to level {level}: readers who move through a "
        "page by its headings would miss a level",
        f"make it {'#' * (above + 1)} (level {above + 1}), or add the level between",
    )


def _inline_unusable(children: list[Token]) -> list[tuple[int | None, str, str]]:
    """Images without alt text and links without text or address among an inline token's
    children, each with the offset its rule noted (None if not noted)."""
    found: list[tuple[int | None, str, str]] = []
    for index, child in enumerate(children):
        kind = child.type
        if kind != "image" and kind != "link_open":
            continue  # most children: text, emphasis, code
        if kind == "image" and not child.content.strip():
            found.append(
                (
                    mdplaces.offset(child),
                    f"image '{excerpt(str(child.attrGet('src') or ''))}' has no alt text: a "
                    "screen reader cannot say what it shows",
                    "describe what it shows in the brackets: ![A chart of cost by month](...)",
                )
            )
        elif kind == "link_open":
            if not str(child.attrGet("href") or "").strip():
                found.append(
                    (
                        mdplaces.offset(child),
                        "link with no address: it would lead back to this same page",
                        "write the address in the parentheses: [text](/learn/lora/)",
                    )
                )
            elif not _link_text(children, index):
                found.append(
                    (
                        mdplaces.offset(child),
                        "link with no text: a screen reader would read out only its address, "
                        "and there is nothing to see or click",
                        "write the link's text in the brackets: [what it leads to](...)",
                    )
                )
    return found


def _link_text(children: list[Token], start: int) -> bool:
    """Whether the link opened at `children[start]` holds text, or an image with alt text."""
    for child in children[start + 1 :]:
        if child.type == "link_close":
            return False
        if child.content.strip():
            return True
    return False
