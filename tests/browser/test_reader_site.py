"""The reader's site in Debian's chromium: axe-core, a strict CSP, layouts, and search."""

from __future__ import annotations

import re

import pytest

from tests.conftest import REPO, missing_tool

pytestmark = pytest.mark.browser

AXE = REPO / "tests" / "browser" / "node_modules" / "axe-core" / "axe.min.js"
SCREENSHOTS = REPO / ".spanvero" / "screenshots"
PAGE_KINDS = {
    "home": "/",
    "learn": "/learn/",
    "tag": "/learn/tags/memory/",
    "explainer": "/learn/quantization/",
    "explainer-chart": "/learn/cost-of-running-a-model/",
    "models": "/models/",
    "model": "/models/mixtral-8x7b/",
    "calculator": "/calculator/",
    "accuracy": "/calculator/accuracy/",
    "search": "/search/?q=adapter",
    "not-found": "/404.html",
    "prices": "/prices/",
    "price-week": "/prices/2026-w43/",
    "advisor": "/advisor/",
    "advisor-step": "/advisor/format/drifts/",
    "advisor-where": "/advisor/where/small/own-hardware/gpu-24/",
}
# The "what to do" page is named by its advice (a digest), so it is reached as a reader would.
ADVISOR_WHAT = ("/advisor/format/drifts/", "40 to 400 million tokens")


def arrive(tab, site_url: str, kind: str) -> None:
    """Open a page kind as a reader arrives at it: loaded, so its scripts have run (they are
    deferred), and for search its results in, the one page that fills itself later (from its
    index). Waiting for the network to fall idle instead costs half a second a page."""
    tab.goto(site_url + PAGE_KINDS[kind])
    if kind == "search":
        tab.wait_for_selector(".search-result-excerpt", timeout=10_000)


def axe_violations(page) -> list[str]:
    if not AXE.is_file():
        missing_tool("axe-core is not installed: run python3 build.py test (needs npm)")
    page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        "axe.run(document).then(r => r.violations.map(v => v.id + ': '"
        " + v.nodes.map(n => n.target.join(' ')).slice(0, 3).join(', ')))"
    )
    return list(result)


@pytest.mark.parametrize("kind", sorted(PAGE_KINDS))
def test_axe_finds_no_violations_in_either_scheme(
    page, dark_page, site_url: str, kind: str
) -> None:
    for tab in (page, dark_page):
        tab.goto(site_url + PAGE_KINDS[kind])
        if kind == "search":
            # with an excerpt, so the marked words' colours are checked too
            tab.wait_for_selector(".search-result-excerpt mark", timeout=10_000)
        assert axe_violations(tab) == [], f"{kind}"


def test_axe_finds_no_violations_on_the_advisors_advice_page(
    page, dark_page, site_url: str
) -> None:
    start, answer = ADVISOR_WHAT
    for tab in (page, dark_page):
        tab.goto(site_url + start)
        tab.click(f"a.advisor-option:has-text('{answer}')")
        tab.wait_for_url("**/advisor/what/**")
        assert axe_violations(tab) == []


@pytest.mark.parametrize(
    "kind", ["home", "explainer", "models", "model", "calculator", "learn", "prices", "advisor"]
)
def test_pages_work_under_a_strict_content_security_policy(
    page, csp_site_url: str, kind: str
) -> None:
    page.goto(csp_site_url + PAGE_KINDS[kind])
    page.wait_for_load_state("networkidle")
    if kind == "calculator":
        page.wait_for_selector("#calc-form:not([hidden])")
    if kind == "models":
        page.wait_for_selector("#model-filters:not([hidden])")
    # the `page` fixture fails the test on any console error, CSP refusals included


# Where focus is once a page has loaded (its scripts run, search results in): nowhere yet.
FOCUSED = """(() => {
  const e = document.activeElement;
  return e === document.body ? null : e.outerHTML.slice(0, 80);
})()"""


