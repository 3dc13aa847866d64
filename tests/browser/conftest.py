"""Browser fixtures: the shipped site built once, served on loopback, and Debian's chromium.

Chromium comes from Debian (`apt-get install chromium`), never from a Playwright download. On a
developer machine without it these tests skip; under CI=true a missing browser is a failure.
"""

from __future__ import annotations

import functools
import http.server
import os
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def _require_chromium() -> None:
    if CHROMIUM.exists():
        return
    message = f"Debian's chromium is not installed at {CHROMIUM} (apt-get install chromium)"
    if os.environ.get("CI"):
        pytest.fail(message + ": browser tests may not skip in CI")
    pytest.skip(message)


STRICT_CSP = "default-src 'self'"


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    policy: str | None = None

    def end_headers(self) -> None:
        if self.policy:
            self.send_header("Content-Security-Policy", self.policy)
        super().end_headers()

    def log_message(self, format: str, *args: object) -> None:
        pass


def _serve(folder: Path, policy: str | None) -> Iterator[str]:
    handler_class = type("Handler", (_QuietHandler,), {"policy": policy})
    handler = functools.partial(handler_class, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


@pytest.fixture(scope="session")
def site_url(shipped_site: Path) -> Iterator[str]:
    """The shipped site on loopback, as a plain static host serves it."""
    yield from _serve(shipped_site, None)


@pytest.fixture(scope="session")
def csp_site_url(shipped_site: Path) -> Iterator[str]:
    """The shipped site served with a strict Content-Security-Policy (default-src 'self')."""
    yield from _serve(shipped_site, STRICT_CSP)


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    _require_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
        )
        yield instance
        instance.close()


def _watched_page(browser, **options: object) -> Iterator[object]:
    """A fresh page that fails the test on any console error or uncaught exception."""
    context = browser.new_context(**options)
    tab = context.new_page()
    errors: list[str] = []
    tab.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    tab.on("pageerror", lambda exc: errors.append(str(exc)))
    yield tab
    context.close()
    assert errors == [], f"console errors: {errors}"


@pytest.fixture
def page(browser) -> Iterator[object]:
    yield from _watched_page(browser)


@pytest.fixture
def dark_page(browser) -> Iterator[object]:
    """Like `page`, in the dark colour scheme."""
    yield from _watched_page(browser, color_scheme="dark")


@pytest.fixture
def nojs_page(browser) -> Iterator[object]:
    context = browser.new_context(java_script_enabled=False)
    yield context.new_page()
    context.close()
