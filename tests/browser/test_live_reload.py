"""Live preview in Debian's chromium: a saved edit reloads the page by itself; CSS in place."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import assemble_site
from tests.serving import LORA, Served, edit

pytestmark = pytest.mark.browser


def wait_for_livereload(page) -> None:
    page.wait_for_function(
        "window.LiveReload && window.LiveReload.connector.socket"
        " && window.LiveReload.connector.socket.readyState === 1"
        " && window.LiveReload.connector.protocol > 0"
    )
    page.wait_for_timeout(200)  # the client says who it is right after the handshake


# `served` comes before `page` in every signature: fixtures are torn down in reverse, so the
# browser page closes before the server stops, and its live-reload client never sees a refused
# connection (which the page fixture rightly counts as a console error).
def test_saving_a_page_reloads_it_in_the_browser(served: Served, page) -> None:
    page.goto(f"http://127.0.0.1:{served.port}/learn/lora-basics/")
    wait_for_livereload(page)
    page.evaluate("window.__beforeReload = true")
    edit(
        served.site,
        "content/learn/lora-basics.md",
        "LoRA keeps the model frozen",
        "LoRA edited live",
    )
    page.wait_for_selector("text=LoRA edited live", timeout=10_000)
    assert page.evaluate("window.__beforeReload === undefined")  # a real reload happened


def test_a_stylesheet_edit_is_swapped_in_without_a_reload(served: Served, page) -> None:
    page.goto(f"http://127.0.0.1:{served.port}/learn/")
    wait_for_livereload(page)
    page.evaluate("window.__beforeReload = true")
    css = served.site / "static" / "css" / "site.css"
    css.write_text(css.read_text() + "\nbody { outline: 7px solid rgb(1, 2, 3); }\n")
    page.wait_for_function(
        "getComputedStyle(document.body).outlineColor === 'rgb(1, 2, 3)'", timeout=10_000
    )
    assert page.evaluate("window.__beforeReload === true")  # same document, new stylesheet


def test_the_error_overlay_appears_and_clears(served: Served, page) -> None:
    page.goto(f"http://127.0.0.1:{served.port}/learn/lora-basics/")
    wait_for_livereload(page)
    source = served.site / "content" / "learn" / "lora-basics.md"
    original = source.read_text()
    source.write_text(original.replace("date: 2026-11-05", "date: 2026-02-30"))
    overlay = page.wait_for_selector("#spanvero-overlay", timeout=10_000)
    assert "content/learn/lora-basics.md:5:1 E206" in overlay.inner_text()
    assert "Showing the last good build underneath." in overlay.inner_text()
    source.write_text(original)
    page.wait_for_selector("#spanvero-overlay", state="detached", timeout=10_000)


def test_the_overlay_says_when_nothing_is_built_yet(tmp_path: Path, browser) -> None:
    """A first build that fails leaves nothing underneath: the overlay does not claim a last
    good build. (A page of its own: the 404 under the overlay is the point, not an error.)"""
    site = assemble_site(tmp_path / "site", "basic")
    edit(site, LORA, "date: 2026-11-05", "date: 2026-02-30")
    served = Served(site, "--port", "0")
    context = browser.new_context()
    try:
        page = context.new_page()
        page.goto(f"http://127.0.0.1:{served.port}/learn/lora-basics/")
        text = page.wait_for_selector("#spanvero-overlay", timeout=10_000).inner_text()
        assert "Nothing is built yet: the site shows once they are fixed." in text
        assert "last good build" not in text
    finally:
        context.close()
        assert served.stop() == 0