@pytest.mark.parametrize("address", sorted({*PAGE_KINDS.values(), "/search/"}))
def test_no_page_moves_focus_on_arrival(page, site_url: str, address: str) -> None:
    """A page read from its start: a screen reader begins at the page's name and the first Tab
    reaches "Skip to content". A script that focuses a control on arrival (autofocus on the
    search box, say) puts a reader past both, and, on a page opened with a query, takes them
    away from the results they came for. The search box is the first stop after the skip link."""
    page.goto(site_url + address)
    page.wait_for_load_state("networkidle")
    if address.startswith("/search/?"):
        page.wait_for_selector(".search-result-link", timeout=10_000)
    assert page.evaluate(FOCUSED) is None, address
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip-link", address
    if address.startswith("/search/"):
        page.keyboard.press("Enter")
        page.keyboard.press("Tab")
        assert page.evaluate("document.activeElement.id") == "search-q"


VIEWPORTS = {390: 844, 1280: 900}

# How many lines a box's text is laid out on: a new line starts where a box's top is more than
# most of a font size below the line before it.
LINES = """e => {
  const range = document.createRange();
  range.selectNodeContents(e);
  const size = parseFloat(getComputedStyle(e).fontSize);
  const tops = [...range.getClientRects()].filter(r => r.width > 0).map(r => r.top);
  tops.sort((a, b) => a - b);
  let lines = tops.length ? 1 : 0;
  for (let i = 1, line = tops[0]; i < tops.length; i++) {
    if (tops[i] - line > size * 0.9) { lines++; line = tops[i]; }
  }
  return lines;
}"""

# Numbers and dates laid out on more than one line (column headings may wrap).
BROKEN_NUMBERS = (
    """() => [...document.querySelectorAll('time, .num, td.num')]
  .filter(e => e.offsetParent !== null && !e.closest('thead'))
  .filter(e => ("""
    + LINES
    + """)(e) > 1)
  .map(e => e.textContent.trim()).slice(0, 5)"""
)


# No script reads the window's size, so a page laid out again at another width or colour
# scheme is laid out as a page loaded at it is: each page kind is loaded once and measured at
# every width and scheme.
SIZE_READERS = re.compile(r"matchMedia|innerWidth|outerWidth|clientWidth|screen\.width|resize")


def test_no_script_reads_the_window_size() -> None:
    scripts = sorted((REPO / "static" / "js").glob("*.js"))
    assert scripts
    readers = [p.name for p in scripts if SIZE_READERS.search(p.read_text(encoding="utf-8"))]
    assert readers == [], f"lay each width out from a fresh load in the test below: {readers}"


@pytest.mark.parametrize("kind", sorted(PAGE_KINDS))
def test_every_page_kind_fits_the_screen_and_keeps_numbers_whole(
    browser, site_url: str, kind: str, request: pytest.FixtureRequest
) -> None:
    """No sideways scroll of the document, and no date or figure broken over two lines, on a
    phone and a laptop in either colour scheme; with --screenshots, a picture of each for a
    person to look at."""
    phone = min(VIEWPORTS)
    context = browser.new_context(viewport={"width": phone, "height": VIEWPORTS[phone]})
    tab = context.new_page()
    arrive(tab, site_url, kind)
    problems = []
    for width in sorted(VIEWPORTS):
        tab.set_viewport_size({"width": width, "height": VIEWPORTS[width]})
        for scheme in ("light", "dark"):
            tab.emulate_media(color_scheme=scheme)
            overflow = tab.evaluate("document.documentElement.scrollWidth - window.innerWidth")
            broken = tab.evaluate(BROKEN_NUMBERS)
            if request.config.getoption("--screenshots"):
                SCREENSHOTS.mkdir(parents=True, exist_ok=True)
                shot = SCREENSHOTS / f"{kind}-{width}-{scheme}.png"
                tab.screenshot(path=str(shot), full_page=True)
            if overflow > 0:
                problems.append(f"{kind} at {width}px ({scheme}) scrolls sideways by {overflow}px")
            if broken:
                problems.append(f"{kind} at {width}px ({scheme}) breaks across lines: {broken}")
    context.close()
    assert problems == []


