"""Editorial warnings judge what the editor wrote: a `related:` id that is already an error
(E302) adds no warning that only follows from it."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from spanvero_site.core.config import Checks
from spanvero_site.core.diagnostics import Diagnostics, shown
from spanvero_site.core.graph import backlinks, build_graph
from spanvero_site.core.pages import Page, Unusable
from spanvero_site.sections.learn.editorial import check_body, check_explainers
from tests.unit.test_graph import page


def _report(pages: list[Page], failed: tuple[Unusable, ...] = ()) -> list[str]:
    diags = Diagnostics()
    graph = build_graph(pages, diags, unusable=failed)
    check_explainers(graph, backlinks(graph, {}), Checks(min_related=2), diags)
    return [f"{d.path} {d.code} {d.message}" for d in shown(diags.items)]


def test_a_misspelled_related_id_is_one_error_not_also_a_thin_list_or_an_orphan() -> None:
    """'b' lists two pages, one misspelled: fixing the spelling gives two related pages and
    links 'c', so neither W603 ('only 1 related page') nor W604 ('c' an orphan) is said."""
    pages = [
        page("a", "A", related=("b", "d"), tags=("t",)),
        page("b", "B", related=("a", "cc"), tags=("t",)),
        page("c", "C", related=("a", "b"), tags=("t",)),
        page("d", "D", related=("a", "b"), tags=("t",)),
    ]
    assert _report(pages) == ["content/learn/b.md E302 unknown related id 'cc'"]


def test_orphans_wait_on_a_misspelled_related_id_and_its_error_says_so() -> None:
    """'cc' may be meant for 'c', which looks an orphan until it is fixed: W604 is not judged
    on any page, and the error at the misspelled id says so (it was skipped without a word)."""
    pages = [
        page("a", "A", related=("b", "d"), tags=("t",)),
        page("b", "B", related=("a", "cc"), tags=("t",)),
        page("c", "C", related=("a", "b"), tags=("t",)),
        page("d", "D", related=("a", "b"), tags=("t",)),
    ]
    diags = Diagnostics()
    graph = build_graph(pages, diags)
    check_explainers(graph, backlinks(graph, {}), Checks(min_related=2), diags)
    (error,) = shown(diags.items)
    assert (error.path, error.code, error.hint) == (
        "content/learn/b.md",
        "E302",
        "did you mean 'c'?; orphans (W604) are not checked on any page until this file lists "
        "only ids that exist in related: (an unknown id may be meant for a page that looks an "
        "orphan)",
    )


def test_an_id_left_out_of_the_build_does_not_hold_back_the_orphans() -> None:
    """A draft, or a model whose file failed, is the page its id names, never one that looks
    an orphan: 'c' is judged one."""
    pages = [
        page("a", "A", related=("b", "draft"), tags=("t",)),
        page("b", "B", related=("a", "models/m"), tags=("t",)),
        page("c", "C", related=("a", "b"), tags=("t",)),
    ]
    left_out = (
        Unusable("draft", "/learn/draft/", "content/learn/draft.md", draft=True),
        Unusable("models/m", "/models/m/", "content/models/m.yaml"),
    )
    assert _report(pages, left_out) == [
        "content/learn/a.md E302 'draft' is a draft (draft: true in content/learn/draft.md)",
        "content/learn/c.md W604 no other explainer links to this page (orphan)",
    ]


def test_a_list_thin_even_once_fixed_is_still_reported_with_the_ids_written() -> None:
    pages = [
        page("a", "A", related=("b", "a"), tags=("t",)),
        page("b", "B", related=("a", "c"), tags=("t",)),
        page("c", "C", related=("a", "b"), tags=("t",)),
    ]
    assert _report(pages) == [
        "content/learn/a.md W303 a page lists itself as related",
        "content/learn/a.md W603 only 1 related page, fewer than 2",
    ]


LONE_TAGS = [
    page("a", "A", related=("b", "c"), tags=("t",)),
    page("b", "B", related=("a", "c"), tags=("u",)),
    page("c", "C", related=("a", "b"), tags=("v",)),
]


def test_orphans_and_lone_tags_wait_on_an_explainer_that_failed_and_say_so() -> None:
    """The failed page may be the one that shares a tag: W605 is not judged, and the failed
    file's error says so (it has one: the loader reported why it failed)."""
    failed = Unusable("d", "/learn/d/", "content/learn/d.md")
    diags = Diagnostics()
    diags.error("E202", "malformed YAML", "content/learn/d.md", 2, 1, "check indentation")
    graph = build_graph(LONE_TAGS, diags, unusable=(failed,))
    check_explainers(graph, backlinks(graph, {}), Checks(min_related=2), diags)
    (error,) = shown(diags.items)
    assert error.hint == (
        "check indentation; orphans (W604) and tags used by one page only (W605) are not "
        "checked on any page until this file loads"
    )


def test_a_failed_model_does_not_hold_back_orphans_and_lone_tags() -> None:
    """Only explainers link to explainers and carry tags: a model file that failed cannot
    change what W604 and W605 find."""
    failed = Unusable("models/m", "/models/m/", "content/models/m.yaml")
    assert [line.split(" ", 2)[1] for line in _report(LONE_TAGS, (failed,))] == ["W605"] * 3


def test_a_published_explainer_with_no_body_is_named_and_a_draft_is_not() -> None:
    """A page of a title and one sentence reads as broken: W606 at the body's first line, for
    a body of blank lines too; a draft is still being written, so it is not judged."""
    pages = [
        page("a", "A", related=("b", "c"), tags=("t",), body="\n  \n"),
        page("b", "B", related=("a", "c"), tags=("t",)),
        page("c", "C", related=("a", "b"), tags=("t",), body="", draft=True),
    ]
    diags = Diagnostics()
    for each in pages:
        check_body(each, diags)
    found = [(d.path, d.code, d.line) for d in shown(diags.items)]
    assert found == [("content/learn/a.md", "W606", 5)]


def test_a_question_asked_twice_is_said_on_each_later_page_naming_the_first() -> None:
    """Case, punctuation and Unicode width aside, one question is one page: every page that
    asks it after the earliest (by date, then file) is told which file asks it already."""
    ring = ("a", "b", "c", "d")
    pages = [
        replace(page(pid, title, related=tuple(r for r in ring if r != pid), tags=("t",)), date=d)
        for pid, title, d in [
            ("a", "What is a GPU-hour?", dt.date(2026, 11, 3)),
            ("b", "what is a GPU hour", dt.date(2026, 11, 1)),
            ("c", "ＷＨＡＴ is a gpu—hour…", dt.date(2026, 11, 3)),
            ("d", "What is a GPU-hour worth?", dt.date(2026, 11, 1)),
        ]
    ]
    assert _report(pages) == [
        "content/learn/a.md W607 content/learn/b.md:1 already asks this question: "
        "'what is a GPU hour'",
        "content/learn/c.md W607 content/learn/b.md:1 already asks this question: "
        "'what is a GPU hour'",
    ]
