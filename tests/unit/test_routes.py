"""Routes come from the views and files the sections return: one claim per URL."""

from __future__ import annotations

from spanvero_site.core.builder import claim_urls
from spanvero_site.core.diagnostics import Diagnostics
from spanvero_site.core.pages import Output
from spanvero_site.core.section import File, View


def test_an_alias_colliding_with_a_page_is_reported_at_the_alias() -> None:
    diags = Diagnostics()
    page = View(
        "/learn/b/", "explainer.html", {}, "page content/learn/b.md", "content/learn/b.md", 1
    )
    alias = View(
        "/learn/b/", "redirect.html", {}, "a redirect to /learn/a/", "content/learn/a.md", 7
    )
    claimed = claim_urls([page, alias], [], diags)
    assert claimed == {"/learn/b/": page}
    assert [d.format() for d in diags.items] == [
        "content/learn/a.md:7:1: error[E301]: output path '/learn/b/' is written twice: "
        "by a redirect to /learn/a/ and by page content/learn/b.md\n"
        "  hint: rename the file or change the alias so every page has its own URL"
    ]


def test_a_generated_claim_wins_and_the_source_file_is_blamed() -> None:
    diags = Diagnostics()
    page = View(
        "/feed.xml/", "x.html", {}, "page content/learn/feed.md", "content/learn/feed.md", 1
    )
    feed = File("/feed.xml/", b"", "the explainers' feed")
    claimed = claim_urls([page], [feed], diags)
    assert claimed == {"/feed.xml/": feed}
    assert [(d.path, d.code) for d in diags.items] == [("content/learn/feed.md", "E301")]


def test_distinct_urls_are_all_claimed() -> None:
    diags = Diagnostics()
    views = [View(f"/p{i}/", "x.html", {}, f"page {i}") for i in range(3)]
    assert list(claim_urls(views, [File("/robots.txt", b"")], diags)) == [
        "/p0/",
        "/p1/",
        "/p2/",
        "/robots.txt",
    ]
    assert diags.items == []


def test_a_static_file_claims_its_path_like_a_page() -> None:
    """'/static/a/' and the static file 'static/a/index.html' are one output file, and an
    alias cannot need a static file to be a folder: both are E301 at the alias, never a
    clash the writer finds. Static files are not returned as routes."""
    diags = Diagnostics()
    static = [Output("static/a/index.html", b""), Output("static/b.svg", b"")]
    onto = View("/static/a/", "redirect.html", {}, "a redirect to /x/", "content/learn/x.md", 9)
    under = View(
        "/static/b.svg/", "redirect.html", {}, "a redirect to /x/", "content/learn/x.md", 9
    )
    assert claim_urls([onto, under], [], diags, static) == {"/static/b.svg/": under}
    assert [d.message for d in diags.items] == [
        "output path '/static/a/' is written twice: by a redirect to /x/ and by the static "
        "file /static/a/index.html",
        "output path '/static/b.svg/' needs '/static/b.svg' to be a folder, but the static "
        "file /static/b.svg writes it as a file",
    ]
    assert {d.path for d in diags.items} == {"content/learn/x.md"}


def test_paths_that_differ_only_in_case_are_one_output_file() -> None:
    """macOS and Windows file systems ignore case, so 'Logo.png' overwrites 'logo.png' there:
    a clash reported at the source that has a line, or at the static file itself."""
    diags = Diagnostics()
    static = [Output("static/img/Logo.png", b""), Output("static/img/logo.png", b"")]
    page = View("/learn/x/", "explainer.html", {}, "page content/learn/x.md", "content/learn/x.md")
    alias = View(
        "/Learn/X/", "redirect.html", {}, "a redirect to /learn/y/", "content/learn/y.md", 7
    )
    assert claim_urls([page, alias], [], diags, static) == {"/learn/x/": page}
    assert [(d.path, d.line, d.message) for d in diags.items] == [  # in file order
        (
            "content/learn/y.md",
            7,
            "output path '/Learn/X/' is written twice (in another case): by a redirect to "
            "/learn/y/ and by page content/learn/x.md",
        ),
        (
            "static/img/logo.png",
            1,
            "output path '/static/img/logo.png' is written twice (in another case): by the "
            "static file /static/img/logo.png and by the static file /static/img/Logo.png",
        ),
    ]
