"""Markdown to HTML with markdown-it-py, returning the headings, links and figures it found.

Returning the links with their source lines lets link checking be a separate pass over plain
data, and lets a broken link be reported at the line it was written on. A ```figure block is a
request for a figure drawn from the site's data (a chart): it becomes a slot in the HTML, and
its text and line are returned, so the page's section can draw it (or report it) without this
module knowing any data, and the rendered HTML stays a function of the body alone. Every table
scrolls inside its own labelled, focusable box, so a wide one never widens the page on a phone.
"""

from __future__ import annotations

import posixpath
import re
from collections import Counter
from collections.abc import Callable, Sequence
from functools import lru_cache
from html import escape

from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml, unescapeAll
from markdown_it.renderer import RendererHTML
from markdown_it.token import Token
from markdown_it.utils import EnvType, OptionsDict
from mdit_py_plugins.container import container_plugin
from mdit_py_plugins.footnote import footnote_plugin
from pygments import highlight as pygments_highlight
from pygments.formatters import HtmlFormatter
from pygments.lexer import Lexer
from pygments.lexers import get_lexer_by_name
from pygments.util import ClassNotFound

from spanvero_site.core import mdchecks, mdplaces
from spanvero_site.core.pages import BodyProblem, FigureBlock, Heading, Link, Rendered

ADMONITIONS = {"note": "Note", "tip": "Tip", "warning": "Warning"}
FIGURE = "figure"  # the info string of a fenced block that asks for a figure
_TOC_LEVELS = (2, 3)
_LABELS = "labels"  # the render env's count of each region label (tables, code) given so far
_SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")

# Resolves a `.md` link, given the linking file and the written path, to a site URL (or None).
MdResolver = Callable[[str, str], str | None]


def slugify(text: str) -> str:
    """A heading's anchor id: lowercase words joined by hyphens, punctuation dropped."""
    words = re.sub(r"[^\w\s-]", "", text.lower()).split()
    return "-".join(words).strip("-") or "section"


def code_stylesheet() -> str:
    """The Pygments stylesheet for highlighted code, made once per build."""
    formatter: HtmlFormatter[str] = HtmlFormatter(style="default")
    css: str = formatter.get_style_defs(".highlight")  # type: ignore[no-untyped-call]  # untyped in Pygments' stubs
    return css + "\n"


def is_internal(href: str) -> bool:
    """Whether `href` points inside this site (no scheme, not protocol-relative, not mailto)."""
    return not (_SCHEME.match(href) or href.startswith("//"))


class MarkdownRenderer:
    """A configured markdown-it-py parser; one per build, reused for every page."""

    def __init__(self, allow_html: bool = False, reserved_ids: frozenset[str] = frozenset()):
        """`reserved_ids`: the ids the templates give their own elements (`main`, ...); a
        heading never takes one, so no page has two elements with one id."""
        md = MarkdownIt("commonmark", {"html": allow_html, "typographer": True})
        md.enable(["table", "strikethrough", "replacements", "smartquotes"])
        md.use(footnote_plugin)
        # One container rule for every kind: each rule is tried at every block's start
        md.use(container_plugin, "admonition", validate=_is_admonition, render=_render_admonition)
        md.add_render_rule("table_open", _render_table_open)
        md.add_render_rule("table_close", _render_table_close)
        md.add_render_rule("fence", _render_fence)
        md.add_render_rule("code_block", _render_code_block)
        mdchecks.install(md)
        mdplaces.install(md)
        self._md = md
        self.allow_html = allow_html
        self.reserved_ids = frozenset(reserved_ids)

    def render(
        self,
        body: str,
        *,
        source: str,
        body_line: int,
        resolve_md: MdResolver,
        base_path: str = "/",
    ) -> Rendered:
        """Render `body` (from `source`, starting at file line `body_line`) to HTML.

        `.md` links are rewritten to page URLs, site-absolute links get the base path, and
        every internal link is returned with the file line it was written on, as is Markdown
        that would not reach the reader as written (`mdchecks`).
        """
        env: dict[str, object] = {mdchecks.FIRST_LINE: body_line}
        tokens = self._md.parse(body, env)
        found = _Found(self.reserved_ids)
        base = base_path.rstrip("/")
        lines = body.split("\n")
        block_line = 0  # the body line of the last token that has one
        for index, token in enumerate(tokens):
            if token.map:
                block_line = token.map[0]
            kind = token.type
            if kind == "inline":
                if token.children:
                    at = _Inline(lines, body_line, block_line, token.content)
                    _rewrite_links(token.children, source, at, resolve_md, base, found.links)
            elif kind == "heading_open":
                found.heading(token, tokens[index + 1])
            elif kind == "th_open" or kind == "td_open":
                _alignment_as_class(token)
            elif kind == "fence" and token.info.strip() == FIGURE:
                found.figure(token, body_line)
            elif kind == "fence" or kind == "code_block":
                found.has_code = True
        html = self._md.renderer.render(tokens, self._md.options, {_LABELS: Counter()})
        return Rendered(
            html=html,
            headings=tuple(found.headings),
            links=tuple(found.links),
            has_code=found.has_code,
            figures=tuple(found.figures),
            problems=tuple(BodyProblem(*problem) for problem in mdchecks.problems(env)),
        )