# What sticks out past the window's right edge, outside any box that scrolls on its own.
STICKING_OUT = """() => {
  const width = document.documentElement.clientWidth;
  const scrolls = e => /auto|scroll/.test(getComputedStyle(e).overflowX);
  const inScroller = e => {
    for (let box = e.parentElement; box; box = box.parentElement) if (scrolls(box)) return true;
    return false;
  };
  return [...document.querySelectorAll('body *')]
    .filter(e => e.getBoundingClientRect().right > width + 1 && e.getClientRects().length)
    .filter(e => !inScroller(e))
    .filter(e => ![...e.children].some(c => c.getBoundingClientRect().right > width + 1))
    .map(e => e.tagName.toLowerCase() + ': ' + e.textContent.trim().slice(0, 40)).slice(0, 5);
}"""


# Dates and figures laid out on more than one line though they would fit on one line of the
# block they are in: running text may break one only when a whole line is too narrow for it.
BROKEN_THOUGH_IT_FITS = (
    """() => [...document.querySelectorAll('time, .num')]
  .filter(e => e.offsetParent !== null && !e.closest('thead'))
  .filter(e => ("""
    + LINES
    + """)(e) > 1)
  .filter(e => {
    let block = e.parentElement;
    while (getComputedStyle(block).display.startsWith('inline')) block = block.parentElement;
    const style = getComputedStyle(block);
    const room = block.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
    const whole = e.cloneNode(true);
    whole.style.cssText = 'position: absolute; display: inline; white-space: nowrap';
    e.after(whole);
    const width = whole.getBoundingClientRect().width;
    whole.remove();
    return width <= room;
  })
  .map(e => e.textContent.trim()).slice(0, 5)"""
)


@pytest.mark.parametrize("kind", sorted(PAGE_KINDS))
def test_every_page_kind_reflows_with_text_at_200_percent_on_a_phone(
    browser, site_url: str, kind: str
) -> None:
    """A reader who sets their browser's text size to 200% (Android's largest, Chrome's "Very
    large") gets twice the rem on a 390 px phone: a grid whose columns may not be narrower than
    18rem, or a file name that may not break, then makes the whole page scroll sideways."""
    context = browser.new_context(viewport={"width": 390, "height": 844})
    tab = context.new_page()
    arrive(tab, site_url, kind)
    tab.add_style_tag(content="html { font-size: 200% }")  # the browser's text size setting
    overflow = tab.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    culprits = tab.evaluate(STICKING_OUT)
    broken = tab.evaluate(BROKEN_THOUGH_IT_FITS)
    context.close()
    assert overflow <= 0, f"{kind} scrolls sideways by {overflow}px: {culprits}"
    assert broken == [], f"{kind} breaks these though they fit on a line: {broken}"


def test_explainer_keeps_its_contents_in_view_on_a_wide_screen(browser, site_url: str) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    tab = context.new_page()
    tab.goto(site_url + PAGE_KINDS["explainer"])
    tab.mouse.wheel(0, 2500)
    tab.wait_for_function("window.scrollY > 2000")
    box = tab.locator(".toc").bounding_box()
    body = tab.locator(".explainer > .body").bounding_box()
    context.close()
    assert box is not None and body is not None
    assert 0 <= box["y"] < 900, f"the table of contents scrolled away: {box}"
    assert box["x"] > body["x"] + body["width"], "the table of contents is not beside the text"


def test_header_body_and_footer_share_one_container(page, site_url: str) -> None:
    page.set_viewport_size({"width": 1280, "height": 900})
    for kind in ("home", "explainer", "models", "prices"):
        page.goto(site_url + PAGE_KINDS[kind])
        lefts = page.evaluate(
            "['.site-header .wordmark', 'main h1', '.site-footer p']"
            ".map(s => Math.round(document.querySelector(s).getBoundingClientRect().left))"
        )
        assert len(set(lefts)) == 1, f"{kind}: left edges {lefts}"


