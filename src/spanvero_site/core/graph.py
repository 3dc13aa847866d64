"""The page graph: URLs, related links, backlinks, tags and prev/next of the Markdown pages.

Pages refer to each other by id, never by object, so the graph stays plain data that any stage
(and any worker process) can read.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace

from spanvero_site.core.diagnostics import Diagnostics
from spanvero_site.core.pages import Link, Page, Target, Unusable
from spanvero_site.core.refs import Known


@dataclass(frozen=True)
class PageGraph:
    """Every page and every link between them, resolved once for the whole site."""

    pages: Mapping[str, Page]
    explainers: tuple[str, ...]
    targets: Mapping[str, Target]
    related: Mapping[str, tuple[Target, ...]]
    tags: Mapping[str, tuple[str, ...]]
    prev_next: Mapping[str, tuple[str | None, str | None]]
    md_urls: Mapping[str, str]
    unusable: tuple[Unusable, ...] = ()
    renamed: Mapping[str, str] = field(default_factory=dict)  # old id to id (`renamed`)

    def resolve_md(self, _source: str, content_path: str) -> str | None:
        """The URL of the page whose source is `content_path` (for `.md` links in bodies)."""
        return self.md_urls.get(content_path)

    def known_explainers(self) -> Known:
        """The explainer slugs a reference may name, with those left out of this build (failed
        to load, or drafts), for sections that name explainers (the advisor, site.yaml)."""
        left_out = [u for u in self.unusable if u.url == f"/learn/{u.id}/"]
        return Known.of(self.explainers, left_out, renamed=self.renamed)


def renamed(pages: Iterable[Page]) -> dict[str, str]:
    """The old ids of renamed pages, each to the page's id: an alias shaped like the page's
    URL ('/learn/old-name/' of '/learn/new-name/') keeps the id it had."""
    old_ids = {}
    for page in pages:
        folder = page.url.removesuffix(f"{page.id}/")
        if folder == page.url:
            continue  # its URL is not made of its id (the home page)
        for alias in page.aliases:
            old = alias.removeprefix(folder).removesuffix("/")
            if alias.startswith(folder) and old and "/" not in old:
                old_ids[old] = page.id
    return old_ids


def tag_url(tag: str) -> str:
    """Where a tag's page lives."""
    return f"/learn/tags/{tag}/"


def build_graph(
    pages: Iterable[Page],
    diags: Diagnostics,
    extra_targets: Iterable[Target] = (),
    unusable: Iterable[Unusable] = (),
) -> PageGraph:
    """Resolve URLs, `related:` ids, tags and ordering; report unknown ids.

    References to `unusable` sources (present but broken, already reported) are let through,
    so one broken file does not bury its own diagnostic under everyone else's; a reference to
    a draft left out of the build says that it is one.
    """
    unusable = tuple(unusable)
    by_id = {page.id: page for page in pages}
    explainers = tuple(
        page.id
        for page in sorted(
            (p for p in by_id.values() if p.kind == "explainer"),
            key=_sort_key,
        )
    )
    tags: dict[str, list[str]] = {}
    for page_id in explainers:
        for tag in by_id[page_id].tags:
            tags.setdefault(tag, []).append(page_id)

    targets: dict[str, Target] = {
        "learn": Target("learn", "All explainers", "All explainers", "/learn/"),
    }
    for target in extra_targets:
        targets[target.id] = target
    for page in by_id.values():
        targets[page.id] = Target(page.id, page.title, page.short_title, page.url)

    old_ids = renamed(by_id.values())
    known = Known.of(targets, unusable, renamed=old_ids)
    related = {
        page_id: _resolve_related(by_id[page_id], targets, known, diags) for page_id in explainers
    }
    prev_next = _prev_next(explainers)
    return PageGraph(
        pages=by_id,
        explainers=explainers,
        targets=targets,
        related=related,
        tags={tag: tuple(ids) for tag, ids in sorted(tags.items())},
        prev_next=prev_next,
        md_urls={
            **{u.source: u.url for u in unusable if not u.draft},
            **{page.source: page.url for page in by_id.values()},
        },
        unusable=unusable,
        renamed=old_ids,
    )


