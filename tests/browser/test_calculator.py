"""The calculator in Debian's chromium: live results, shareable URLs, inline errors, no-JS table."""

from __future__ import annotations

import itertools
import re
import time
from dataclasses import replace
from urllib.parse import parse_qs, quote

import pytest

from spanvero_site.core.formatting import amount, money
from spanvero_site.data import costs
from spanvero_site.sections.calculator import inputs
from spanvero_site.sections.calculator import views as calculator_views
from tests.integration.test_advisor_vectors import shipped, shipped_defaults
from tests.unit.test_formatting import reads_as_zero

pytestmark = pytest.mark.browser


def results_text(page) -> str:
    return page.locator("#calc-output").inner_text()


def test_prerendered_default_equals_the_script_result(page, nojs_page, site_url: str) -> None:
    nojs_page.goto(f"{site_url}/calculator/")
    static = results_text(nojs_page)
    page.goto(f"{site_url}/calculator/")
    page.wait_for_selector("#calc-form:not([hidden])")
    assert results_text(page) == static
    assert "Cheapest option that fits" in static
    assert page.url.endswith("/calculator/")  # defaults need no query string


def test_changing_inputs_updates_results_and_url(page, site_url: str) -> None:
    page.goto(f"{site_url}/calculator/")
    page.fill("#calc-out", "50")
    page.wait_for_function("location.search.includes('out=50')")
    assert "20M input and 50M output tokens" in page.locator("#calc-table caption").inner_text()
    page.select_option("#calc-billing", "always-on")
    page.wait_for_function("location.search.includes('billing=always-on')")
    assert "always on" in results_text(page)
    page.select_option("#calc-gpu", "rtx-3090")
    assert page.input_value("#calc-hw") == "1499"  # the GPU's own price follows the choice
    assert "NVIDIA GeForce RTX 3090 (yours)" in results_text(page)


def test_a_shared_url_restores_the_scenario(page, site_url: str) -> None:
    page.goto(f"{site_url}/calculator/?model=mixtral-8x7b&precision=q4_k_m&gpu=h100-pcie&conc=8")
    assert page.input_value("#calc-model") == "mixtral-8x7b"
    assert page.input_value("#calc-precision") == "q4_k_m"
    assert page.input_value("#calc-conc") == "8"
    text = results_text(page)
    assert "NVIDIA H100 PCIe (yours)" in text
    shared = page.get_attribute("#calc-share", "href")
    assert "model=mixtral-8x7b" in shared and "conc=8" in shared


@pytest.mark.parametrize("typed", ["0.0000001", "0.00000025"])
def test_the_address_it_shares_opens_the_same_scenario_however_small_or_large(
    page, site_url: str, typed: str
) -> None:
    """The share link writes a number in the digits its own form reads back: String() would
    write 1e-7, which the form refuses as not a number."""
    page.goto(f"{site_url}/calculator/")
    page.fill("#calc-out", typed)
    page.wait_for_selector(f"#calc-output[data-calc-shows='out={typed}']")
    shared = page.get_attribute("#calc-share", "href")
    assert shared == f"/calculator/?out={typed}"
    page.goto(f"{site_url}{shared}")
    assert page.input_value("#calc-out") == typed
    assert page.get_attribute("#calc-out", "aria-invalid") is None
    page.wait_for_selector(f"#calc-output[data-calc-shows='out={typed}']")


def test_model_pages_link_to_a_preselected_calculator(page, site_url: str) -> None:
    page.goto(f"{site_url}/models/qwen2-5-7b/")
    page.click("text=Compare the cost of running Qwen2.5 7B")
    page.wait_for_url(re.compile(r".*/calculator/\?model=qwen2-5-7b$"))
    assert page.input_value("#calc-model") == "qwen2-5-7b"


def test_a_model_page_opens_the_calculator_at_a_context_the_model_reads(
    page, site_url: str
) -> None:
    """Phi-3-mini reads 4,096 tokens: its link carries that context, so the calculator opens
    without an error and with Phi-3's own figures."""
    page.goto(f"{site_url}/models/phi-3-mini/")
    page.click("text=Compare the cost of running Phi-3-mini-4k-instruct")
    page.wait_for_url(re.compile(r".*/calculator/\?model=phi-3-mini&ctx=4096$"))
    assert page.input_value("#calc-ctx") == "4096"
    assert page.get_attribute("#calc-ctx", "aria-invalid") is None
    assert page.locator("#calc-ctx-error").inner_text() == ""
    assert "stale" not in (page.get_attribute("#calc-output", "class") or "")
    assert "Phi-3-mini-4k-instruct" in page.locator("#cost-chart title").text_content()


