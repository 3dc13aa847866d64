"""What a published site needs besides pages: sitemap, robots.txt and _redirects.

All are plain text made from what the sections contribute, with absolute URLs from base_url,
so a site served from a sub-path (--base-url https://example.org/docs/) gets them right too.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from spanvero_site.core.config import SiteConfig
from spanvero_site.core.formatting import xml_text

SITEMAP = "/sitemap.xml"
ROBOTS = "/robots.txt"
REDIRECTS = "/_redirects"


def absolute(config: SiteConfig, url: str) -> str:
    """A site URL ('/learn/lora/') as a full URL under base_url."""
    return config.base_url.rstrip("/") + url


def sitemap(config: SiteConfig, entries: Iterable[tuple[str, dt.date | None]]) -> str:
    """Every page the sections listed, with lastmod where the content says when it changed."""
    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">',
    ]
    for url, lastmod in sorted(set(entries)):
        lines.append(
            f"<url><loc>{xml_text(absolute(config, url))}</loc>"
            + (f"<lastmod>{lastmod.isoformat()}</lastmod>" if lastmod else "")
            + "</url>"
        )
    lines.append("</urlset>")
    return "\n".join(lines) + "\n"


def robots(config: SiteConfig) -> str:
    """Allow everything and point crawlers at the sitemap."""
    return f"User-agent: *\nAllow: /\n\nSitemap: {absolute(config, SITEMAP)}\n"


def redirects(config: SiteConfig, moves: Iterable[tuple[str, str]]) -> str:
    """Every (old URL, new URL) as a permanent redirect, in the `_redirects` format hosts read."""
    base = config.base_path.rstrip("/")
    lines = [f"{base}{old} {base}{new} 301" for old, new in moves]
    return "".join(f"{line}\n" for line in sorted(lines))
