"""Editorial warnings judge what the editor wrote: a `related:` id that is already an error
(E302) adds no warning that only follows from it."""

from __future__ import annotations

from spanvero_site.core.config import Checks
from spanvero_site.core.diagnostics import Diagnostics
from spanvero_site.core.graph import backlinks, build_graph
from spanvero_site.core.pages import Page
from spanvero_site.sections.learn.editorial import check_explainers
from tests.unit.test_graph import page


def _report(pages: list[Page]) -> list[str]:
    diags = Diagnostics()
    graph = build_graph(pages, diags)
    check_explainers(graph, backlinks(graph, {}), Checks(min_related=2), diags)
    return [f"{d.path} {d.code} {d.message}" for d in diags.items]


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
