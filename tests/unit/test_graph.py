from __future__ import annotations

import datetime as dt

from spanvero_site.core.diagnostics import Diagnostics
from spanvero_site.core.graph import backlinks, build_graph
from spanvero_site.core.pages import Link, Page, Unusable


def page(pid: str, title: str, weight: int = 0, body: str = "Text.", **kw) -> Page:
    return Page(
        id=pid,
        kind="explainer",
        source=f"content/learn/{pid}.md",
        url=f"/learn/{pid}/",
        title=title,
        short_title=title,
        answer="A.",
        body=body,
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
    assert diags.error_count == 0 and diags.warnings == []
    [note] = diags.items  # named in the hint of broken.md's own error
    assert (note.path, note.message) == ("content/learn/a.md", "'broken'")
    assert note.hint == "content/learn/broken.md"
    assert graph.resolve_md("x", "content/learn/broken.md") == "/learn/broken/"


def test_replacing_one_page_equals_building_the_graph_again() -> None:
    """replace_page and relink give what build_graph and backlinks give from scratch, for
    every kind of front-matter edit, and keep the entries that cannot show the page."""
    import random
    from dataclasses import replace

    from spanvero_site.core.graph import relink, replace_page

    rng = random.Random(7)
    ids = [f"p{i}" for i in range(12)]
    tags = ["a", "b", "c", "d"]

    def links(pid: str) -> tuple[Link, ...]:
        return tuple(Link(f"/learn/{t}/#x", 3) for t in rng.sample(ids, 2) if t != pid)

    pages = [
        page(
            pid,
            f"Title {rng.randint(0, 30)}",
            weight=rng.choice([0, 0, 1]),
            tags=tuple(rng.sample(tags, rng.randint(0, 2))),
            related=tuple(rng.sample(ids, 2)),
        )
        for pid in ids
    ]
    body_links = {p.id: links(p.id) for p in pages}
    graph = build_graph(pages, Diagnostics())
    incoming = backlinks(graph, body_links)
    for _ in range(60):
        old = graph.pages[rng.choice(ids)]
        new = replace(
            old,
            title=rng.choice([old.title, f"Title {rng.randint(0, 30)}", "aaa", "zzz"]),
            short_title=rng.choice([old.short_title, "Short"]),
            weight=rng.choice([old.weight, 0, 2]),
            # a page's lists hold no repeats: the loader drops them (W304)
            tags=tuple(dict.fromkeys(rng.choices(tags, k=rng.randint(0, 3)))),
            related=tuple(dict.fromkeys(rng.choices([*ids, "nope"], k=rng.randint(0, 3)))),
        )
        new_links = links(new.id) if rng.random() < 0.3 else body_links[new.id]
        fresh_diags, diags = Diagnostics(), Diagnostics()
        others = [new if p.id == new.id else p for p in graph.pages.values()]
        fresh = build_graph(others, fresh_diags)
        updated = replace_page(graph, new, diags)
        assert updated == fresh
        assert list(updated.tags) == list(fresh.tags)
        assert diags.items == [d for d in fresh_diags.items if d.path == new.source]
        body_links_after = {**body_links, new.id: new_links}
        hrefs = [link.href for link in body_links[new.id]], [link.href for link in new_links]
        relinked = relink(graph, updated, incoming, new.id, *hrefs)
        assert relinked == backlinks(fresh, body_links_after)
        untouched = [pid for pid in ids if all(t.id != new.id for t in graph.related[pid])]
        assert all(updated.related[pid] is graph.related[pid] for pid in untouched if pid != new.id)
        graph, incoming, body_links = updated, relinked, body_links_after


def test_an_alias_shaped_like_the_page_url_keeps_the_old_id() -> None:
    from spanvero_site.core.graph import renamed

    moved = page("new", "New", aliases=("/learn/old/", "/learn/a/b/", "/guides/old2/"))
    assert renamed([moved]) == {"old": "new"}
