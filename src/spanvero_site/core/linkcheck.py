"""Check that every internal link resolves to a page of the site, and every #anchor to an id.

It runs over plain data: the links each Markdown body returned (with their source lines), the
nav from site.yaml, and the ids each rendered page contains.
"""

from __future__ import annotations

import difflib
import posixpath
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from urllib.parse import unquote, urljoin, urlsplit

from spanvero_site.core.diagnostics import (
    Diagnostics,
    did_you_mean,
    did_you_mean_path,
    listing,
    split_path,
)
from spanvero_site.core.pages import Link, Unusable
from spanvero_site.core.refs import DRAFT_HINT, draft_message

_ID = re.compile(r'id="([^"]+)"')


@dataclass(frozen=True)
class LinkSite:
    """What links may point at.

    `ids` maps each URL of the site to the element ids of its page; None means the page's
    source is broken (already reported), so any anchor on it is let through, and `failed` names
    the source that failed for each such page a content source left out. `headings` holds
    the heading ids of Markdown bodies, the anchors worth suggesting in a hint. `md_sources`
    maps the Markdown files pages are built from to their URLs. `drafts` are the URLs of
    drafts this build leaves out: a link to one is told so, not that there is no such page.
    """

    ids: Mapping[str, frozenset[str] | None]
    headings: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    md_sources: Mapping[str, str] = field(default_factory=dict)
    drafts: Mapping[str, Unusable] = field(default_factory=dict)
    failed: Mapping[str, str] = field(default_factory=dict)


def ids_in(html: str) -> frozenset[str]:
    """Every element id in a rendered page (headings, footnotes, template sections): each
    `id="..."` that follows white space. Found by the literal and then checked, because a
    pattern that starts with `\\s` is tried at every space of the page (5x slower)."""
    return frozenset(
        found[1]
        for found in _ID.finditer(html)
        if found.start() and html[found.start() - 1].isspace()
    )


def check_link(site: LinkSite, page_url: str, link: Link, diags: Diagnostics, path: str) -> None:
    """Report `link` (written in `path`) if its page or its anchor does not exist."""
    href, line, col = link.href, link.line, link.col
    if link.md_path is not None:
        url = fragment = ""
        draft = next((d for d in site.drafts.values() if d.source == link.md_path), None)
    else:
        url, fragment = _resolve(page_url, href)
        draft = site.drafts.get(url)
    if draft is not None:
        message = f"broken link '{href}': {draft_message(draft)}"
        diags.error("E401", message, path, line, col, DRAFT_HINT)
        return
    if link.md_path is not None:
        hint = did_you_mean_path(link.md_path, site.md_sources) or (
            "link to a Markdown file under content/ that is published (not a draft)"
        )
        diags.error(
            "E401",
            f"broken link '{href}': no page is built from {link.md_path}",
            path,
            line,
            col,
            hint,
        )
        return
    if url not in site.ids and link.image:
        name = url.rsplit("/", 1)[-1] or "image.png"
        hint = did_you_mean_path(url, site.ids) or (
            f"put the file under static/ (e.g. static/img/{name}) and write its path from the "
            f"site root: /static/img/{name}"
        )
        diags.error("E401", f"broken image '{href}': no file at {url}", path, line, col, hint)
        return
    if url not in site.ids:
        hint = did_you_mean_path(url, site.ids) or _nearest(site, url, page_url, path)
        if not url.endswith("/") and url + "/" in site.ids:
            hint = f"add the trailing slash: '{url}/'"
        diags.error("E401", f"broken link '{href}': no page at {url}", path, line, col, hint)
        return
    ids = site.ids[url]
    if fragment and ids is None and url in site.failed:
        diags.unchecked(site.failed[url], f"anchor '#{fragment}'", path, line, col)
    if fragment and ids is not None and fragment not in ids:
        headings = site.headings.get(url, ())
        hint = did_you_mean(fragment, ids) or listing(
            f"headings on {url}: ", headings, f"{url} has no headings"
        )
        diags.error("E402", f"broken anchor '#{fragment}' in link '{href}'", path, line, col, hint)


def _nearest(site: LinkSite, url: str, page_url: str, path: str) -> str:
    """The hint for a URL no page is named like: the pages in its folder (or the closest
    folder above that has any; not the linking page), most alike first, and, in a Markdown
    file, how to link to one of them by its source file, which the build follows."""
    folder, name = split_path(url)
    while True:
        near = [u for u in site.ids if split_path(u)[0] == folder and u != page_url]
        if near or not folder:
            break
        folder, name = split_path(folder)
    near.sort(key=lambda u: (-difflib.SequenceMatcher(None, name, split_path(u)[1]).ratio(), u))
    hint = listing(f"no page is named like it; in {folder}/: ", near, "check the address", 3)
    by_url = {u: source for source, u in site.md_sources.items()}
    source = next((by_url[u] for u in near[:3] if u in by_url), None)
    if source is not None and path.endswith(".md"):
        example = posixpath.relpath(source, posixpath.dirname(path))
        hint += f"; link to a page by its source file ('{example}') so a rename cannot break it"
    return hint


def _resolve(page_url: str, href: str) -> tuple[str, str]:
    """The site URL and fragment `href` names from `page_url` (most links need no urljoin)."""
    if href.startswith("/") and not href.startswith("//") and "." not in href and "%" not in href:
        path, _, fragment = href.partition("#")
        return path.partition("?")[0], fragment
    parts = urlsplit(urljoin(page_url, href))
    return unquote(parts.path) or page_url, unquote(parts.fragment)


def check_links(
    site: LinkSite, page_url: str, links: Iterable[Link], diags: Diagnostics, path: str
) -> None:
    """Check every link written in one source file for the page at `page_url`."""
    for link in links:
        check_link(site, page_url, link, diags, path)