def test_the_advisor_is_in_the_navigation_and_on_the_home_page(page, site_url: str) -> None:
    page.goto(site_url + "/")
    assert page.locator(".site-nav a[href='/advisor/']").count() == 1
    ways = page.locator(".home-ways a").evaluate_all("els => els.map(e => e.getAttribute('href'))")
    assert ways == ["/advisor/", "/calculator/", "/models/", "/learn/"]


def test_search_finds_an_explainer_by_a_word_from_its_body(page, site_url: str) -> None:
    # "safetensors" pages mention pickle; the word is in the body, not the title
    page.goto(site_url + "/")
    page.fill("#site-search-q", "pickle")
    page.keyboard.press("Enter")
    page.wait_for_url("**/search/?q=pickle")
    result = page.wait_for_selector(".search-result-link", timeout=10_000)
    links = page.locator(".search-result-link").evaluate_all(
        "els => els.map(e => e.getAttribute('href'))"
    )
    assert "/learn/safetensors/" in links, links
    assert result.is_visible()


# Boxes a reader sees with nothing in them: a block with a size, no text, no picture, no control.
EMPTY_BOXES = """() => [...document.querySelectorAll('main *')]
  .filter(e => !e.closest('svg, td, th, details:not([open]) > :not(summary)'))
  .filter(e => !getComputedStyle(e).display.startsWith('inline') && e.tagName !== 'HR')
  .filter(e => {
    const box = e.getBoundingClientRect();
    return box.width > 2 && box.height > 2;
  })
  .filter(e => !e.textContent.trim())
  .filter(e => !e.querySelector('svg, img, input, select, textarea, button'))
  .map(e => e.outerHTML.slice(0, 80))"""

# The controls in a page's main part a reader can see and use.
CONTROLS = """() => [...document.querySelectorAll('main :is(input, select, textarea, button)')]
  .filter(e => e.getClientRects().length).length"""


@pytest.mark.parametrize("kind", sorted(PAGE_KINDS))
def test_every_page_kind_reads_without_javascript(
    page, nojs_page, site_url: str, kind: str
) -> None:
    """Without JavaScript a page shows what it holds and says what it cannot do: no box waits
    empty for a script, a form submits to a page that exists, every chart keeps its numbers in
    a table, and a page whose script would add controls says, in its text, what to do instead."""
    address = site_url + PAGE_KINDS[kind]
    nojs_page.goto(address)
    assert nojs_page.evaluate(EMPTY_BOXES) == [], kind
    for form in nojs_page.locator("form").all():
        if form.is_visible():
            assert form.evaluate("f => f.method") == "get", kind
            action = form.evaluate("f => f.action")
            assert nojs_page.request.get(action).status == 200, f"{kind}: {action}"
    charts = nojs_page.locator("svg.chart").count()
    tables = nojs_page.locator(".chart-numbers table tbody tr:first-child").count()
    assert tables == charts, f"{kind}: {charts} charts, {tables} with their numbers"
    page.goto(address)
    page.wait_for_load_state("networkidle")
    if page.evaluate(CONTROLS) > nojs_page.evaluate(CONTROLS):
        said = nojs_page.locator("main p:visible", has_text="JavaScript")
        assert said.count() >= 1, f"{kind} has controls only with JavaScript and does not say so"


# Inline elements (a, span, strong...) that only the stylesheet sets apart as blocks, touching
# the words beside them: without the stylesheet "Ask the advisor" and "A few questions" read
# "Ask the advisorA few questions".
RUN_TOGETHER = """() => {
  const INLINE = /^(A|SPAN|STRONG|EM|B|I|SMALL|TIME|CODE|LABEL|ABBR|SUP|SUB|MARK|Q|CITE|DATA)$/;
  const words = n => n.nodeType === 1 && /^(SELECT|INPUT|TEXTAREA|BUTTON)$/.test(n.tagName)
    ? ' ' : n.textContent;
  return [...document.querySelectorAll('body *')].filter(e => {
    const display = getComputedStyle(e).display;
    if (!INLINE.test(e.tagName) || /^(inline|none|contents)/.test(display)) return false;
    const own = e.textContent, before = e.previousSibling, after = e.nextSibling;
    return own.trim() && (
      (before && /\\S$/.test(words(before)) && /^\\S/.test(own)) ||
      (after && /\\S$/.test(own) && /^\\S/.test(words(after))));
  }).map(e => e.parentElement.textContent.trim().slice(0, 50));
}"""

