"""What a published site needs besides pages: sitemap, Atom feed, robots.txt, _redirects.

All are plain text made from the page graph and the catalog, with absolute URLs from base_url,
so a site served from a sub-path (--base-url https://example.org/docs/) gets them right too.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from xml.sax.saxutils import escape

from spanvero_site.core.config import SiteConfig
from spanvero_site.core.graph import PageGraph, tag_url
from spanvero_site.core.pages import Output, Page
from spanvero_site.data.catalog import Catalog

FEED_ENTRIES = 20
SITEMAP = "/sitemap.xml"
FEED = "/feed.xml"
ROBOTS = "/robots.txt"
REDIRECTS = "/_redirects"
ROUTES = (SITEMAP, FEED, ROBOTS, REDIRECTS)


def absolute(config: SiteConfig, url: str) -> str:
    """A site URL ('/learn/lora/') as a full URL under base_url."""
    return config.base_url.rstrip("/") + url


def changed_on(page: Page) -> dt.date | None:
    """When an explainer last changed: its `updated` date, else its `date`."""
    return page.updated or page.date


def publishing_outputs(
    graph: PageGraph,
    catalog: Catalog,
    config: SiteConfig,
    more_pages: Iterable[tuple[str, dt.date | None]] = (),
) -> list[Output]:
    """sitemap.xml, feed.xml, robots.txt and _redirects for the whole site.

    `more_pages` are further (URL, last changed) pairs for the sitemap, e.g. the price index.
    """
    return [
        Output("sitemap.xml", sitemap(graph, catalog, config, more_pages).encode()),
        Output("feed.xml", atom_feed(graph, config).encode()),
        Output("robots.txt", robots(config).encode()),
        Output("_redirects", redirects(graph, config).encode()),
    ]


def sitemap(
    graph: PageGraph,
    catalog: Catalog,
    config: SiteConfig,
    more_pages: Iterable[tuple[str, dt.date | None]] = (),
) -> str:
    """Every public page, with lastmod where the content says when it changed."""
    explainers = [graph.pages[pid] for pid in graph.explainers]
    newest = max((changed_on(p) for p in explainers if changed_on(p)), default=None)
    entries: list[tuple[str, dt.date | None]] = [
        ("/", newest),
        ("/learn/", newest),
        ("/learn/tags/", newest),
        *(
            (tag_url(tag), max(changed_on(graph.pages[pid]) for pid in ids))
            for tag, ids in graph.tags.items()
        ),
        *((page.url, changed_on(page)) for page in explainers),
        ("/models/", max((m.as_of for m in catalog.models.values()), default=None)),
        *((m.url, m.as_of) for m in catalog.models.values()),
    ]
    if "calculator" in graph.pages:
        entries.append(("/calculator/", None))
    entries += more_pages
    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">',
    ]
    for url, lastmod in sorted(entries):
        lines.append(
            f"<url><loc>{escape(absolute(config, url))}</loc>"
            + (f"<lastmod>{lastmod.isoformat()}</lastmod>" if lastmod else "")
            + "</url>"
        )
    lines.append("</urlset>")
    return "\n".join(lines) + "\n"


def _timestamp(day: dt.date) -> str:
    return f"{day.isoformat()}T00:00:00Z"


def atom_feed(graph: PageGraph, config: SiteConfig) -> str:
    """An Atom (RFC 4287) feed of the newest explainers; ids are their URLs, so they never move."""
    pages = sorted(
        (graph.pages[pid] for pid in graph.explainers),
        key=lambda p: (changed_on(p), p.id),
        reverse=True,
    )[:FEED_ENTRIES]
    updated = max((changed_on(p) for p in pages), default=dt.date(1970, 1, 1))
    lines = [
        '<?xml version="1.0" encoding="utf-8"?>',
        f'<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="{escape(config.language)}">',
        f"<title>{escape(config.title)}: explainers</title>",
        f"<subtitle>{escape(config.description)}</subtitle>",
        f"<id>{escape(absolute(config, FEED))}</id>",
        f'<link rel="self" type="application/atom+xml" href="{escape(absolute(config, FEED))}"/>',
        f'<link rel="alternate" type="text/html" href="{escape(absolute(config, "/learn/"))}"/>',
        f"<updated>{_timestamp(updated)}</updated>",
        f"<author><name>{escape(config.title)}</name><uri>{escape(config.base_url)}</uri></author>",
    ]
    for page in pages:
        url = escape(absolute(config, page.url))
        lines += [
            "<entry>",
            f"<title>{escape(page.title)}</title>",
            f"<id>{url}</id>",
            f'<link rel="alternate" type="text/html" href="{url}"/>',
            f"<published>{_timestamp(page.date)}</published>" if page.date else "",
            f"<updated>{_timestamp(changed_on(page))}</updated>",
            f"<summary>{escape(page.answer)}</summary>",
            *(f'<category term="{escape(tag)}"/>' for tag in page.tags),
            "</entry>",
        ]
    lines.append("</feed>")
    return "\n".join(line for line in lines if line) + "\n"


def robots(config: SiteConfig) -> str:
    """Allow everything and point crawlers at the sitemap."""
    return f"User-agent: *\nAllow: /\n\nSitemap: {absolute(config, SITEMAP)}\n"


def redirects(graph: PageGraph, config: SiteConfig) -> str:
    """Every alias as a permanent redirect, in the `_redirects` format static hosts read."""
    base = config.base_path.rstrip("/")
    lines = [
        f"{base}{alias} {base}{page.url} 301"
        for page in _explainers(graph)
        for alias in page.aliases
    ]
    return "".join(f"{line}\n" for line in sorted(lines))


def _explainers(graph: PageGraph) -> Iterable[Page]:
    return (graph.pages[pid] for pid in graph.explainers)