def test_choosing_a_model_that_reads_less_sets_its_longest_context_and_says_so(
    page, site_url: str
) -> None:
    page.goto(f"{site_url}/calculator/")
    page.select_option("#calc-model", "phi-3-mini")
    assert page.input_value("#calc-ctx") == "4096"
    assert page.locator("#calc-ctx-note").inner_text() == (
        "Phi-3-mini-4k-instruct reads at most 4,096 tokens, so the context is set to that."
    )
    assert page.get_attribute("#calc-ctx", "aria-invalid") is None
    page.wait_for_function("location.search.includes('model=phi-3-mini')")
    assert "ctx=4096" in page.url
    assert "stale" not in (page.get_attribute("#calc-output", "class") or "")
    page.select_option("#calc-model", "llama-3-1-8b")  # it can take 8K again: it gets it back
    assert page.input_value("#calc-ctx") == "8192"
    assert page.locator("#calc-ctx-note").inner_text() == ""


def test_an_address_with_a_context_the_model_cannot_read_opens_at_its_longest(
    page, site_url: str
) -> None:
    for query in ("model=phi-3-mini", "model=phi-3-mini&ctx=8192"):
        page.goto(f"{site_url}/calculator/?{query}")
        assert page.input_value("#calc-ctx") == "4096", query
        assert "reads at most 4,096 tokens" in page.locator("#calc-ctx-note").inner_text()
        assert page.get_attribute("#calc-ctx", "aria-invalid") is None
        assert "Phi-3-mini-4k-instruct" in page.locator("#cost-chart title").text_content()


def test_an_address_the_calculator_refuses_shows_no_other_models_figures(
    page, site_url: str
) -> None:
    page.goto(f"{site_url}/calculator/?model=phi-3-mini&out=0")
    assert page.get_attribute("#calc-out", "aria-invalid") == "true"
    assert results_text(page) == (
        "Fix the highlighted field to see the results for Phi-3-mini-4k-instruct."
    )
    assert not page.locator("#calc-answer").is_visible()
    assert not page.locator("#calc-chart").is_visible()
    page.fill("#calc-out", "5")
    assert page.locator("#calc-answer").is_visible()
    assert "Phi-3-mini-4k-instruct" in page.locator("#cost-chart title").text_content()


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("#calc-in", "", "Enter a value."),
        ("#calc-out", "-5", "Enter a number that is not negative."),
        ("#calc-in", "abc", "Enter a number, using digits only."),
        ("#calc-hours", "30", "Enter at most 24."),
        ("#calc-ctx", "999999999", "Enter at most 131,072 (Llama 3.1 8B’s longest context)."),
        ("#calc-conc", "1.5", "Enter a whole number."),
        ("#calc-hw", "1e400", "Enter a smaller number."),
    ],
)
def test_bad_input_gets_an_inline_message_not_nan(
    page, site_url: str, field: str, value: str, message: str
) -> None:
    page.goto(f"{site_url}/calculator/")
    before = results_text(page)
    page.fill(field, value)
    error = page.locator(f"{field}-error")
    assert error.inner_text() == message
    assert page.get_attribute(field, "aria-invalid") == "true"
    text = results_text(page)
    assert "NaN" not in text and "undefined" not in text and text == before
    page.fill(field, "8")
    assert error.inner_text() == ""


COMMA = "Write decimals with a point (0.15); a comma only separates thousands (1,500)."


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("#calc-in", "0,15"),
        ("#calc-out", "1,5"),
        ("#calc-kwh", "0,15"),
        ("#calc-hw", "1599,00"),
        ("#calc-hours", "7,5"),
        ("#calc-conc", "0,150"),
        ("#calc-ctx", "8,19"),
    ],
)
def test_a_decimal_comma_is_refused_not_read_as_a_thousands_separator(
    page, site_url: str, field: str, value: str
) -> None:
    """ "0,15" is a European 0.15: dropping the comma read it as 15, a figure a hundred times
    too large, with no word to the reader. A comma is only taken where it groups thousands."""
    page.goto(f"{site_url}/calculator/")
    page.wait_for_selector("#calc-form:not([hidden])")
    page.fill(field, value)
    assert page.locator(f"{field}-error").inner_text() == COMMA
    assert page.get_attribute(field, "aria-invalid") == "true"
    assert page.evaluate("location.search") == ""


