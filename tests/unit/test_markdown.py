from __future__ import annotations

import re

from spanvero_site.core.markdown import MarkdownRenderer, code_stylesheet, fill_figures, slugify
from spanvero_site.core.pages import FigureBlock


def render(body: str, allow_html: bool = False, base_path: str = "/"):
    urls = {"content/learn/lora.md": "/learn/lora/"}
    return MarkdownRenderer(allow_html=allow_html).render(
        body,
        source="content/learn/page.md",
        body_line=10,
        resolve_md=lambda _s, p: urls.get(p),
        base_path=base_path,
    )


def test_heading_ids_are_stable_and_unique() -> None:
    out = render("## Why? Cost!\n\n## Why? Cost!\n\n### Step `one`\n")
    assert [h.id for h in out.headings] == ["why-cost", "why-cost-1", "step-one"]
    assert '<h2 id="why-cost-1">' in out.html


def test_md_links_become_urls_with_their_lines() -> None:
    out = render("Intro\n\nSee [LoRA](lora.md#rank) and\n[gone](gone.md) [ext](https://x.org).\n")
    assert '<a href="/learn/lora/#rank">' in out.html
    assert [(link.href, link.line, link.md_path) for link in out.links] == [
        ("/learn/lora/#rank", 12, None),
        ("gone.md", 13, "content/learn/gone.md"),
    ]


def test_a_link_is_placed_at_the_line_and_column_it_was_written_on() -> None:
    """A body is wrapped at about 100 characters, so a code span, an image's alt text or a
    link's title often spans two lines; the line breaks inside them count as the ones between
    words do, and the column is the link's own, inside quotes, lists and tables too."""
    body = (
        "Para with `code\n"  # line 10
        "span` then [a](/a/) and [b](/b/).\n"
        "\n"
        "![an image with\n"
        "a long alt](/i.svg) then [c](/c/).\n"  # line 14
        "\n"
        '[d](/d/ "a title\n'
        'on two lines") [e](/e/)\n'
        "\n"
        "> quoted\n"  # line 19
        "> then [f](/f/)\n"
        "\n"
        "- item\n"
        "  with [g](/g/)\n"
        "\n"
        "| A | B |\n"  # line 25
        "|---|---|\n"
        "| x | [h](/h/) |\n"
    )
    assert [(link.href, link.line, link.col) for link in render(body).links] == [
        ("/a/", 11, 12),
        ("/b/", 11, 25),
        ("/i.svg", 13, 1),
        ("/c/", 14, 26),
        ("/d/", 16, 1),
        ("/e/", 17, 16),
        ("/f/", 20, 8),
        ("/g/", 23, 8),
        ("/h/", 27, 7),
    ]


def test_a_footnote_never_defined_is_placed_at_its_line() -> None:
    out = render("Para with `code\nspan` and a note.[^gone]\n")
    assert [(problem.line, problem.message[:21]) for problem in out.problems] == [
        (11, "footnote [^gone] is n")
    ]


def test_site_links_get_the_base_path_but_are_checked_as_site_urls() -> None:
    out = render("[Models](/models/)", base_path="/docs/")
    assert '<a href="/docs/models/">' in out.html
    assert out.links[0].href == "/models/"


def test_raw_html_is_escaped_unless_allowed() -> None:
    assert "&lt;script&gt;" in render("<script>x</script>").html
    assert "<b>x</b>" in render("<b>x</b>", allow_html=True).html


def test_tables_strikethrough_footnotes_admonitions_typographer() -> None:
    out = render(
        '| a |\n|---|\n| b |\n\n~~no~~ "q" --\n\nx[^1]\n\n[^1]: note\n\n::: warning\nCareful\n:::\n'
    )
    assert "<table>" in out.html and "<s>no</s>" in out.html
    assert "“q” –" in out.html
    assert 'class="footnotes"' in out.html
    assert '<aside class="admonition admonition-warning" aria-label="Warning">' in out.html


def test_code_is_highlighted_with_css_classes() -> None:
    out = render("```python\nx = 1\n```\n\n```nosuchlang\n<b>\n```\n")
    region = 'role="region" tabindex="0" aria-label="Python code"'
    assert f'<pre class="highlight" {region}><code class="language-python">' in out.html
    assert '<span class="n">x</span>' in out.html
    assert "&lt;b&gt;" in out.html
    assert out.has_code
    assert ".highlight" in code_stylesheet()


