"""Every page of the shipped site on a phone: nothing wider than the screen, a whole header.

Checked on every HTML file the build writes, not on one page per kind: a wide Markdown table,
a long code line or an email's table shows up on the one page that has it. At 320 px, the
narrowest phone screen in use: the stylesheets change the layout only from 40rem up, so a
page that fits 320 px fits every phone width above it. The header is the same markup on every
page, so its links are checked once per set of stylesheets, not on all 150 pages.
"""

from __future__ import annotations

from pathlib import Path

import pytest

pytestmark = pytest.mark.browser

WIDTH = 320
HEIGHT = 740
MOVED = 'http-equiv="refresh"'  # an alias's redirect page navigates away as it loads

# Measures each header nav link's box, grown by its focus ring, against the screen and any
# ancestor whose overflow clips it: once unfocused, and again each time a link takes focus
# (focus would scroll a clipping nav to show the link). Returns the unfocused problems and
# starts recording what `FOCUSED` returns.
WATCH_NAV = """() => {
  const clipped = (link, ring) => {
    const W = document.documentElement.clientWidth;
    const r = link.getBoundingClientRect();
    const box = {left: r.left - ring, right: r.right + ring, top: r.top - ring,
                 bottom: r.bottom + ring};
    const cuts = [];
    if (box.left < 0 || box.right > W) cuts.push(`the screen (${W}px)`);
    for (let e = link.parentElement; e && e !== document.body; e = e.parentElement) {
      const style = getComputedStyle(e);
      if (style.overflowX === 'visible' && style.overflowY === 'visible') continue;
      const c = e.getBoundingClientRect();
      if (box.left < c.left || box.right > c.right || box.top < c.top || box.bottom > c.bottom) {
        cuts.push(`${e.tagName.toLowerCase()}.${e.className} (overflow ${style.overflowX})`);
      }
    }
    return cuts.length ? `${link.textContent.trim()} ${Math.round(box.left)}-` +
      `${Math.round(box.right)}px, cut by ${cuts.join(', ')}` : null;
  };
  const links = [...document.querySelectorAll('.site-nav a')];
  window.navFocus = [];
  document.addEventListener('focusin', event => {
    const index = links.indexOf(event.target);
    if (index < 0) return;
    const style = getComputedStyle(event.target);
    const ring = style.outlineStyle === 'none' ? 0 :
      parseFloat(style.outlineWidth) + Math.max(0, parseFloat(style.outlineOffset));
    window.navFocus.push([index, clipped(event.target, ring)]);
  });
  return {count: links.length, problems: links.map(a => clipped(a, 0)).filter(p => p)};
}"""

# Each box that scrolls sideways (a wide table's, a code block with a long line, anything
# else) but that a keyboard cannot reach or a screen reader cannot name: it must be a region
# that takes focus, labelled by text on the page.
MUTE_SCROLLERS = """() => [...document.body.querySelectorAll('*')]
  .filter(box => ['auto', 'scroll'].includes(getComputedStyle(box).overflowX))
  .filter(box => box.scrollWidth > box.clientWidth)
  .filter(box => {
    const by = box.getAttribute('aria-labelledby');
    const name = by ? document.getElementById(by)?.textContent : box.getAttribute('aria-label');
    return !(box.tabIndex === 0 && box.getAttribute('role') === 'region' && name?.trim());
  })
  .map(box => `${box.tagName.toLowerCase()}.${box.className}: ` +
    box.textContent.trim().slice(0, 40))"""


STYLESHEETS = "[...document.querySelectorAll('link[rel=stylesheet]')].map(l => l.href)"


def _pages(site: Path) -> list[str]:
    """The URL path of every HTML file in the build, except redirect pages."""
    urls = []
    for file in sorted(site.rglob("*.html")):
        if MOVED in file.read_text(encoding="utf-8"):
            continue
        path = "/" + file.relative_to(site).as_posix()
        urls.append(path.removesuffix("index.html"))
    return urls


def _nav_problems(tab) -> list[str]:
    """Each header nav link that is not wholly on screen, unfocused, and again as the Tab key
    reaches it, with its focus ring; and each link the Tab key does not reach in order."""
    watched = tab.evaluate(WATCH_NAV)
    count = watched["count"]
    if count == 0:
        return ["no header nav links"]
    tab.focus(".skip-link")  # where a reader's Tab starts, whatever a page focuses as it loads
    for _ in range(count + 1):  # the wordmark comes first
        tab.keyboard.press("Tab")
    focused = tab.evaluate("window.navFocus")
    problems = list(watched["problems"])
    problems += ["focused: " + problem for _, problem in focused if problem]
    order = [index for index, _ in focused]
    if order != list(range(count)):
        problems.append(f"the Tab key reaches the nav links in the order {order}")
    return problems


def test_every_page_fits_a_phone_and_shows_its_whole_header(
    browser, shipped_site: Path, site_url: str
) -> None:
    """No page scrolls sideways: a wide table or a long code line scrolls inside its own box,
    which the keyboard reaches and a screen reader names. Every header nav link and its focus
    ring lie inside the screen, reached by the Tab key."""
    width = WIDTH
    pages = _pages(shipped_site)
    assert len(pages) > 100, pages
    context = browser.new_context(viewport={"width": width, "height": HEIGHT})
    tab = context.new_page()
    wide: list[str] = []
    mute: list[str] = []
    header: list[str] = []
    styled: set[tuple[str, ...]] = set()
    for url in pages:
        tab.goto(site_url + url, wait_until="load")
        scroll = tab.evaluate("document.documentElement.scrollWidth")
        if scroll > width:
            wide.append(f"{url}: {scroll}px")
        mute += [f"{url}: {box}" for box in tab.evaluate(MUTE_SCROLLERS)]
        sheets = tuple(tab.evaluate(STYLESHEETS))
        if sheets not in styled and tab.locator(".site-header").count():
            styled.add(sheets)
            header += [f"{url}: {problem}" for problem in _nav_problems(tab)]
    context.close()
    assert not wide and not mute and not header, (
        f"at {width}px, {len(wide)} pages scroll sideways: {wide}; "
        f"{len(mute)} scrolling boxes a keyboard or screen reader misses: {mute[:10]}; "
        f"{len(header)} header problems: {header[:10]}"
    )
