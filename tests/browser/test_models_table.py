"""The /models/ table in Debian's chromium: sorting, filters, announcements, and no-JS reading."""

from __future__ import annotations

import pytest
import yaml

from tests.conftest import REPO

pytestmark = pytest.mark.browser


def by_size() -> list[str]:
    """The shipped models' names from fewest parameters to most, read from their data files."""
    models = [
        yaml.safe_load(p.read_text()) for p in sorted((REPO / "content/models").glob("*.yaml"))
    ]
    return [m["name"] for m in sorted(models, key=lambda m: m["params_b"])]


def names(page) -> list[str]:
    return page.locator("#model-table tbody tr:not([hidden]) th").all_inner_texts()


def test_sorting_by_keyboard_and_announced(page, site_url: str) -> None:
    page.goto(f"{site_url}/models/")
    params_header = page.locator("#model-table thead th").nth(2)
    params_header.locator("button").focus()
    page.keyboard.press("Enter")
    assert params_header.get_attribute("aria-sort") == "ascending"
    smallest, largest = by_size()[0], by_size()[-1]
    assert names(page)[0] == smallest and names(page)[-1] == largest
    page.keyboard.press("Enter")
    assert params_header.get_attribute("aria-sort") == "descending"
    assert names(page)[0] == largest
    status = page.locator("#model-status")
    status.filter(has_text="Sorted by Parameters").wait_for()
    assert "descending" in status.inner_text()


def test_filters_by_gpu_licence_and_size(page, site_url: str) -> None:
    page.goto(f"{site_url}/models/")
    total = len(names(page))
    page.select_option("#filter-gpu", "rtx-4090")
    fitting = names(page)
    assert "Llama 3.1 8B" in fitting and "Llama 3.1 70B" not in fitting
    assert 0 < len(fitting) < total
    page.locator("#model-status").filter(has_text=f"{len(fitting)} of {total} models").wait_for()
    page.select_option("#filter-gpu", "")
    page.select_option("#filter-license", "Apache License 2.0")
    assert "Mistral 7B v0.3" in names(page) and "Llama 3.1 8B" not in names(page)
    page.select_option("#filter-license", "")
    page.fill("#filter-min", "30")
    page.fill("#filter-max", "80")
    shown = names(page)
    assert "Qwen2.5 32B" in shown and "Llama 3.1 8B" not in shown and "DeepSeek-V3" not in shown
    page.click("button[type=reset]")
    page.wait_for_function(
        f"document.querySelectorAll('#model-table tbody tr:not([hidden])').length === {total}"
    )


def test_reads_fully_without_javascript(nojs_page, site_url: str) -> None:
    nojs_page.goto(f"{site_url}/models/")
    rows = nojs_page.locator("#model-table tbody tr")
    assert rows.count() >= 16
    assert not nojs_page.locator("#model-filters").is_visible()
    assert "Llama 3.1 8B" in nojs_page.locator("#model-table").inner_text()
