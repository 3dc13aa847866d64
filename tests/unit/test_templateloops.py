"""Template loops are found from the names templates give as text, and only where every render
would go round them."""

from __future__ import annotations

import jinja2

from spanvero_site.core.templateloops import Loop, TemplateLoops, parser


def _loops(templates: dict[str, str]) -> TemplateLoops:
    return TemplateLoops(parser(jinja2.Environment(loader=jinja2.DictLoader(templates))))


def test_a_loop_is_said_from_its_least_name_at_the_line_that_refers_on() -> None:
    loops = _loops(
        {
            "page.html": '{% extends "base.html" %}',
            "base.html": 'head\n{% include "b.html" %}',
            "b.html": '{% import "c.html" as c %}',
            "c.html": '\n\n{% from "b.html" import x %}',
        }
    )
    expected = Loop(("b.html", "c.html"), 1)
    assert loops.reached_from("page.html") == expected
    assert loops.reached_from("c.html") == expected  # the same loop from wherever it is met
    assert expected.describe() == "b.html → c.html → b.html"


def test_a_template_that_extends_itself_is_a_loop() -> None:
    assert _loops({"base.html": 'x\n{% extends "base.html" %}'}).reached_from("base.html") == Loop(
        ("base.html",), 2
    )


def test_an_include_that_may_stop_is_no_loop() -> None:
    """A tree drawn by a partial that includes itself for each child stops at the leaves; one
    under an if, or in a macro never called, may stop too: the render judges those."""
    loops = _loops(
        {
            "tree.html": '{% for child in node.children %}{% include "tree.html" %}{% endfor %}',
            "maybe.html": '{% if deeper %}{% include "maybe.html" %}{% endif %}',
            "macro.html": '{% macro m() %}{% include "macro.html" %}{% endmacro %}',
            "computed.html": "{% include name %}",
        }
    )
    for name in ("tree.html", "maybe.html", "macro.html", "computed.html"):
        assert loops.reached_from(name) is None, name


def test_a_list_include_follows_the_first_template_that_exists() -> None:
    loops = _loops(
        {
            "a.html": '{% include ["missing.html", "b.html", "a.html"] %}',
            "b.html": "leaf",
            "c.html": '{% include ["missing.html", "c.html"] %}',
            "broken.html": '{% include "broken.html" %}{% if %}',
        }
    )
    assert loops.reached_from("a.html") is None
    assert loops.reached_from("c.html") == Loop(("c.html",), 1)
    assert loops.reached_from("broken.html") is None  # its syntax error is reported instead
