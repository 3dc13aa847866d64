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
    params_header = page.locator("#model-table thead th").nth(3)
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


def test_on_a_phone_the_first_rows_memory_and_smallest_gpu_show_without_sideways_scroll(
    browser, site_url: str
) -> None:
    context = browser.new_context(viewport={"width": 390, "height": 844})
    tab = context.new_page()
    tab.goto(f"{site_url}/models/")
    first = tab.locator("#model-table tbody tr").first
    boxes = [first.locator(s).bounding_box() for s in ("th", "td.num >> nth=0", "td.gpu")]
    scrolled = tab.evaluate("document.querySelector('#model-table').parentElement.scrollLeft")
    context.close()
    assert scrolled == 0
    for box in boxes:
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 390, boxes


def test_filters_live_in_the_address(page, site_url: str) -> None:
    page.goto(f"{site_url}/models/")
    page.fill("#filter-min", "30")
    page.fill("#filter-max", "80")
    page.select_option("#filter-gpu", "rtx-4090")
    page.wait_for_function("location.search.includes('gpu=rtx-4090')")
    assert "min=30" in page.url and "max=80" in page.url
    page.reload()
    assert page.input_value("#filter-min") == "30"
    assert page.input_value("#filter-gpu") == "rtx-4090"
    shown = names(page)
    assert shown and "Llama 3.1 8B" not in shown and "DeepSeek-V3" not in shown
    page.click("button[type=reset]")
    page.wait_for_function("location.search === ''")


def test_an_impossible_range_says_why_nothing_shows(page, site_url: str) -> None:
    page.goto(f"{site_url}/models/?min=100&max=10")
    assert names(page) == []
    page.locator("#model-status").filter(has_text="larger than").wait_for()
