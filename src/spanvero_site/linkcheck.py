"""Check that every internal link resolves to a page of the site, and every #anchor to an id.

It runs over plain data: the links each Markdown body returned (with their source lines), the
nav from site.yaml, and the ids each rendered page contains.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from urllib.parse import unquote, urljoin, urlsplit

from spanvero_site.diagnostics import Diagnostics, did_you_mean

_ID = re.compile(r'\sid="([^"]+)"')


@dataclass(frozen=True)
class LinkSite:
    """What links may point at: each URL of the site and the element ids its page holds."""

    ids: Mapping[str, frozenset[str]]

    def resolve(self, base_url: str, href: str) -> tuple[str, str]:
        """The site URL and fragment `href` names, as seen from the page at `base_url`."""
        absolute = urljoin(base_url, href)
        parts = urlsplit(absolute)
        return unquote(parts.path) or base_url, unquote(parts.fragment)


def ids_in(html: str) -> frozenset[str]:
    """Every element id in a rendered page (headings, footnotes, template sections)."""
    return frozenset(_ID.findall(html))


def check_link(
    site: LinkSite,
    page_url: str,
    href: str,
    diags: Diagnostics,
    path: str,
    line: int,
    col: int = 1,
) -> None:
    """Report `href` (written on `path`:`line`) if its page or its anchor does not exist."""
    url, fragment = site.resolve(page_url, href)
    ids = site.ids.get(url)
    if ids is None:
        known = sorted(site.ids)
        hint = did_you_mean(url, known)
        if not hint and not url.endswith("/") and url + "/" in site.ids:
            hint = f"add the trailing slash: '{url}/'"
        if not hint and href.endswith(".md"):
            hint = "link to an existing file next to this one, e.g. 'lora.md', or to its URL"
        diags.error("E401", f"broken link '{href}': no page at {url}", path, line, col, hint)
        return
    if fragment and fragment not in ids:
        hint = did_you_mean(fragment, ids) or (
            f"headings on {url}: {', '.join(sorted(ids)[:8])}" if ids else f"{url} has no anchors"
        )
        diags.error("E402", f"broken anchor '#{fragment}' in link '{href}'", path, line, col, hint)


def check_links(
    site: LinkSite,
    page_url: str,
    links: Iterable[tuple[str, int]],
    diags: Diagnostics,
    path: str,
) -> None:
    """Check many (href, line) links written in one source file for the page at `page_url`."""
    for href, line in links:
        check_link(site, page_url, href, diags, path, line)