@pytest.mark.parametrize(
    ("field", "value", "query"),
    [
        ("#calc-in", "1,000", "in=1000"),
        ("#calc-hw", "2,500.50", "hw=2500.5"),
        ("#calc-ctx", "16,384", "ctx=16384"),
    ],
)
def test_a_comma_between_groups_of_three_digits_groups_thousands(
    page, site_url: str, field: str, value: str, query: str
) -> None:
    page.goto(f"{site_url}/calculator/")
    page.wait_for_selector("#calc-form:not([hidden])")
    page.fill(field, value)
    assert page.locator(f"{field}-error").inner_text() == ""
    page.wait_for_function(f"location.search.includes({query!r})")


# Texts a reader or a link may put in a number field: decimal commas, grouped thousands, and
# the forms the form's number rule takes or refuses at its edges.
NUMBER_TEXTS = (
    "0,15",
    "1,5",
    "0,150",
    "12,34,567",
    "1,0000",
    "1,000",
    "1,000.5",
    "2,500.50",
    "16,384",
    " 7 ",
    "1.",
    ".5",
    "1e3",
    "1e-3",
    "2.5E+2",
    "1e-",
    "e3",
    "-2",
    "$2.50",
    "",
)


def test_the_build_reads_a_number_in_a_link_as_the_page_does(page, site_url: str) -> None:
    """Every link the site makes into the calculator is checked at build time by
    calculator/inputs.py, which must read a number as the page's form reads it: a text one
    takes, the other takes as the same number, and one refuses, the other refuses."""
    _, catalog, prices, _ = shipped()
    defaults = shipped_defaults(catalog, prices)
    for text in NUMBER_TEXTS:
        link = f"/calculator/?in={quote(text)}"
        page.goto(site_url + link)
        page.wait_for_selector("#calc-form:not([hidden])")
        taken = page.get_attribute("#calc-in", "aria-invalid") is None
        assert taken == (inputs.link_problems(link, catalog, defaults) == []), text
        if taken:
            shown = parse_qs(page.evaluate("location.search").lstrip("?")).get("in", ["20"])
            assert float(shown[0]) == inputs.parse_text("input_mtok", text), text


def test_several_macs_that_each_hold_the_model_are_not_called_too_small(
    page, site_url: str
) -> None:
    """One 96 GB Mac holds Llama 3.1 8B; two are not combined to run one model. The row said
    "does not fit" and the note "it needs about 18.1 GiB on one GPU", beside 72 GiB usable."""
    page.goto(f"{site_url}/calculator/?gpu=mac-studio-m3-ultra-96gb&gpus=2")
    page.wait_for_selector("#calc-form:not([hidden])")
    mac = "Apple Mac Studio (2025), M3 Ultra 28-core CPU / 60-core GPU, 96 GB"
    row = page.locator("#calc-table tbody tr").nth(1).inner_text().split("\t")
    assert row[:2] == [f"2× {mac} (yours)", "No: Macs are not combined"]
    notes = page.locator("#calc-notes").inner_text()
    assert "does not fit" not in notes
    assert (
        f"Macs are not combined to run one model: one {mac} holds it (it needs about 18.1 GiB), "
        "so set How many to 1 to see what it costs." in notes
    )
    page.select_option("#calc-gpus", "1")
    row = page.locator("#calc-table tbody tr").nth(1).inner_text().split("\t")
    assert row[:2] == [f"{mac} (yours)", "Yes"]


def test_every_count_in_the_results_groups_its_thousands(page, site_url: str) -> None:
    """A workload far beyond the hardware: "would take 2585408× ..." read as one long digit
    string where every other figure on the page groups its thousands."""
    page.goto(f"{site_url}/calculator/?in=1000000&out=1000000&hours=0.1")
    page.wait_for_selector("#calc-form:not([hidden])")
    text = results_text(page)
    assert "Too slow: would take" in text
    names = page.evaluate(
        "Object.values(JSON.parse(document.getElementById('calc-data').textContent).gpus)"
        ".map(g => g.name)"
    )
    for name in sorted(names, key=len, reverse=True):  # "RTX 4090" is a name, not a count
        text = text.replace(name, "")
    assert re.findall(r"\d{4,}", text) == []