PICTURE_SIZES = """() => [...document.querySelectorAll('svg, img')].map(e => {
  const box = e.getBoundingClientRect();
  return [e.outerHTML.slice(0, 60), Math.round(box.width), Math.round(box.height)];
})"""

# The landmarks in the order a page without styles shows them, and the page's headings.
READING_ORDER = """() => {
  const parts = ['.skip-link', 'header .site-nav', 'main', 'main h1', 'footer']
    .map(s => document.querySelector(s));
  const inOrder = parts.every((e, i) => e && (i === 0 ||
    parts[i - 1].compareDocumentPosition(e) & Node.DOCUMENT_POSITION_FOLLOWING));
  const first = document.body.querySelector('a[href], button, input, select, textarea');
  const headings = [...document.querySelectorAll('h1, h2, h3, h4')]
    .filter(h => h.getClientRects().length).map(h => h.textContent.trim());
  return {inOrder, first: first && first.className,
          h1s: document.querySelectorAll('h1').length,
          repeated: headings.filter((h, i) => headings.indexOf(h) !== i)};
}"""


@pytest.mark.parametrize("kind", sorted(PAGE_KINDS))
def test_every_page_kind_reads_in_order_without_its_stylesheets(
    browser, site_url: str, kind: str
) -> None:
    """A stylesheet that does not arrive (a dropped request, a text browser, a reader's own
    styles) leaves the bare HTML: it reads skip link, site navigation, the page's one heading,
    its content, footer; no heading is said twice; pictures keep about their size (an icon with
    no size of its own fills the screen); and words set apart only by CSS stay apart."""
    styled = browser.new_context(viewport={"width": 390, "height": 844})
    bare = browser.new_context(viewport={"width": 390, "height": 844})
    bare.route("**/*.css", lambda route: route.abort())
    tabs = []
    for context in (styled, bare):
        tab = context.new_page()
        arrive(tab, site_url, kind)
        tabs.append(tab)
    run_together = tabs[0].evaluate(RUN_TOGETHER)
    sizes = [tab.evaluate(PICTURE_SIZES) for tab in tabs]
    order = tabs[1].evaluate(READING_ORDER)
    styled.close()
    bare.close()
    assert run_together == [], f"{kind}: words run together without styles: {run_together}"
    assert order == {"inOrder": True, "first": "skip-link", "h1s": 1, "repeated": []}, kind
    assert len(sizes[0]) == len(sizes[1]), kind
    grown = [
        (html, (w, h), (bare_w, bare_h))
        for (html, w, h), (_, bare_w, bare_h) in zip(*sizes, strict=True)
        if bare_w > 1.5 * w + 1 or bare_h > 1.5 * h + 1
    ]
    assert grown == [], f"{kind}: pictures that grow without styles: {grown}"


# Every page that reads its address, with the names it reads, asked of the page itself so a
# new field or question is covered without a line here.
ADDRESS_READERS = {
    "/calculator/": "[...document.getElementById('calc-form').elements].map(e => e.name)",
    "/models/": "[...document.getElementById('model-filters').elements].map(e => e.name)",
    "/advisor/": "JSON.parse(document.getElementById('advisor-data').textContent)"
    ".advisor.questions.map(q => q.id)",
}
UNUSABLE = "zz-not-a-value"