def figure_slot(index: int) -> str:
    """The placeholder the `index`-th figure block of a body leaves in its HTML.

    A comment: authors cannot write one (raw HTML is escaped unless site.yaml allows it), and a
    slot nobody fills shows nothing."""
    return f"<!--figure {index}-->\n"


def fill_figures(html: str, figures: Sequence[str]) -> str:
    """A body's HTML with each figure slot replaced by its drawn figure, in order."""
    for index, figure in enumerate(figures):
        html = html.replace(figure_slot(index), figure, 1)
    return html


def toc(headings: Sequence[Heading]) -> tuple[Heading, ...]:
    """The headings a table of contents lists."""
    return tuple(h for h in headings if h.level in _TOC_LEVELS)


class _Found:
    """What one pass over a body's tokens finds, changing the tokens as it goes: heading ids,
    figure slots, internal links, and whether there is code. One pass, because walking the
    tokens once per kind of change cost a tenth of the Markdown stage."""

    def __init__(self, reserved: frozenset[str]) -> None:
        self.taken: set[str] = set(reserved)
        self.headings: list[Heading] = []
        self.figures: list[FigureBlock] = []
        self.links: list[Link] = []
        self.has_code = False

    def heading(self, token: Token, inline: Token) -> None:
        """Give the heading a unique id: its slug, or the slug with -1, -2 when already taken
        (by an earlier heading, by an explicit '-1' heading, or by the templates)."""
        text = "".join(
            c.content for c in inline.children or () if c.type in ("text", "code_inline")
        )
        base = slugify(text)
        anchor, count = base, 0
        while anchor in self.taken:
            count += 1
            anchor = f"{base}-{count}"
        self.taken.add(anchor)
        token.attrSet("id", anchor)
        self.headings.append(Heading(level=int(token.tag[1]), text=text, id=anchor))

    def figure(self, token: Token, body_line: int) -> None:
        """Turn a ```figure block into a slot, keeping its text and its fence's file line."""
        line = body_line + (token.map[0] if token.map else 0)
        self.figures.append(FigureBlock(token.content, line))
        token.type, token.content = "html_block", figure_slot(len(self.figures) - 1)


def _alignment_as_class(token: Token) -> None:
    """A table cell's alignment as a class, not a style attribute: pages must work under a
    Content-Security-Policy that forbids inline styles."""
    style = str(token.attrGet("style") or "")
    if style.startswith("text-align:"):
        token.attrs.pop("style")
        token.attrSet("class", "align-" + style.removeprefix("text-align:"))


def _render_table_open(
    self: RendererHTML, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
) -> str:
    """Open a table inside a box that scrolls sideways on its own: a wide table then never
    widens the page. The box is a labelled region that takes keyboard focus, so a reader
    without a mouse can scroll it and a screen reader names it (its label: the column heads,
    numbered when two tables of one body have the same)."""
    heads = _column_heads(tokens, idx)
    label = _numbered("Table: " + ", ".join(heads) if heads else "Table", env)
    return (
        f'<div class="table-wrap" role="region" tabindex="0" aria-label="{escape(label)}">\n'
        + self.renderToken(tokens, idx, options, env)
    )


def _numbered(label: str, env: EnvType) -> str:
    """`label`, numbered from its second use in one body: each region of a page has its own
    name, so a screen reader's list of regions tells them apart."""
    seen: Counter[str] = env[_LABELS]
    seen[label] += 1
    return label if seen[label] == 1 else f"{label} ({seen[label]})"


def _render_table_close(
    self: RendererHTML, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
) -> str:
    return self.renderToken(tokens, idx, options, env) + "</div>\n"


def _column_heads(tokens: Sequence[Token], table_open: int) -> list[str]:
    """The plain text of each header cell of the table that opens at `table_open`."""
    heads: list[str] = []
    for token in tokens[table_open + 1 :]:
        if token.type == "thead_close":
            break
        if token.type == "inline":
            text = "".join(
                c.content for c in token.children or () if c.type in ("text", "code_inline")
            )
            heads.append(" ".join(text.split()))
    return [head for head in heads if head]