def test_every_code_block_is_a_named_region_the_keyboard_reaches() -> None:
    """A long line scrolls inside its block on a phone: a reader without a mouse must be able
    to focus the block to scroll it, and a screen reader names it; two blocks of one page that
    would share a name are numbered."""
    body = (
        "```python\na\n```\n\n```\nb <c>\n```\n\n```nosuchlang\nd\n```\n\n    e\n\n```py\nf\n```\n"
    )
    html = render(body).html
    assert re.findall(r"<pre[^>]*>", html) == [
        '<pre class="highlight" role="region" tabindex="0" aria-label="Python code">',
        '<pre role="region" tabindex="0" aria-label="Code">',
        '<pre role="region" tabindex="0" aria-label="Code (2)">',
        '<pre role="region" tabindex="0" aria-label="Code (3)">',
        '<pre class="highlight" role="region" tabindex="0" aria-label="Python code (2)">',
    ]
    assert "<code>b &lt;c&gt;\n</code>" in html and '<code class="language-nosuchlang">d' in html


def test_slugify() -> None:
    assert slugify("How much VRAM do I need?") == "how-much-vram-do-i-need"
    assert slugify("!!!") == "section"


def test_table_alignment_uses_classes_not_inline_styles() -> None:
    out = render("| a | b |\n|:---|---:|\n| 1 | 2 |\n")
    assert 'class="align-right"' in out.html and "style=" not in out.html


def test_a_figure_block_leaves_a_slot_and_its_text_and_line() -> None:
    body = "Intro.\n\n```figure\nchart: cost-vs-volume\nmodel: m\n```\n\nAfter.\n"
    rendered = MarkdownRenderer().render(
        body, source="content/learn/a.md", body_line=10, resolve_md=lambda *_: None
    )
    assert rendered.figures == (FigureBlock("chart: cost-vs-volume\nmodel: m\n", 12),)
    assert "<!--figure 0-->" in rendered.html and "cost-vs-volume" not in rendered.html
    assert not rendered.has_code  # a figure is not code: no code stylesheet
    assert fill_figures(rendered.html, ["<figure>drawn</figure>\n"]).count("drawn") == 1


def test_every_table_scrolls_in_its_own_labelled_focusable_box() -> None:
    """A wide table scrolls inside its box, never widening the page; the box takes keyboard
    focus and is named by its column heads, numbered when one body repeats them."""
    table = "| Size | **Cost** per `1M` | |\n|---|--:|--|\n| 1 | 2 | 3 |\n"
    out = render(table + "\nText.\n\n" + table + "\n| |\n|--|\n| x |\n").html
    box = '<div class="table-wrap" role="region" tabindex="0" aria-label="{}">\n<table>'
    assert out.count("<table>") == out.count("</table>\n</div>") == 3
    assert box.format("Table: Size, Cost per 1M") in out
    assert box.format("Table: Size, Cost per 1M (2)") in out
    assert box.format("Table") in out


def test_a_table_label_is_escaped() -> None:
    out = render('| a "b" <c> |\n|---|\n| 1 |\n').html
    assert 'aria-label="Table: a “b” &lt;c&gt;"' in out


def test_raw_html_that_would_show_as_text_is_noted_once_a_block_at_its_place() -> None:
    """With HTML off, a tag or comment in the text reaches the reader as written (W404); code,
    an escaped or entity-written `<`, an autolink and a comparison are meant as text."""
    body = (
        "Press <kbd>Enter</kbd> then <kbd>Tab</kbd>.\n\n"
        "Code `<b>`, escaped \\<b>, entity &lt;b&gt;, <https://example.org/> and 1 < 2 > 0.\n\n"
        '> quoted <span class="x">s</span>\n\n'
        "<!-- a note -->\n\n"
        "```html\n<b>fenced</b>\n```\n"
    )
    out = render(body)
    assert [(p.code, p.line, p.col, p.message.split(" would")[0]) for p in out.problems] == [
        ("W404", 10, 7, "raw HTML '<kbd>'"),
        ("W404", 14, 10, "raw HTML '<span class=\"x\">'"),
        ("W404", 16, 1, "the HTML comment '<!-- a note -->'"),
    ]
    assert "&lt;kbd&gt;" in out.html
    assert render(body, allow_html=True).problems == ()


def test_what_a_screen_reader_cannot_use_is_noted_at_its_place() -> None:
    """An image without alt text, a link without text or address, a heading that skips a level
    (W405); an image with alt text inside a link gives that link its text, and a body may open
    at any level, as its template decides what stands above it."""
    body = (
        "#### Opening at level 4 is the template's business\n\n"
        "A ![](/a.png) and ![Cost chart](/b.png) in [](/learn/lora/) and [x]().\n\n"
        "[![Cost chart](/b.png)](/learn/lora/) and [text **bold**](/learn/lora/)\n\n"
        "## Two\n\n### Three\n\n##### Five\n\n## Two again\n"
    )
    out = render(body)
    assert [(p.code, p.line, p.col, p.message.split(":")[0]) for p in out.problems] == [
        ("W405", 12, 3, "image '/a.png' has no alt text"),
        ("W405", 12, 44, "link with no text"),
        ("W405", 12, 65, "link with no address"),
        ("W405", 20, 1, "this heading skips from level 3 to level 5"),
    ]