@pytest.mark.parametrize("url", sorted(ADDRESS_READERS))
def test_a_page_names_every_address_value_it_cannot_use(page, site_url: str, url: str) -> None:
    """A mistyped or outdated link must not open a page that silently ignores part of it and
    passes its default (every model, the default scenario, the first question) off as what the
    link asked for: each value the page cannot take is named on it, or shown in its own field
    marked invalid. /models/ once dropped ?gpu=nope and ?min=abc and said "48 of 48 models"."""
    page.goto(site_url + url)
    names = sorted({name for name in page.evaluate(ADDRESS_READERS[url]) if name})
    assert names
    unnamed = []
    for name in names:
        page.goto(f"{site_url}{url}?{name}={UNUSABLE}")
        said = f"{name}={UNUSABLE}" in page.inner_text("main")
        marked = page.evaluate(
            "v => [...document.querySelectorAll('[aria-invalid=true]')].some(e => e.value === v)",
            UNUSABLE,
        )
        if not (said or marked):
            unnamed.append(name)
    assert unnamed == [], f"{url} drops these without a word: {unnamed}"


def test_a_link_the_models_table_takes_whole_gets_no_note(page, site_url: str) -> None:
    page.goto(f"{site_url}/models/?min=7&max=%2070%20&license=&gpu=rtx-4090")
    page.locator("#model-status").filter(has_text="models shown").wait_for()
    assert page.locator("#model-link-note").is_hidden()
    assert page.input_value("#filter-max") == "70"


def test_search_without_javascript_links_to_all_explainers(nojs_page, site_url: str) -> None:
    nojs_page.goto(site_url + "/search/?q=lora")
    fallback = nojs_page.locator("#search-fallback")
    assert fallback.is_visible()
    assert fallback.locator("a[href='/learn/']").count() == 1


def search_results(page, site_url: str, query: str) -> list[str]:
    page.goto(f"{site_url}/search/?q={query}")
    page.wait_for_selector(".search-result-link", timeout=10_000)
    return page.locator(".search-result-link").evaluate_all(
        "els => els.map(e => e.getAttribute('href'))"
    )


def test_search_finds_the_price_log_the_advisor_and_the_calculator(page, site_url: str) -> None:
    assert "/prices/" in search_results(page, site_url, "runpod")
    assert "/advisor/" in search_results(page, site_url, "advisor")
    assert "/calculator/" in search_results(page, site_url, "break-even")


LONG_DATE = r"\b\d{1,2} (January|February|March|April|May|June|July|August|September|October|November|December) 20\d\d\b"  # noqa: E501


def test_search_excerpts_hold_no_dates_or_table_figures(page, site_url: str) -> None:
    links = search_results(page, site_url, "quantization")
    # Every shown result's excerpt, once they have all arrived.
    page.wait_for_function(
        "n => document.querySelectorAll('.search-result-excerpt').length === n", arg=len(links)
    )
    excerpts = page.locator(".search-result-excerpt").all_inner_texts()
    assert len(excerpts) == 10
    for text in excerpts:
        assert not re.search(r"\b20\d\d-\d\d-\d\d\b", text), text
        assert not re.search(LONG_DATE, text), text
    # The price log's text is mostly tables of dated prices; its excerpt is the prose.
    links = search_results(page, site_url, "runpod")
    item = page.locator(".search-result").nth(links.index("/prices/"))
    prices = item.locator(".search-result-excerpt").inner_text(timeout=10_000)
    assert "RunPod" in prices and "$" not in prices, prices
    assert not re.search(r"\b20\d\d-\d\d-\d\d\b", prices), prices


def test_search_without_javascript_lists_every_explainer_and_model(
    nojs_page, site_url: str
) -> None:
    nojs_page.goto(site_url + "/search/?q=lora")
    fallback = nojs_page.locator("#search-fallback")
    assert fallback.locator("a[href='/learn/lora/']").count() == 1
    assert fallback.locator("a[href='/models/llama-3-1-8b/']").count() == 1


