"""Printing pages in Debian's chromium: paper gets the light palette, whatever the screen uses."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser

PRINTED = {
    "explainer": "/learn/vram/",
    "explainer-chart": "/learn/cost-of-running-a-model/",
    "model": "/models/llama-3-1-8b/",
    "prices": "/prices/",
    "calculator": "/calculator/",
}

# Every painted colour of every element, so a dark-scheme rule anywhere shows up as a difference.
COLOURS = """() => [...document.querySelectorAll('*')].map((e, i) => {
  const s = getComputedStyle(e);
  return [i + ' ' + e.tagName.toLowerCase() + (e.className && typeof e.className === 'string'
            ? '.' + e.className.trim().split(/\\s+/).join('.') : ''),
          s.color, s.backgroundColor, s.borderTopColor, s.fill, s.stroke].join(' | ');
})"""


@pytest.mark.parametrize("kind", sorted(PRINTED))
def test_a_page_prints_in_the_light_palette_from_a_dark_screen(
    page, dark_page, site_url: str, kind: str
) -> None:
    """A reader whose system is dark prints on white paper: light-grey text meant for a dark
    screen, or dark panels, would be faint or black-on-navy there. So the dark palette is for
    screens only, and a printed page is the same in both schemes, element by element."""
    printed = []
    for tab in (page, dark_page):
        tab.emulate_media(media="print")
        tab.goto(site_url + PRINTED[kind])
        printed.append(tab.evaluate(COLOURS))
    light, dark = printed
    assert len(light) == len(dark)
    differing = [f"{a}\n  dark: {b}" for a, b in zip(light, dark, strict=True) if a != b]
    assert differing == [], f"{kind}: {len(differing)} elements differ, first: {differing[:3]}"


# Everything a page holds that paper would not show: content hidden from the print layout
# (a closed <details>, say) although it is in the page for a reader on screen.
UNPRINTED = """() => [...document.querySelectorAll('main details > :not(summary)')]
  .filter(e => !e.checkVisibility())
  .map(e => e.tagName.toLowerCase() + ' in details.' + e.parentElement.className)"""


@pytest.mark.parametrize("kind", sorted(PRINTED))
def test_a_printed_page_carries_what_its_disclosures_hold(page, site_url: str, kind: str) -> None:
    """Paper cannot be clicked: a chart's numbers behind a closed "The numbers behind the
    chart" would print as that one line, and a printed chart whose figures are not readable
    off the axes is only a picture. So print opens every disclosure."""
    page.emulate_media(media="print")
    page.goto(site_url + PRINTED[kind])
    page.wait_for_load_state("networkidle")
    assert page.evaluate(UNPRINTED) == [], kind
    if kind in ("explainer-chart", "model", "calculator"):
        rows = page.locator(".chart-numbers tbody tr").first
        assert rows.is_visible(), f"{kind}: the chart's table does not print"