def replace_page(graph: PageGraph, page: Page, diags: Diagnostics) -> PageGraph:
    """The graph after one page's front-matter changed (same id, kind, source and URL).

    Equal to `build_graph` over the pages with this one replaced; only the entries that can
    show the page are made anew (its target, its `related:`, the lists that hold its target,
    the order if its sort key moved, its tags' lists), the rest are the very same objects.
    Reports the page's own `related:` problems (those of other pages cannot change).
    """
    old = graph.pages[page.id]
    if (page.id, page.kind, page.source, page.url) != (old.id, old.kind, old.source, old.url):
        raise ValueError(f"replace_page cannot move or rename {old.source}")
    pages = {**graph.pages, page.id: page}
    target = Target(page.id, page.title, page.short_title, page.url)
    targets = {**graph.targets, page.id: target}
    explainers, prev_next = graph.explainers, graph.prev_next
    if page.kind == "explainer" and _sort_key(page) != _sort_key(old):
        # the others keep their order (sort keys are unique): take the page out, put it back
        rest = [pid for pid in explainers if pid != page.id]
        at = bisect.bisect_left(rest, _sort_key(page), key=lambda pid: _sort_key(pages[pid]))
        explainers = (*rest[:at], page.id, *rest[at:])
        moved = {page.id, *graph.prev_next[page.id], *_neighbours(explainers, at)}
        prev_next = {**graph.prev_next}
        for pid in moved:
            if pid is not None:
                prev_next[pid] = _neighbours(explainers, explainers.index(pid))
    related = dict(graph.related)
    if target != graph.targets[page.id]:
        for pid, listed in related.items():
            if page.id in pages[pid].related:  # resolved to the page's target, if at all
                related[pid] = tuple(target if t.id == page.id else t for t in listed)
    old_ids = renamed(pages.values()) if page.aliases != old.aliases else graph.renamed
    if page.kind == "explainer":
        known = Known.of(targets, graph.unusable, renamed=old_ids)
        related[page.id] = _resolve_related(page, targets, known, diags)
    tags = dict(graph.tags)
    if explainers is not graph.explainers or page.tags != old.tags:
        order = {pid: i for i, pid in enumerate(explainers)}
        for tag in {*old.tags, *page.tags}:
            ids = [pid for pid in tags.get(tag, ()) if pid != page.id]
            ids += [page.id] if tag in page.tags else []
            ids.sort(key=order.__getitem__)
            if ids:
                tags[tag] = tuple(ids)
            else:
                tags.pop(tag, None)
        tags = dict(sorted(tags.items()))
    return replace(
        graph,
        pages=pages,
        explainers=explainers,
        targets=targets,
        related=related,
        tags=tags,
        prev_next=prev_next,
        renamed=old_ids,
    )


def _sort_key(page: Page) -> tuple[int, str, str]:
    """Where an explainer stands in the site's order (lists, prev/next)."""
    return (page.weight, page.title.casefold(), page.id)


def _prev_next(explainers: tuple[str, ...]) -> dict[str, tuple[str | None, str | None]]:
    return {page_id: _neighbours(explainers, i) for i, page_id in enumerate(explainers)}


def _neighbours(explainers: tuple[str, ...], i: int) -> tuple[str | None, str | None]:
    """The explainers before and after the one at index `i`."""
    return (
        explainers[i - 1] if i > 0 else None,
        explainers[i + 1] if i + 1 < len(explainers) else None,
    )


def backlinks(
    graph: PageGraph, body_links: Mapping[str, tuple[Link, ...]]
) -> dict[str, tuple[Target, ...]]:
    """For each explainer, the other explainers that link to it (in `related:` or the body)."""
    url_to_id = {graph.pages[pid].url: pid for pid in graph.explainers}
    incoming: dict[str, set[str]] = {pid: set() for pid in graph.explainers}
    for source_id in graph.explainers:
        linked = {t.url for t in graph.related[source_id]}
        linked.update(link.href.split("#", 1)[0] for link in body_links.get(source_id, ()))
        for url in linked:
            target_id = url_to_id.get(url)
            if target_id is not None and target_id != source_id:
                incoming[target_id].add(source_id)
    order = {pid: i for i, pid in enumerate(graph.explainers)}
    return {
        pid: tuple(graph.targets[s] for s in sorted(sources, key=order.__getitem__))
        for pid, sources in incoming.items()
    }


def relink(
    before: PageGraph,
    graph: PageGraph,
    backlinks_before: Mapping[str, tuple[Target, ...]],
    page_id: str,
    hrefs_before: Iterable[str],
    hrefs: Iterable[str],
) -> dict[str, tuple[Target, ...]]:
    """`backlinks` after one explainer changed (`replace_page`), from those of the graph before.

    Equal to `backlinks(graph, ...)` when only this page's front-matter and body links changed:
    only the explainers it links to, before or now, get a new list (it joins or leaves it, or
    its title or place in the order moved); every other list is the very same tuple.
    """
    url_to_id = {graph.pages[pid].url: pid for pid in graph.explainers}
    old = _linked(before, page_id, hrefs_before, url_to_id)
    new = _linked(graph, page_id, hrefs, url_to_id)
    result = dict(backlinks_before)
    order = {pid: i for i, pid in enumerate(graph.explainers)}
    for target_id in old | new:
        sources = {t.id for t in result.get(target_id, ())} - {page_id}
        if target_id in new:
            sources.add(page_id)
        result[target_id] = tuple(graph.targets[s] for s in sorted(sources, key=order.__getitem__))
    return result


def _linked(
    graph: PageGraph, source_id: str, hrefs: Iterable[str], url_to_id: Mapping[str, str]
) -> set[str]:
    """The other explainers one explainer links to, in `related:` or its body."""
    if source_id not in graph.related:
        return set()
    urls = {t.url for t in graph.related[source_id]}
    urls.update(href.split("#", 1)[0] for href in hrefs)
    return {url_to_id[u] for u in urls if u in url_to_id and url_to_id[u] != source_id}


def _resolve_related(
    page: Page, targets: Mapping[str, Target], known: Known, diags: Diagnostics
) -> tuple[Target, ...]:
    resolved = []
    for index, ref in enumerate(page.related):  # without repeats: the loader drops them (W304)
        target = targets.get(ref)
        if target is None:
            missing = known.missing(
                ref,
                f"unknown related id '{ref}'",
                "use an explainer's slug, 'models/<id>', 'models', 'calculator' or 'learn'",
            )
            if missing is not None:
                line, col = page.line_of("related", index)
                missing.report(diags, "E302", page.source, line, col)
        elif target.id == page.id:
            line, col = page.line_of("related", index)
            diags.warning(
                "W303", "a page lists itself as related", page.source, line, col, "remove it"
            )
        else:
            resolved.append(target)
    return tuple(resolved)
