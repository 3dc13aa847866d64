"""The advisor in Debian's chromium: a walk with JavaScript, the same walk without, and on
to a prefilled calculator."""

from __future__ import annotations

import re

import pytest

pytestmark = pytest.mark.browser

PATH = [
    ("What must the model do?", "Always follow a fixed format or voice"),
    (
        "Have you tried a careful prompt with a few examples?",
        "Yes, but the output drifts from the format or tone",
    ),
    ("How much text will it process a month?", "40 to 400 million tokens"),
    ("Must the data stay on hardware you control?", "Yes, for privacy or data-residency reasons"),
    ("What can you spend a month on running it?", "Up to $500"),
    ("What hardware do you already have?", "One 24 GB graphics card (such as an RTX 4090)"),
]


def walk(page, site_url: str) -> str:
    page.goto(site_url + "/learn/lora/")
    page.click("text=Open the free Spanvero advisor →")
    for question, answer in PATH:
        page.wait_for_selector(f"#question-title:has-text('{question}')")
        option = page.locator("a.advisor-option", has_text=answer)
        option.focus()
        page.keyboard.press("Enter")  # every step works from the keyboard
    page.wait_for_selector("text=What to do")
    return page.locator("#advisor").inner_text()


# Without JavaScript the advisor asks in two short walks: what to do (the rules' questions,
# only as far as the answer still depends on them), then where to run it, priced per volume.
STATIC_WHAT = [PATH[0], PATH[1], PATH[2]]
STATIC_WHERE = [PATH[3], PATH[5]]


def static_walk(page, site_url: str) -> tuple[str, str, str]:
    page.goto(site_url + "/advisor/")
    for question, answer in STATIC_WHAT:
        page.wait_for_selector(f"#question-title:has-text('{question}')")
        page.click(f"a.advisor-option:has-text('{answer}')")
    page.wait_for_selector("h1:has-text('What to do')")
    advice = page.locator("#advisor ol.ladder").inner_text()
    page.click("text=Next: where to run it")
    for question, answer in STATIC_WHERE:
        page.wait_for_selector(f"#question-title:has-text('{question}')")
        page.click(f"a.advisor-option:has-text('{answer}')")
    page.wait_for_selector("#cost-title")
    row = page.locator("tr", has_text="40 to 400 million tokens").inner_text()
    return advice, page.locator("h1").inner_text(), row


def test_a_walk_with_javascript_matches_the_static_pages(page, nojs_page, site_url: str) -> None:
    with_js = walk(page, site_url)
    assert "/advisor/?" in page.url and "task=format" in page.url  # shareable state
    advice, run_title, row = static_walk(nojs_page, site_url)
    assert re.search(r"/advisor/where/small/own-hardware/gpu-24/$", nojs_page.url)
    assert page.locator("#advisor ol.ladder").inner_text() == advice
    assert page.locator("#run-title").inner_text() == run_title == "Run it on your own hardware"
    assert page.locator("p.summary").inner_text() in row
    assert "Up to $500" in row  # the budget answered with JavaScript, checked per row without
    assert "Fine-tune a small model with LoRA or QLoRA" in with_js
    # a shared URL restores the same recommendation
    page.goto(page.url)
    assert page.locator("#advisor").inner_text() == with_js


def test_the_recommendation_links_to_a_prefilled_calculator(page, site_url: str) -> None:
    walk(page, site_url)
    page.click("text=Check the numbers in the calculator →")
    page.wait_for_url(re.compile(r".*/calculator/\?model="))
    model = page.input_value("#calc-model")
    assert page.input_value("#calc-gpu") == "rtx-4090"
    assert page.input_value("#calc-precision") == "q4_k_m"
    assert page.input_value("#calc-hw") == "0"
    assert f"{model}" in page.url
    assert "(yours)" in page.locator("#calc-output").inner_text()


def test_changing_an_answer_and_starting_over(page, site_url: str) -> None:
    walk(page, site_url)
    page.locator("dd", has_text="40 to 400 million tokens").locator(
        "text=Change this answer"
    ).click()
    page.wait_for_selector("#question-title:has-text('How much text will it process a month?')")
    page.click("a.advisor-option:has-text('Under 5 million tokens')")
    page.wait_for_selector("#question-title:has-text('Must the data stay')")
    page.click("text=Start over")
    page.wait_for_selector("#question-title:has-text('What must the model do?')")
    assert page.url.endswith("/advisor/")


@pytest.mark.parametrize(
    ("hardware", "yours"),
    [("none", None), ("gpu-24", "NVIDIA GeForce RTX 4090"), ("gpu-80", "NVIDIA H100 PCIe")],
)
def test_an_advisor_answers_link_opens_a_calculator_that_agrees(  # type: ignore[no-untyped-def]
    page, site_url: str, hardware: str, yours: str | None
) -> None:
    answers = "task=format&prompting=drifts&volume=medium&privacy=own-hardware&budget=mid"
    page.goto(f"{site_url}/advisor/?{answers}&hardware={hardware}")
    page.wait_for_selector("text=What to do")
    summary = page.locator("p.summary").inner_text()
    page.click("text=Check the numbers in the calculator →")
    page.wait_for_url(re.compile(r".*/calculator/\?model="))
    text = page.locator("#calc-output").inner_text()
    if yours is None:
        assert page.input_value("#calc-gpus") in ("0", "1")
        if page.input_value("#calc-gpus") == "0":
            assert "None of your own" in text and "(yours)" not in text
    else:
        assert f"{yours}" in text and "(yours)" in text
    cost = re.search(r"about (\$[\d,.]+) a month", summary)
    if cost:
        assert cost.group(1) in text, "the advisor's figure is a row of the calculator"


