from __future__ import annotations

import datetime as dt

from spanvero_site.core.diagnostics import Diagnostics
from spanvero_site.core.graph import backlinks, build_graph
from spanvero_site.core.pages import Link, Page, Unusable


def page(pid: str, title: str, weight: int = 0, **kw) -> Page:
    return Page(
        id=pid,
        kind="explainer",
        source=f"content/learn/{pid}.md",
        url=f"/learn/{pid}/",
        title=title,
        short_title=title,
        answer="A.",
        body="",
        body_line=5,
        date=dt.date(2026, 11, 1),
        weight=weight,
        **kw,
    )


def test_related_resolve_and_prev_next_follow_weight_then_title() -> None:
    diags = Diagnostics()
    graph = build_graph(
        [page("b", "Beta", related=("a",)), page("a", "Alpha", weight=1), page("c", "Gamma")],
        diags,
    )
    assert diags.items == []
    assert graph.explainers == ("b", "c", "a")
    assert graph.prev_next["c"] == ("b", "a")
    assert [t.url for t in graph.related["b"]] == ["/learn/a/"]


def test_tags_collect_pages() -> None:
    graph = build_graph(
        [page("a", "A", tags=("x",)), page("b", "B", tags=("x", "y"))], Diagnostics()
    )
    assert graph.tags == {"x": ("a", "b"), "y": ("b",)}


def test_backlinks_come_from_related_and_body_links() -> None:
    graph = build_graph(
        [page("a", "A", related=("b",)), page("b", "B"), page("c", "C")], Diagnostics()
    )
    incoming = backlinks(graph, {"c": (Link("/learn/b/#x", 3),)})
    assert [t.id for t in incoming["b"]] == ["a", "c"]
    assert incoming["a"] == ()


def test_references_to_unusable_sources_are_not_reported_twice() -> None:
    diags = Diagnostics()
    graph = build_graph(
        [page("a", "A", related=("broken",))],
        diags,
        unusable=[Unusable("broken", "/learn/broken/", "content/learn/broken.md")],
    )
    assert diags.items == []
    assert graph.resolve_md("x", "content/learn/broken.md") == "/learn/broken/"
