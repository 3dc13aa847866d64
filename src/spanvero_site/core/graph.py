"""The page graph: URLs, related links, backlinks, tags and prev/next of the Markdown pages.

Pages refer to each other by id, never by object, so the graph stays plain data that any stage
(and any worker process) can read.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from spanvero_site.core.diagnostics import Diagnostics, did_you_mean
from spanvero_site.core.pages import Link, Page, Target, Unusable


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

    def resolve_md(self, _source: str, content_path: str) -> str | None:
        """The URL of the page whose source is `content_path` (for `.md` links in bodies)."""
        return self.md_urls.get(content_path)


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
    so one broken file does not bury its own diagnostic under everyone else's.
    """
    unusable = tuple(unusable)
    by_id = {page.id: page for page in pages}
    explainers = tuple(
        page.id
        for page in sorted(
            (p for p in by_id.values() if p.kind == "explainer"),
            key=lambda p: (p.weight, p.title.casefold(), p.id),
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

    skip = {u.id for u in unusable}
    related = {
        page_id: _resolve_related(by_id[page_id], targets, skip, diags) for page_id in explainers
    }
    prev_next = {
        page_id: (
            explainers[i - 1] if i > 0 else None,
            explainers[i + 1] if i + 1 < len(explainers) else None,
        )
        for i, page_id in enumerate(explainers)
    }
    return PageGraph(
        pages=by_id,
        explainers=explainers,
        targets=targets,
        related=related,
        tags={tag: tuple(ids) for tag, ids in sorted(tags.items())},
        prev_next=prev_next,
        md_urls={
            **{u.source: u.url for u in unusable},
            **{page.source: page.url for page in by_id.values()},
        },
        unusable=unusable,
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


def _resolve_related(
    page: Page, targets: Mapping[str, Target], skip: set[str], diags: Diagnostics
) -> tuple[Target, ...]:
    resolved = []
    listed: set[str] = set()
    for index, ref in enumerate(page.related):
        if ref in listed:
            line, col = page.line_of("related", index)
            diags.warning(
                "W304",
                f"'{ref}' is listed twice in related",
                page.source,
                line,
                col,
                "remove the repeat",
            )
            continue
        listed.add(ref)
        target = targets.get(ref)
        if target is None and ref in skip:
            continue
        if target is None:
            line, col = page.line_of("related", index)
            hint = did_you_mean(ref, targets) or (
                "use an explainer's slug, 'models/<id>', 'models', 'calculator' or 'learn'"
            )
            diags.error("E302", f"unknown related id '{ref}'", page.source, line, col, hint)
        elif target.id == page.id:
            line, col = page.line_of("related", index)
            diags.warning(
                "W303", "a page lists itself as related", page.source, line, col, "remove it"
            )
        else:
            resolved.append(target)
    return tuple(resolved)