def _advice(page, site_url: str, rest: str) -> str:
    """The advisor's summary for an assistant at a huge volume, with `rest` of the answers."""
    page.goto(f"{site_url}/advisor/?task=assistant&prompting=works&volume=huge&{rest}")
    page.wait_for_selector("text=What to do")
    return page.locator("p.summary").inner_text()


def test_a_huge_volume_is_priced_at_the_cheapest_concurrency_the_calculator_shows(
    page, site_url: str
) -> None:
    """Batching is how one GPU serves a large volume: over 400 million tokens a month is not
    priced one request at a time, and the calculator link shows the same figure."""
    summary = _advice(page, site_url, "privacy=provider-ok&budget=mid&hardware=none")
    assert "requests at once" in summary and "more than the budget" not in summary, summary
    cost = re.search(r"about (\$[\d,.]+) a month", summary)
    assert cost is not None, summary
    page.click("text=Check the numbers in the calculator →")
    page.wait_for_url(re.compile(r".*/calculator/\?model="))
    assert page.input_value("#calc-conc") != "1"
    assert cost.group(1) in page.locator("#calc-output").inner_text()


def test_a_small_volume_on_a_gpu_you_own_is_served_one_request_at_a_time(
    page, site_url: str
) -> None:
    """Batching trims a GPU's busy hours at any volume, but 2 million tokens a month never has
    8 requests in flight: the advice, and the calculator it links to, serve them one at a time."""
    page.goto(
        f"{site_url}/advisor/?task=docs&freshness=rarely&prompting=not-yet&volume=small"
        "&privacy=own-hardware&budget=low&hardware=gpu-80"
    )
    page.wait_for_selector("text=What to do")
    summary = page.locator("p.summary").inner_text()
    assert "on your" in summary and "at once" not in summary, summary
    cost = re.search(r"about (\$[\d,.]+) a month", summary)
    assert cost is not None, summary
    page.click("text=Check the numbers in the calculator →")
    page.wait_for_url(re.compile(r".*/calculator/\?model="))
    assert page.input_value("#calc-conc") == "1"
    assert cost.group(1) in page.locator("#calc-output").inner_text()


def test_an_answer_that_nothing_keeps_up_with_links_to_a_scenario_that_fits(
    page, site_url: str
) -> None:
    """The reason given (too slow, at the most requests its memory holds) is the one the
    calculator shows for the linked scenario, not a concurrency where the model cannot fit."""
    summary = _advice(page, site_url, "privacy=own-hardware&budget=mid&hardware=gpu-24")
    assert "cannot keep up" in summary and "the most that fits in memory" in summary, summary
    page.click("text=Check the numbers in the calculator →")
    page.wait_for_url(re.compile(r".*/calculator/\?model="))
    assert page.input_value("#calc-conc") == "1"  # "one request at a time", as the advice says
    output = page.locator("#calc-output").inner_text()
    # the reader's GPU holds the model, and is too slow for the volume: as the advice says
    assert re.search(r"RTX 4090 \(yours\)\s+Too slow", output), output


@pytest.mark.parametrize(
    ("query", "question", "notes"),
    [
        (
            "task=docs&freshness=hourly",
            "How often do the facts in those documents change?",
            [
                "The link’s freshness=hourly is not one of the answers to “How often do the "
                "facts in those documents change?”, so the advisor asks it again."
            ],
        ),
        (
            "task=format&freshness=weekly",
            "Have you tried a careful prompt with a few examples?",
            [
                "The link’s freshness=weekly was left out: the advisor does not ask it after "
                "the answers before it."
            ],
        ),
        (
            "task=teach&prompting=works",
            "What must the model do?",
            [
                "The link’s task=teach is not one of the answers to “What must the model do?”, "
                "so the advisor asks it again.",
                "The link’s prompting=works was left out: the advisor does not ask it after "
                "the answers before it.",
            ],
        ),
    ],
)
def test_a_link_answer_the_advisor_cannot_use_is_named_not_dropped(
    page, site_url: str, query: str, question: str, notes: list[str]
) -> None:
    """A mistyped or stitched-together link opens at the first question it cannot answer, and
    says which of its answers were not used; the note goes once the reader answers."""
    page.goto(f"{site_url}/advisor/?{query}")
    assert page.locator("#question-title").inner_text().endswith(question)
    assert page.locator("#advisor-link-note p").all_inner_texts() == notes
    page.locator("a.advisor-option").first.click()
    assert page.locator("#advisor-link-note").count() == 0


def test_a_link_the_advisor_takes_whole_gets_no_note(page, site_url: str) -> None:
    page.goto(f"{site_url}/advisor/?task=docs&freshness=weekly&utm_source=mail")
    assert (
        page.locator("#question-title")
        .inner_text()
        .endswith("Have you tried a careful prompt with a few examples?")
    )
    assert page.locator("#advisor-link-note").count() == 0


def test_the_advisor_prices_no_api_that_was_retired(page, site_url: str) -> None:  # type: ignore[no-untyped-def]
    # Mistral retired Magistral Small 1.2's API on 2026-07-31: advisor.js gets no such offer.
    page.goto(site_url + "/advisor/")
    calc = page.evaluate("JSON.parse(document.getElementById('advisor-data').textContent).calc")
    assert [o for o in calc["api"] if o["model"] == "magistral-small"] == []
    assert all(o["status"] in ("ok", "unavailable") for o in calc["api"] + calc["rental"])
    assert "Mistral AI" not in walk(page, site_url)
