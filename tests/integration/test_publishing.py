"""What publishing needs: sitemap, Atom feed, robots.txt, redirects, head metadata, sub-paths."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from html import unescape as html_unescape
from pathlib import Path

import pytest

from spanvero_site.cli import main
from tests.conftest import REPO, assemble_site

ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
FEED_LINK = re.compile(r'<link rel="alternate" type="application/atom\+xml"[^>]*>')
RFC3339 = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(Z|[+-]\d{2}:\d{2})$")


def public_pages(site: Path) -> set[str]:
    """Every page that does not ask search engines to leave it out (`noindex`: redirects, the
    404 and search pages, the advisor's answer pages, drafts). A page is in the sitemap exactly
    when it is public: one that is in neither is a page search engines find and index by
    chance; one in both contradicts itself."""
    urls = set()
    for path in site.rglob("*.html"):
        if '<meta name="robots" content="noindex">' not in path.read_text():
            urls.add("/" + path.relative_to(site).as_posix().removesuffix("index.html"))
    return urls


def test_sitemap_lists_every_public_page_with_lastmod(shipped_site: Path) -> None:
    root = ET.parse(shipped_site / "sitemap.xml").getroot()
    entries = {
        url.findtext(f"{SITEMAP}loc"): url.findtext(f"{SITEMAP}lastmod")
        for url in root.iter(f"{SITEMAP}url")
    }
    expected = {"https://spanvero.com" + url for url in public_pages(shipped_site)}
    assert set(entries) == expected
    lora = (REPO / "content/learn/lora.md").read_text()
    # lastmod is when the page last changed: its `updated:` date, else its `date:`
    changed = re.search(r"^updated: (\S+)$", lora, re.M) or re.search(r"^date: (\S+)$", lora, re.M)
    assert changed is not None
    assert entries["https://spanvero.com/learn/lora/"] == changed.group(1)


def test_a_page_search_engines_should_skip_names_no_address_to_index(shipped_site: Path) -> None:
    """A canonical link (and og:url, what a shared link shows) says "list this page under this
    address": on a `noindex` page (the 404 page, served at every missing address, search, the
    advisor's steps) it contradicts the page. A public page names its own address; a redirect
    names where it points, for which it is no page of its own."""
    for path in sorted(shipped_site.rglob("*.html")):
        html = path.read_text()
        own = "https://spanvero.com/" + path.relative_to(shipped_site).as_posix().removesuffix(
            "index.html"
        )
        canonical = re.findall(r'<link rel="canonical" href="([^"]*)">', html)
        og_url = re.findall(r'<meta property="og:url" content="([^"]*)">', html)
        if 'http-equiv="refresh"' in html:
            assert len(canonical) == 1 and canonical[0] != own and og_url == [], path
        elif '<meta name="robots" content="noindex">' in html:
            assert canonical == [] and og_url == [], path
        else:
            assert canonical == [own] and og_url == [own], path


def test_feed_is_valid_atom(shipped_site: Path) -> None:
    feed = ET.parse(shipped_site / "feed.xml").getroot()
    assert feed.tag == f"{ATOM}feed"
    for required in ("id", "title", "updated"):
        assert feed.findtext(f"{ATOM}{required}"), required
    assert RFC3339.match(feed.findtext(f"{ATOM}updated") or "")
    assert feed.find(f"{ATOM}author/{ATOM}name") is not None
    self_link = feed.find(f"{ATOM}link[@rel='self']")
    assert self_link is not None and self_link.get("href") == "https://spanvero.com/feed.xml"
    entries = feed.findall(f"{ATOM}entry")
    assert len(entries) >= 10
    ids = [e.findtext(f"{ATOM}id") for e in entries]
    assert len(set(ids)) == len(ids)
    updated = []
    for entry in entries:
        for required in ("id", "title", "updated", "summary"):
            assert entry.findtext(f"{ATOM}{required}"), required
        assert RFC3339.match(entry.findtext(f"{ATOM}updated") or "")
        link = entry.find(f"{ATOM}link[@rel='alternate']")
        assert link is not None and link.get("href") == entry.findtext(f"{ATOM}id")
        assert (shipped_site / link.get("href", "").removeprefix("https://spanvero.com/")).is_dir()
        updated.append(entry.findtext(f"{ATOM}updated"))
    assert updated == sorted(updated, reverse=True)
    assert feed.findtext(f"{ATOM}updated") == updated[0]


def test_robots_points_at_the_sitemap(shipped_site: Path) -> None:
    text = (shipped_site / "robots.txt").read_text()
    assert "User-agent: *" in text and "Sitemap: https://spanvero.com/sitemap.xml" in text


def test_aliases_make_redirect_pages_and_a_redirects_file(shipped_site: Path) -> None:
    assert (
        "/learn/should-i-fine-tune/ /learn/fine-tuning-vs-prompting/ 301"
        in (shipped_site / "_redirects").read_text().splitlines()
    )
    page = (shipped_site / "learn/should-i-fine-tune/index.html").read_text()
    assert '<meta http-equiv="refresh" content="0; url=/learn/fine-tuning-vs-prompting/">' in page
    assert (
        '<link rel="canonical" href="https://spanvero.com/learn/fine-tuning-vs-prompting/">' in page
    )


def test_explainer_head_metadata_and_json_ld(shipped_site: Path) -> None:
    html = (shipped_site / "learn/lora/index.html").read_text()
    assert "<title>What is LoRA? · Spanvero</title>" in html
    description = re.search(r'<meta name="description" content="([^"]+)">', html).group(1)
    assert description.startswith("LoRA (low-rank adaptation)")
    for tag in ("og:type", "og:title", "og:description", "og:url", "og:site_name"):
        assert f'<meta property="{tag}"' in html, tag
    assert '<meta property="og:type" content="article">' in html
    assert '<meta name="twitter:card" content="summary">' in html
    block = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1)
    data = json.loads(block)
    assert data["@context"] == "https://schema.org" and data["@type"] == "Article"
    assert data["headline"] == "What is LoRA?" and len(data["headline"]) <= 110
    assert re.match(r"^\d{4}-\d{2}-\d{2}$", data["datePublished"])
    assert data["dateModified"] >= data["datePublished"]
    assert data["author"]["name"] == "Spanvero" and data["publisher"]["@type"] == "Organization"
    assert data["mainEntityOfPage"]["@id"] == "https://spanvero.com/learn/lora/"


def test_json_in_pages_cannot_break_out_of_its_script(tmp_path: Path) -> None:
    site = assemble_site(tmp_path / "site", "basic")
    page = site / "content/learn/lora-basics.md"
    page.write_text(page.read_text().replace("title: What is LoRA?", 'title: "</script><b>x"'))
    out = tmp_path / "out"
    assert main(["--root", str(site), "build", "--out", str(out), "--no-search"]) == 0
    html = (out / "learn/lora-basics/index.html").read_text()
    assert "</script><b>" not in html
    assert "\\u003c/script\\u003e\\u003cb\\u003ex" in html


@pytest.mark.parametrize("base", ["https://example.org/docs/"])
def test_a_sub_path_base_url_moves_every_link_asset_and_feed_entry(
    tmp_path: Path, base: str
) -> None:
    out = tmp_path / "out"
    assert main(["--root", str(REPO), "build", "--out", str(out), "--base-url", base]) == 0
    for path in out.rglob("*.html"):
        html = path.read_text()
        for href in re.findall(r'(?:href|src)="(/[^"]*)"', html):
            assert href.startswith("/docs/"), f"{path.relative_to(out)}: {href}"
    feed = (out / "feed.xml").read_text()
    assert all(u.startswith(base) for u in re.findall(r'href="([^"]+)"', feed))
    sitemap = (out / "sitemap.xml").read_text()
    assert all(u.startswith(base) for u in re.findall(r"<loc>([^<]+)</loc>", sitemap))
    assert f"Sitemap: {base}sitemap.xml" in (out / "robots.txt").read_text()
    assert (out / "_redirects").read_text().startswith("/docs/learn/")
    search = (out / "search/index.html").read_text()
    assert 'data-index="/docs/search-index/"' in search


def test_price_index_pages_and_feed(shipped_site: Path) -> None:
    log = (shipped_site / "prices/index.html").read_text()
    assert "Changes, week by week" in log and "/prices/feed.xml" in log
    weeks = sorted(p.parent.name for p in (shipped_site / "prices").glob("20*-w*/index.html"))
    assert weeks, "no weekly price index page"
    feed = ET.parse(shipped_site / "prices/feed.xml").getroot()
    entries = feed.findall(f"{ATOM}entry")
    assert (
        sorted(e.findtext(f"{ATOM}id", "").rstrip("/").rsplit("/", 1)[1] for e in entries) == weeks
    )
    for entry in entries:
        for required in ("id", "title", "updated", "summary"):
            assert entry.findtext(f"{ATOM}{required}"), required
        assert RFC3339.match(entry.findtext(f"{ATOM}updated") or "")
    rental = (shipped_site / "prices/rental/index.html").read_text()
    assert "APIs: current prices" not in rental and "GPU rental: current prices" in rental


def test_a_stale_price_is_marked_on_the_page(tmp_path: Path) -> None:
    site = assemble_site(tmp_path / "site", "basic", "warning_price_stale")
    out = tmp_path / "out"
    assert main(["--root", str(site), "build", "--out", str(out), "--no-search"]) == 0
    html = (out / "prices/index.html").read_text()
    row = re.search(r"<tr><th scope=\"row\">Cloud B <span class=\"sub\">.*?</tr>", html)
    assert row and "stale" in row.group(0)
    assert html.count('class="badge stale-badge">stale</span></span></th>') == 1


def test_every_feed_link_is_titled_as_the_feed_it_points_at(shipped_site: Path) -> None:
    """A page's head names each feed (the browser's and a reader app's "subscribe" shows that
    title), and the feed names itself: the two are written in different files, so each link of
    every page is held to the title of the feed it points at."""
    titles: dict[str, str] = {}
    for feed in sorted(shipped_site.rglob("feed.xml")):
        title = ET.parse(feed).getroot().findtext(f"{ATOM}title")
        assert title, feed
        titles["/" + feed.relative_to(shipped_site).as_posix()] = title
    assert set(titles) == {"/feed.xml", "/prices/feed.xml"}
    linked = set()
    for path in sorted(shipped_site.rglob("*.html")):
        for link in re.findall(
            r'<link rel="alternate" type="application/atom\+xml"[^>]*>', path.read_text()
        ):
            title = re.search(r'title="([^"]*)"', link)
            href = re.search(r'href="([^"]*)"', link)
            assert title and href, (path, link)
            assert html_unescape(title.group(1)) == titles[href.group(1)], (path, link)
            linked.add(href.group(1))
    assert linked == set(titles)
