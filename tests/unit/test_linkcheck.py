from __future__ import annotations

from spanvero_site.core.diagnostics import Diagnostics
from spanvero_site.core.linkcheck import LinkSite, check_link, ids_in
from spanvero_site.core.pages import Link

SITE = LinkSite(
    ids={"/learn/a/": frozenset({"intro", "main"}), "/learn/": frozenset(), "/learn/broken/": None},
    headings={"/learn/a/": ("intro",)},
    md_sources={"content/learn/a.md": "/learn/a/"},
)


def problems(href: str, page: str = "/learn/b/", md_path: str | None = None) -> list[str]:
    diags = Diagnostics()
    check_link(SITE, page, Link(href, 4, md_path), diags, "content/learn/b.md")
    return [f"{d.code} {d.message} | {d.hint}" for d in diags.items]


def test_good_links_pass() -> None:
    assert problems("/learn/a/#intro") == []
    assert problems("../a/") == []
    assert problems("#main", page="/learn/a/") == []
    assert problems("/learn/broken/#anything") == []


def test_broken_pages_and_anchors() -> None:
    assert problems("/learn/a") == [
        "E401 broken link '/learn/a': no page at /learn/a | add the trailing slash: '/learn/a/'"
    ]
    assert problems("/learn/a/#intr") == [
        "E402 broken anchor '#intr' in link '/learn/a/#intr' | did you mean 'intro'?"
    ]
    assert problems("/learn/a/#zzz") == [
        "E402 broken anchor '#zzz' in link '/learn/a/#zzz' | headings on /learn/a/: intro"
    ]
    assert problems("x.md", md_path="content/learn/x.md")[0].startswith(
        "E401 broken link 'x.md': no page is built from content/learn/x.md"
    )


def test_ids_in() -> None:
    assert ids_in('<h2 id="a">x</h2><p id="b">') == frozenset({"a", "b"})


def test_a_far_miss_names_the_nearest_pages_and_a_real_source_file() -> None:
    """Nothing is named like it: the hint lists the pages most like what was written (in its
    folder, or the closest folder above with pages), never an example file the site lacks."""
    assert problems("/learn/zzz/") == [
        "E401 broken link '/learn/zzz/': no page at /learn/zzz/ | no page is named like it; "
        "in /learn/: /learn/a/, /learn/broken/; link to a page by its source file ('a.md') "
        "so a rename cannot break it"
    ]
    assert problems("/guides/zzz/") == [
        "E401 broken link '/guides/zzz/': no page at /guides/zzz/ | no page is named like it; "
        "in /: /learn/"
    ]
