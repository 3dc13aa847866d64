"""The explainers' own files: their Atom feed and their sitemap entries."""

from __future__ import annotations

import datetime as dt

from spanvero_site.core.config import SiteConfig
from spanvero_site.core.formatting import xml_attr as attr
from spanvero_site.core.formatting import xml_text
from spanvero_site.core.graph import PageGraph, tag_url
from spanvero_site.core.pages import Page
from spanvero_site.sections.publishing.outputs import absolute

FEED_ENTRIES = 20
EXPLAINER_FEED = "/feed.xml"


def changed_on(page: Page) -> dt.date:
    """When an explainer last changed: its `updated` date, else its `date` (always there: the
    loader requires it of explainers, which are the only pages these files list)."""
    changed = page.updated or page.date
    if changed is None:
        raise ValueError(f"explainer {page.source} has no date")
    return changed


def explainer_sitemap(graph: PageGraph) -> list[tuple[str, dt.date | None]]:
    """The explainer side of the sitemap: home, /learn/, tags and explainers, dated by content.

    Drafts (in a build with --drafts) are previews: neither they nor a tag only they use are
    listed.
    """
    explainers = [graph.pages[pid] for pid in graph.explainers if not graph.pages[pid].draft]
    published = {page.id for page in explainers}
    newest = max((changed_on(p) for p in explainers), default=None)
    return [
        ("/", newest),
        ("/learn/", newest),
        ("/learn/tags/", newest),
        *(
            (tag_url(tag), max(changed_on(graph.pages[pid]) for pid in ids if pid in published))
            for tag, ids in graph.tags.items()
            if published.intersection(ids)
        ),
        *((page.url, changed_on(page)) for page in explainers),
    ]


def _timestamp(day: dt.date) -> str:
    return f"{day.isoformat()}T00:00:00Z"


def atom_feed(graph: PageGraph, config: SiteConfig) -> str:
    """An Atom (RFC 4287) feed of the newest explainers; ids are their URLs, so they never move."""
    pages = sorted(
        (graph.pages[pid] for pid in graph.explainers if not graph.pages[pid].draft),
        key=lambda p: (changed_on(p), p.id),
        reverse=True,
    )[:FEED_ENTRIES]
    updated = max((changed_on(p) for p in pages), default=dt.date(1970, 1, 1))
    feed_url = absolute(config, EXPLAINER_FEED)
    lines = [
        '<?xml version="1.0" encoding="utf-8"?>',
        f'<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="{attr(config.language)}">',
        f"<title>{xml_text(config.title)}: explainers</title>",
        f"<subtitle>{xml_text(config.description)}</subtitle>",
        f"<id>{xml_text(feed_url)}</id>",
        f'<link rel="self" type="application/atom+xml" href="{attr(feed_url)}"/>',
        f'<link rel="alternate" type="text/html" href="{attr(absolute(config, "/learn/"))}"/>',
        f"<updated>{_timestamp(updated)}</updated>",
        f"<author><name>{xml_text(config.title)}</name><uri>{xml_text(config.base_url)}</uri></author>",
    ]
    for page in pages:
        url = absolute(config, page.url)
        lines += [
            "<entry>",
            f"<title>{xml_text(page.title)}</title>",
            f"<id>{xml_text(url)}</id>",
            f'<link rel="alternate" type="text/html" href="{attr(url)}"/>',
            f"<published>{_timestamp(page.date)}</published>" if page.date else "",
            f"<updated>{_timestamp(changed_on(page))}</updated>",
            f"<summary>{xml_text(page.answer)}</summary>",
            *(f'<category term="{attr(tag)}"/>' for tag in page.tags),
            "</entry>",
        ]
    lines.append("</feed>")
    return "\n".join(line for line in lines if line) + "\n"