class _Inline:
    """One inline token's text and where its block starts, to place what is in it."""

    def __init__(self, lines: Sequence[str], body_line: int, block_line: int, text: str):
        self.lines, self.body_line, self.block_line, self.text = lines, body_line, block_line, text

    def place(self, token: Token) -> tuple[int, int]:
        """The file line and column of a link or image token of this text (the block's
        first line and column 1 if its rule did not note where it starts)."""
        at = mdplaces.offset(token)
        if at is None:
            return self.body_line + self.block_line, 1
        line, col = mdplaces.place(self.lines, self.block_line, self.text, at)
        return self.body_line + line, col


def _rewrite_links(
    children: list[Token],
    source: str,
    inline: _Inline,
    resolve_md: MdResolver,
    base: str,
    links: list[Link],
) -> None:
    """Note each internal link of an inline token at its file line and column, and rewrite
    it: `.md` paths to page URLs, site-absolute URLs under the base path `base`."""
    for child in children:
        kind = child.type
        if kind == "link_open" or kind == "image":
            attr = "href" if kind == "link_open" else "src"
            href = str(child.attrGet(attr) or "")
            if not is_internal(href):
                continue
            site_url, md_path = _site_url(href, source, resolve_md)
            line, col = inline.place(child)
            links.append(Link(site_url, line, md_path, col, image=kind == "image"))
            if site_url.startswith("/"):
                child.attrSet(attr, base + site_url)
            elif site_url != href:
                child.attrSet(attr, site_url)


def _site_url(href: str, source: str, resolve_md: MdResolver) -> tuple[str, str | None]:
    """The site URL `href` means (`.md` paths resolved), and the unresolved `.md` path if any."""
    path, hash_, fragment = href.partition("#")
    if not path.endswith(".md"):
        return href, None
    written = posixpath.normpath(posixpath.join(posixpath.dirname(source), path))
    url = resolve_md(source, written)
    if url is None:
        return href, written
    return url + hash_ + fragment, None


def _render_fence(
    self: RendererHTML, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
) -> str:
    token = tokens[idx]
    info = unescapeAll(token.info).strip()
    return _code_region(token.content, info.split(maxsplit=1)[0] if info else "", env)


def _render_code_block(
    self: RendererHTML, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
) -> str:
    return _code_region(tokens[idx].content, "", env)


def _code_region(code: str, lang: str, env: EnvType) -> str:
    """A code block, highlighted when Pygments knows its language. A long line scrolls inside
    the block, not the page, so like a wide table (`_render_table_open`) the block is a
    labelled region that takes keyboard focus: a reader without a mouse can scroll it."""
    lexer = _lexer(lang) if lang else None
    label = _numbered(f"{lexer.name} code" if lexer is not None else "Code", env)
    opened = f'role="region" tabindex="0" aria-label="{escape(label)}"'
    kind = f' class="language-{escape(lang)}"' if lang else ""
    if lexer is None:
        return f"<pre {opened}><code{kind}>{escapeHtml(code)}</code></pre>\n"
    body = pygments_highlight(code, lexer, _formatter())
    return f'<pre class="highlight" {opened}><code{kind}>{body}</code></pre>\n'


@lru_cache(maxsize=64)
def _lexer(lang: str) -> Lexer | None:
    """The lexer for a fence's language, or None: found once per language, as the lookup
    scans Pygments' whole list of lexers (a lexer keeps no state between texts)."""
    try:
        return get_lexer_by_name(lang)
    except ClassNotFound:
        return None


@lru_cache(maxsize=1)
def _formatter() -> HtmlFormatter[str]:
    return HtmlFormatter(nowrap=True)


def _is_admonition(params: str, _markup: str) -> bool:
    """Whether a `:::` line opens an admonition: its first word is a kind we have (the test
    the plugin makes for a container of one name)."""
    return params.strip().split(" ", 2)[0] in ADMONITIONS


def _render_admonition(
    self: object, tokens: list[Token], idx: int, _opts: object, _env: object
) -> str:
    token = tokens[idx]
    if token.nesting == 1:
        kind = token.info.strip().split(maxsplit=1)[0]
        return (
            f'<aside class="admonition admonition-{kind}" aria-label="{ADMONITIONS[kind]}">\n'
            f'<p class="admonition-title">{ADMONITIONS[kind]}</p>\n'
        )
    return "</aside>\n"