def test_without_javascript_the_default_table_shows(nojs_page, site_url: str) -> None:
    nojs_page.goto(f"{site_url}/calculator/")
    assert not nojs_page.locator("#calc-form").is_visible()
    assert nojs_page.locator("#calc-nojs").is_visible()
    rows = nojs_page.locator("#calc-table tbody tr")
    assert rows.count() > 5
    assert "Hosted API" in results_text(nojs_page)


def test_choosing_an_h100_after_an_rtx_4090_sets_the_h100s_own_price(page, site_url: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(f"{site_url}/calculator/")
    page.select_option("#calc-gpu", "rtx-4090")
    assert page.input_value("#calc-hw") == "1599"
    page.select_option("#calc-gpu", "h100-pcie")
    h100 = page.evaluate(
        "JSON.parse(document.getElementById('calc-data').textContent).gpus['h100-pcie']"
    )
    expected = h100["price_usd"]
    assert expected > 0
    assert float(page.input_value("#calc-hw")) == expected, "never the previous GPU's price"
    page.select_option("#calc-gpus", "2")
    assert float(page.input_value("#calc-hw")) == 2 * expected
    assert f"2× {h100['name']} (yours)" in results_text(page)
    page.wait_for_function("location.search.includes('gpu=h100-pcie')")


def test_a_gpu_without_a_price_can_only_be_rented(page, site_url: str) -> None:  # type: ignore[no-untyped-def]
    """The H100 SXM has no public price: it is no choice for your own hardware, an address naming
    it keeps the default, and the page says it can only be rented."""
    page.goto(f"{site_url}/calculator/?gpu=h100-sxm&gpus=1")
    options = page.eval_on_selector_all("#calc-gpu option", "els => els.map(e => e.value)")
    assert "h100-sxm" not in options and "h100-pcie" in options
    assert page.input_value("#calc-gpu") == "rtx-4090"
    assert page.input_value("#calc-hw") == "1599"
    assert "NVIDIA H100 SXM (yours)" not in results_text(page)
    note = page.locator("#calc-gpu-note").inner_text()
    assert "NVIDIA H100 SXM" in note and "can only be rented" in note


def test_zero_output_tokens_is_an_input_error_not_a_free_answer(page, site_url: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(f"{site_url}/calculator/")
    page.fill("#calc-out", "0")
    page.wait_for_selector("#calc-out[aria-invalid=true]")
    assert "Enter more than 0" in page.locator("#calc-out-error").inner_text()
    assert "stale" in (page.get_attribute("#calc-output", "class") or "")


def card(page) -> str:
    return page.locator("#calc-answer").inner_text()


def test_the_answer_card_is_in_the_first_phone_screen_and_equals_the_built_one(
    browser, nojs_page, site_url: str
) -> None:
    nojs_page.goto(f"{site_url}/calculator/")
    built = card(nojs_page)
    context = browser.new_context(viewport={"width": 390, "height": 844})
    tab = context.new_page()
    tab.goto(f"{site_url}/calculator/")
    tab.wait_for_selector("#calc-form:not([hidden])")
    tab.fill("#calc-out", "6")  # away and back: the default, redrawn by the script
    tab.wait_for_function("location.search.includes('out=6')")
    tab.fill("#calc-out", "5")
    tab.wait_for_function("!location.search.includes('out=')")
    figures = tab.locator("#calc-answer .summary-figures").bounding_box()
    live = card(tab)
    context.close()
    assert figures is not None and figures["y"] + figures["height"] <= 844, figures
    assert live == built
    assert "Per month" in built and "Per 1M output tokens" in built


def test_the_answer_card_and_the_chart_follow_the_inputs(page, site_url: str) -> None:
    page.goto(f"{site_url}/calculator/")
    page.wait_for_selector("#calc-form:not([hidden])")
    before, title = card(page), page.locator("#cost-chart title").text_content()
    rows = page.locator("#cost-curve-body tr").all_text_contents()
    page.fill("#calc-out", "500")
    page.wait_for_function("location.search.includes('out=500')")
    assert card(page) != before
    assert page.locator("#cost-curve-body tr").all_text_contents() != rows
    page.select_option("#calc-model", "mixtral-8x7b")
    page.wait_for_function(
        "document.querySelector('#cost-chart title').textContent.includes('Mixtral')"
    )
    assert page.locator("#cost-chart title").text_content() != title
    assert page.locator("#cost-chart polyline").count() >= 1


def test_the_built_chart_equals_the_redrawn_one(page, nojs_page, site_url: str) -> None:
    nojs_page.goto(f"{site_url}/calculator/")
    built = nojs_page.locator("#cost-chart").inner_html()
    rows = re.sub(r"\s+", "", nojs_page.locator("#cost-curve-body").text_content())
    # away from the default scenario and back, so the script computes and redraws it
    page.goto(f"{site_url}/calculator/")
    page.wait_for_selector("#calc-form:not([hidden])")
    page.fill("#calc-out", "6")
    page.wait_for_function("location.search.includes('out=6')")
    page.fill("#calc-out", "5")
    page.wait_for_function("!location.search.includes('out=')")
    assert re.sub(r"\s+", "", page.locator("#cost-curve-body").text_content()) == rows
    assert re.sub(r"\s+", "", page.locator("#cost-chart").inner_html()) == re.sub(r"\s+", "", built)


def test_the_script_renders_the_same_result_markup_as_the_template(
    page, nojs_page, site_url: str
) -> None:
    """calculator.js re-renders the results table for new inputs; back at the defaults it must
    be the built table, element for element (the phone cards' labels included)."""
    nojs_page.goto(f"{site_url}/calculator/")
    built = nojs_page.locator("#calc-table").evaluate("table => table.outerHTML")
    page.goto(f"{site_url}/calculator/")
    page.wait_for_selector("#calc-form:not([hidden])")
    page.fill("#calc-out", "6")
    page.wait_for_function("location.search.includes('out=6')")
    page.fill("#calc-out", "5")
    page.wait_for_function("!location.search.includes('out=')")
    assert page.locator("#calc-table").evaluate("table => table.outerHTML") == built
    assert 'data-label="Per month"' in built


# --- every result view shows the inputs' scenario, or says it is out of date -----------------

# The three views of one result: the answer card, the results (summary, table, notes) and the
# cost chart with its numbers. Each must show the scenario the form holds, whatever the order
# the page's scripts load and run in, or be marked out of date.
VIEWS = ("#calc-answer", "#calc-output", "#calc-chart")

SHOWN = """() => {
  const row = document.querySelector('#calc-table tr.cheapest');
  const model = document.getElementById('calc-model');
  return {
    card_option: (document.querySelector('#calc-answer .summary-option') || {}).textContent,
    card_month: (document.querySelector('#calc-answer dd') || {}).textContent || null,
    table_option: row ? row.querySelector('th').firstChild.textContent.trim() : null,
    table_month: row ? row.querySelector('td[data-label="Per month"]').textContent : null,
    summary: document.getElementById('calc-summary').textContent,
    chart_title: document.querySelector('#cost-chart title').textContent,
    model_name: model.options[model.selectedIndex].textContent,
  };
}"""

# What each view shows (the built markup and the script's differ only in whitespace and
# attribute order, so text, and the chart's markup without whitespace).
SNAPSHOT = """() => ({
  card: document.getElementById('calc-answer').innerText,
  results: document.getElementById('calc-output').innerText,
  chart: document.getElementById('cost-chart').innerHTML.replace(/\\s+/g, ''),
  curve: document.getElementById('cost-curve-body').textContent.replace(/\\s+/g, ''),
})"""


def view_marks(page) -> dict[str, dict[str, object]]:
    """How each view presents itself: dimmed, hidden from assistive technology, or current."""
    return page.evaluate(
        """views => Object.fromEntries(views.map(selector => {
          const view = document.querySelector(selector);
          let opacity = 1;
          for (let node = view; node; node = node.parentElement) {
            opacity *= parseFloat(getComputedStyle(node).opacity);
          }
          return [selector, {
            stale: view.classList.contains('stale'),
            inert: view.inert,
            dimmed: opacity < 1,
          }];
        }))""",
        list(VIEWS),
    )


RESULT_WORDS = re.compile(
    r"CHEAPEST OPTION THAT FITS$|Cheapest option that fits, keeps up|Nothing listed can run"
    r"|Monthly cost of .+ (input|against monthly volume)"
)


def result_words_heard(page) -> list[str]:
    """The texts of the result views that chromium's accessibility tree gives a screen reader:
    the card's heading (upper case, as the stylesheet shows it), the summary, the table's
    caption and the chart's name."""
    nodes = page.context.new_cdp_session(page).send("Accessibility.getFullAXTree")["nodes"]
    heard = [
        node["name"]["value"]
        for node in nodes
        if not node.get("ignored") and isinstance(node.get("name", {}).get("value"), str)
    ]
    return sorted({t for t in heard if RESULT_WORDS.match(t)})


def assert_views_agree(page) -> None:
    """The card, the chart and the table show one scenario, the form's, and none is stale."""
    page.wait_for_selector("#calc-form:not([hidden])")
    shown = page.evaluate(SHOWN)
    if shown["table_option"] is None:
        assert shown["card_option"] == "Nothing listed can run this workload."
        assert shown["summary"].startswith("Nothing listed can run this workload.")
    else:
        assert shown["card_option"] == shown["table_option"], shown
        assert shown["card_month"] == shown["table_month"], shown
        assert f"{shown['table_option']}</strong>, {shown['table_month']} a month" in (
            page.inner_html("#calc-summary")
        ).replace("&amp;", "&")
    assert shown["chart_title"] == f"Monthly cost of {shown['model_name']} against monthly volume"
    marks = view_marks(page)
    assert all(not m["stale"] and not m["inert"] and not m["dimmed"] for m in marks.values()), marks
    heard = result_words_heard(page)
    assert any(t.startswith("Monthly cost of") and "input" in t for t in heard), heard
    assert any(t.startswith(shown["chart_title"]) for t in heard), heard
    if shown["table_option"] is not None:
        assert "CHEAPEST OPTION THAT FITS" in heard, heard
    # Worked out again from the form as it stands, every view stays exactly as it was.
    before = page.evaluate(SNAPSHOT)
    page.fill("#calc-ctx", page.input_value("#calc-ctx"))
    assert page.evaluate(SNAPSHOT) == before


ADDRESSES = [
    # QA's report: a model, precision and GPU from an address
    "?model=qwen3-30b-a3b&precision=q4_k_m&gpu=rtx-3090",
    # a model page's "Compare the cost of running ..." link
    "?model=llama-3-3-70b",
    # the advisor's "Check the numbers in the calculator" links
    "?model=qwen2-5-72b&precision=q4_k_m&ctx=8192&hours=8&months=36&tier=on-demand"
    "&in=15&out=5&conc=1&gpu=h100-pcie&gpus=1&hw=0",
    "?model=qwen3-8b&precision=q4_k_m&ctx=8192&hours=8&months=36&tier=on-demand"
    "&in=750&out=250&conc=1&gpu=mac-studio-m2-ultra-64gb&gpus=1&hw=0",
    # rental settings, and the default spelled out
    "?tier=spot&billing=always-on&out=500",
    "?out=5",
]


@pytest.mark.parametrize("query", ADDRESSES)
def test_every_view_shows_the_scenario_of_the_address(page, site_url: str, query: str) -> None:
    page.goto(f"{site_url}/calculator/{query}")
    assert_views_agree(page)


@pytest.mark.parametrize(
    ("start", "link"),
    [
        ("/models/qwen3-30b-a3b/", "text=Compare the cost of running Qwen3 30B-A3B"),
        (
            "/advisor/?task=format&prompting=drifts&volume=medium&privacy=own-hardware"
            "&budget=mid&hardware=gpu-80",
            "text=Check the numbers in the calculator →",
        ),
        ("/advisor/where/any/provider-ok/mac-64/", "a:has-text('In the calculator →') >> nth=2"),
    ],
)
def test_a_link_into_the_calculator_opens_views_that_agree(
    page, site_url: str, start: str, link: str
) -> None:
    page.goto(f"{site_url}{start}")
    page.click(link)
    page.wait_for_url(re.compile(r".*/calculator/\?model="))
    assert_views_agree(page)


CALC_SCRIPTS = ("calculator", "charts", "calc-views")
SCRIPT_TAG = re.compile(
    r'(<script src="[^"]*/js/(calculator|charts|calc-views)\.[0-9a-f]+\.js" defer>'
    r"</script>\n)"
)


@pytest.mark.parametrize("mode", ["defer", "async"])
@pytest.mark.parametrize("order", list(itertools.permutations(CALC_SCRIPTS)))
def test_the_views_agree_whatever_order_the_scripts_run_in(
    page, site_url: str, order: tuple[str, ...], mode: str
) -> None:
    """The page's scripts put in every order: deferred (they run in document order, before
    DOMContentLoaded) and async (each held back 150 ms longer than the one before it, so they
    run in that order, the later ones after DOMContentLoaded)."""

    def reorder(route) -> None:  # type: ignore[no-untyped-def]
        html = route.fetch().text()
        tags = re.findall(SCRIPT_TAG, html)
        assert sorted(name for _, name in tags) == sorted(CALC_SCRIPTS)
        first = html.index(tags[0][0])
        for tag, _ in tags:
            html = html.replace(tag, "")
        scripts = "".join(tag for name in order for tag, named in tags if named == name)
        if mode == "async":
            scripts = scripts.replace(" defer>", " async>")
        route.fulfill(body=html[:first] + scripts + html[first:], content_type="text/html")

    def late(route) -> None:  # type: ignore[no-untyped-def]
        response = route.fetch()  # handlers run one at a time, in the order the page asks
        name = next(n for n in CALC_SCRIPTS if f"/js/{n}." in route.request.url)
        time.sleep(0.15 * order.index(name))
        route.fulfill(response=response)

    page.route(re.compile(r".*/calculator/\?.*"), reorder)
    if mode == "async":
        page.route(re.compile(r".*/js/(calculator|charts|calc-views)\.[0-9a-f]+\.js$"), late)
    page.goto(f"{site_url}/calculator/?model=qwen3-30b-a3b&precision=q4_k_m&gpu=rtx-3090")
    page.wait_for_load_state("load")
    shown = page.evaluate(
        f"() => ({{...({SHOWN})(), chart_stale: "
        "document.getElementById('calc-chart').classList.contains('stale')})"
    )
    assert shown["model_name"] == "Qwen3 30B-A3B"
    # At any moment a view shows the form's scenario or is marked out of date. A view whose
    # script ran last may be drawn by a listener that runs just after the "load" Playwright
    # reports, so the views are compared once every mark has cleared (a view never redrawn
    # keeps its mark, and this wait fails).
    if not shown["chart_title"].startswith(f"Monthly cost of {shown['model_name']} "):
        assert shown["chart_stale"], shown
    page.wait_for_function(
        "() => !document.querySelector('[data-calc-view].stale')", timeout=10_000
    )
    assert_views_agree(page)


def assert_all_stale(page) -> None:
    """Every view is dimmed and inert, and out of the browser's accessibility tree: the old
    figures are neither shown nor read out as the answer to the inputs."""
    marks = view_marks(page)
    assert all(m["stale"] and m["inert"] and m["dimmed"] for m in marks.values()), marks
    assert result_words_heard(page) == []


@pytest.mark.parametrize(
    ("field", "value"),
    [("#calc-out", "-5"), ("#calc-in", "abc"), ("#calc-precision", "mxfp4")],
)
def test_an_invalid_input_marks_every_view_out_of_date(
    page, site_url: str, field: str, value: str
) -> None:
    page.goto(f"{site_url}/calculator/?model=qwen3-30b-a3b&precision=q4_k_m&gpu=rtx-3090")
    assert_views_agree(page)
    good = page.input_value(field)
    if field == "#calc-precision":
        page.select_option("#calc-model", "llama-3-1-8b")
        page.select_option(field, value)
    else:
        page.fill(field, value)
    page.wait_for_selector(f"{field}[aria-invalid=true]")
    assert_all_stale(page)
    page.wait_for_function(
        "document.getElementById('calc-status').textContent.startsWith('Fix the highlighted')"
    )
    if field == "#calc-precision":
        page.select_option(field, good)
    else:
        page.fill(field, good)
    assert_views_agree(page)


@pytest.mark.parametrize("query", ["?out=-5", "?model=llama-3-1-8b&precision=mxfp4"])
def test_an_invalid_address_opens_with_every_view_out_of_date(
    page, site_url: str, query: str
) -> None:
    page.goto(f"{site_url}/calculator/{query}")
    page.wait_for_selector("#calc-form:not([hidden])")
    assert_all_stale(page)


@pytest.mark.parametrize(
    ("query", "message"),
    [
        (
            "model=llama-3-8b",
            "The link’s model=llama-3-8b is not one of the choices for “Model”, "
            "so the calculator opened with “Llama 3.1 8B”.",
        ),
        (
            "precision=q3",
            "The link’s precision=q3 is not one of the choices for “Precision”, "
            "so the calculator opened with “16-bit (bf16/fp16)”.",
        ),
        (
            "kv=q2",
            "The link’s kv=q2 is not one of the choices for “KV cache type”, "
            "so the calculator opened with “f16”.",
        ),
        (
            "gpu=h100-sxm",
            "The link’s gpu=h100-sxm is not one of the choices for “GPU or Mac”, "
            "so the calculator opened with “NVIDIA GeForce RTX 4090 (24.0 GiB)”.",
        ),
        (
            "gpus=3",
            "The link’s gpus=3 is not one of the choices for “How many”, "
            "so the calculator opened with “1”.",
        ),
        (
            "tier=reserved",
            "The link’s tier=reserved is not one of the choices for “Price tier”, "
            "so the calculator opened with “On-demand”.",
        ),
        (
            "billing=monthly",
            "The link’s billing=monthly is not one of the choices for “Billing”, "
            "so the calculator opened with “By the hour, only while working”.",
        ),
        (
            "ctx=4096&ctx=abc",
            "The link gives ctx more than once, so the calculator used the first, 4096.",
        ),
    ],
)
def test_an_address_value_the_form_cannot_take_is_named_not_dropped(
    page, site_url: str, query: str, message: str
) -> None:
    """A shared or mistyped link whose value the form has no place for opens with another
    value; the page says which, instead of passing the other figures off as the link's."""
    page.goto(f"{site_url}/calculator/?{query}")
    assert page.locator("#calc-link-note").inner_text() == message
    assert page.locator("#calc-link-note").is_visible()


def test_an_address_the_form_takes_whole_gets_no_link_note(page, nojs_page, site_url: str) -> None:
    page.goto(f"{site_url}/calculator/?model=phi-3-mini&gpus=2&tier=spot")
    assert not page.locator("#calc-link-note").is_visible()
    nojs_page.goto(f"{site_url}/calculator/?model=nope")
    assert not nojs_page.locator("#calc-link-note").is_visible()


def test_a_model_whose_only_api_was_retired_has_no_api_to_buy(page, site_url: str) -> None:  # type: ignore[no-untyped-def]
    # Mistral retired Magistral Small 1.2's API on 2026-07-31 (prices.yaml, `ended:`).
    page.goto(f"{site_url}/calculator/?model=magistral-small")
    page.wait_for_selector("#calc-form:not([hidden])")
    assert page.input_value("#calc-model") == "magistral-small"
    table = page.locator("#calc-table").inner_text()
    assert "No API sells this model" in table
    assert "Mistral AI" not in table
    assert "Mistral AI" not in page.locator("#calc-answer").inner_text()
    sources = page.locator("#sources-title ~ div").all_inner_texts()
    assert sources and not any("Magistral" in text for text in sources)
    embedded = page.evaluate("JSON.parse(document.getElementById('calc-data').textContent).api")
    assert [o for o in embedded if o["model"] == "magistral-small"] == []


def test_a_tiny_workload_shows_no_figure_as_zero_and_reads_as_python_writes_it(
    page, site_url: str
) -> None:
    """A hundred output tokens a month: the GPU-hours, costs and chart labels are tiny but not
    nothing. The script's table reads cell for cell as the build's filters write the same
    scenario (`amount`, `money`), and no figure, axis label included, reads as zero."""
    _, catalog, prices, _ = shipped()
    scenario = replace(shipped_defaults(catalog, prices), input_mtok=0.0, output_mtok=0.0001)
    offers = costs.offers(prices.rental)
    result = calculator_views.compare(scenario, catalog, offers, prices)
    view = calculator_views.catalog_api_view(catalog, prices)
    rows = calculator_views.present(result, scenario, view)["rows"]
    expected = [
        [amount(r["speed"]), amount(r["hours"])]
        + [money(r[k]) for k in ("monthly", "per_output", "blended")]
        for r in rows
    ]
    page.goto(f"{site_url}/calculator/?in=0&out=0.0001")
    page.wait_for_selector("#calc-output[data-calc-shows='in=0&out=0.0001']")
    shown = page.evaluate(
        """() => Array.from(document.querySelectorAll('#calc-table tbody tr:not(.group)'))
             .map(tr => Array.from(tr.querySelectorAll('td.num')).map(td => td.textContent))"""
    )
    assert shown == expected
    assert "<0.1" in {row[1] for row in shown}  # the GPU-hours a month of one's own GPU
    ticks = page.locator("#cost-chart .tick").all_text_contents()
    figures = [cell for row in shown for cell in row] + ticks
    assert [f for f in figures if reads_as_zero(f) and f not in ("$0", "0M")] == []
    assert not [t for t in ticks if "e" in t], ticks  # plain digits, never 1e-05