def test_calculator_results_are_cards_on_a_phone(browser, site_url: str) -> None:
    """At 390 px every result row shows every figure, labelled, inside the screen's width, and
    an option's name runs across the whole card (the longest, an Azure instance's, in four
    lines), not down a narrow column."""
    context = browser.new_context(viewport={"width": 390, "height": 844})
    tab = context.new_page()
    tab.goto(site_url + PAGE_KINDS["calculator"])
    tab.wait_for_selector("#calc-form:not([hidden])")
    cells = tab.evaluate(
        """() => [...document.querySelectorAll('#calc-table tbody tr:not(.group) td')].map(td => {
          const box = td.getBoundingClientRect();
          return {label: getComputedStyle(td, '::before').content, left: box.left,
                  right: box.right, width: box.width};
        })"""
    )
    names = tab.evaluate(
        """() => [...document.querySelectorAll('#calc-table th[scope=row]')].map(th => ({
          lines: th.getBoundingClientRect().height / parseFloat(getComputedStyle(th).lineHeight),
          share: th.getBoundingClientRect().width / th.parentElement.clientWidth}))"""
    )
    context.close()
    assert len(cells) >= 6 * 3
    assert all(c["left"] >= 0 and c["right"] <= 390 and c["width"] > 0 for c in cells), cells[:6]
    labels = {c["label"] for c in cells}
    assert '"Per month"' in labels and '"Per 1M output tokens"' in labels, labels
    assert min(n["share"] for n in names) > 0.85, names[:3]
    longest = max(n["lines"] for n in names)
    assert longest <= 4.2, f"an option's name takes {longest:.1f} lines"


def test_an_explainers_chart_fits_a_phone_and_shows_its_numbers(browser, site_url: str) -> None:
    context = browser.new_context(viewport={"width": 390, "height": 844})
    tab = context.new_page()
    tab.goto(site_url + PAGE_KINDS["explainer-chart"])
    chart = tab.locator("svg.chart").first
    box = chart.bounding_box()
    name = chart.evaluate("svg => svg.querySelector('title').textContent")
    tab.locator(".chart-numbers summary").first.click()
    rows = tab.locator(".chart-numbers").first.locator("tbody tr")
    first_row = rows.first.inner_text()
    count = rows.count()
    context.close()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 390
    assert name.startswith("Monthly cost of")
    assert count > 10 and "$" in first_row


def test_every_price_history_states_its_dated_values(page, site_url: str) -> None:
    page.goto(site_url + PAGE_KINDS["prices"])
    names = page.locator("svg.spark").evaluate_all(
        "els => els.map(e => e.querySelector('title') && e.querySelector('title').textContent)"
    )
    assert names and all(re.search(r"\$[\d.,]+ on 20\d\d-\d\d-\d\d", n or "") for n in names)


# Each legend key's colour beside the colour of the line it names, and the page's background.
LEGEND_KEYS = """() => [...document.querySelectorAll('svg.chart')].flatMap(svg => {
  const legend = svg.nextElementSibling;
  const page = getComputedStyle(document.body).backgroundColor;
  return [...legend.querySelectorAll('.swatch')].map(key => {
    const series = [...key.classList].find(c => c.startsWith('series-'));
    const line = svg.querySelector('.line.' + series);
    return {series, key: getComputedStyle(key).backgroundColor,
            line: line && getComputedStyle(line).stroke, page};
  });
})"""
COLOUR_MODES = {
    "light": {"color_scheme": "light"},
    "dark": {"color_scheme": "dark"},
    "forced-light": {"color_scheme": "light", "forced_colors": "active"},
    "forced-dark": {"color_scheme": "dark", "forced_colors": "active"},
}


@pytest.mark.parametrize("mode", sorted(COLOUR_MODES))
def test_every_chart_legend_key_shows_its_lines_colour(browser, site_url: str, mode: str) -> None:
    """A legend says which line is which by colour alone. Windows' high-contrast themes
    (forced colours) repaint every background with the theme's one background colour, so keys
    drawn as backgrounds vanished while the lines kept their colours: a legend of bare words."""
    context = browser.new_context(**COLOUR_MODES[mode])
    tab = context.new_page()
    keys = []
    for kind in ("explainer-chart", "model", "calculator"):
        arrive(tab, site_url, kind)
        keys += [(kind, k) for k in tab.evaluate(LEGEND_KEYS)]
    context.close()
    assert len(keys) >= 7
    for kind, key in keys:
        assert key["line"] == key["key"] != key["page"], f"{mode}, {kind}: {key}"
