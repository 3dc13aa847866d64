"""The advisor's rules, as a table: answers in, the recommendation each must give."""

from __future__ import annotations

from dataclasses import replace

import pytest

from spanvero_site.sections.advisor import engine
from tests.integration.test_advisor_vectors import shipped

ADVISOR, CATALOG, PRICES, TITLES = shipped()

BASE = {
    "task": "assistant",
    "prompting": "works",
    "volume": "medium",
    "privacy": "provider-ok",
    "budget": "mid",
    "hardware": "none",
}

# (answers that differ from BASE, approaches in order, where it runs, largest model allowed)
TABLE = [
    ({}, ["prompting"], "cheapest", 80),
    ({"prompting": "not-yet"}, ["prompting"], "cheapest", 80),
    ({"task": "docs", "freshness": "weekly"}, ["retrieval"], "cheapest", 80),
    (
        {"task": "docs", "freshness": "monthly", "prompting": "not-yet"},
        ["prompting", "retrieval"],
        "cheapest",
        80,
    ),
    (
        {"task": "docs", "freshness": "rarely", "prompting": "lacks-facts"},
        ["retrieval"],
        "cheapest",
        80,
    ),
    ({"task": "assistant", "prompting": "lacks-facts"}, ["prompting", "retrieval"], "cheapest", 80),
    ({"task": "format", "prompting": "drifts", "volume": "large"}, ["fine-tuning"], "cheapest", 10),
    ({"task": "format", "prompting": "drifts", "volume": "huge"}, ["fine-tuning"], "cheapest", 10),
    (
        {"task": "classify", "prompting": "drifts", "volume": "large"},
        ["fine-tuning"],
        "cheapest",
        10,
    ),
    ({"task": "format", "prompting": "drifts", "volume": "small"}, ["prompting"], "cheapest", 80),
    (
        {"task": "classify", "prompting": "drifts", "volume": "medium"},
        ["prompting"],
        "cheapest",
        80,
    ),
    ({"task": "format", "prompting": "works"}, ["prompting"], "cheapest", 80),
    ({"task": "format", "prompting": "not-yet", "volume": "huge"}, ["prompting"], "cheapest", 80),
    ({"privacy": "own-hardware", "hardware": "gpu-24"}, ["prompting"], "local", 80),
    ({"privacy": "own-hardware", "hardware": "mac-64"}, ["prompting"], "local", 80),
    ({"privacy": "own-hardware", "hardware": "gpu-80"}, ["prompting"], "local", 80),
    ({"privacy": "own-hardware", "hardware": "none"}, ["prompting"], "local", 80),
    ({"privacy": "provider-ok", "hardware": "gpu-24"}, ["prompting"], "cheapest", 80),
    (
        {"task": "docs", "freshness": "weekly", "privacy": "own-hardware", "hardware": "gpu-24"},
        ["retrieval"],
        "local",
        80,
    ),
    (
        {
            "task": "format",
            "prompting": "drifts",
            "volume": "large",
            "privacy": "own-hardware",
            "hardware": "gpu-24",
        },
        ["fine-tuning"],
        "local",
        10,
    ),
    (
        {"task": "docs", "freshness": "weekly", "prompting": "drifts", "volume": "huge"},
        ["retrieval"],
        "cheapest",
        80,
    ),
    (
        {"task": "classify", "prompting": "lacks-facts", "volume": "large"},
        ["retrieval"],
        "cheapest",
        80,
    ),
]


def answers_for(changes: dict[str, str]) -> dict[str, str]:
    answers = {**BASE, **changes}
    assert engine.next_question(ADVISOR, answers) is None, answers
    return answers


@pytest.mark.parametrize(("changes", "approaches", "run", "size_cap"), TABLE)
def test_recommendation_table(
    changes: dict[str, str], approaches: list[str], run: str, size_cap: float
) -> None:
    rec = engine.recommend(ADVISOR, answers_for(changes), CATALOG, PRICES)
    assert [a["id"] for a in rec["approaches"]] == approaches
    assert rec["run"] == run
    assert rec["size_cap_b"] == size_cap
    assert rec["candidates"], "no model fits"
    for model_id in rec["candidates"]:
        assert CATALOG.models[model_id].params_b <= size_cap
    assert rec["cost"] is not None and rec["cost"]["monthly_usd"] >= 0
    assert rec["calculator_url"].startswith(f"/calculator/?model={rec['candidates'][0]}&")


def test_fresh_documents_get_retrieval_and_a_warning_against_fine_tuning() -> None:
    rec = engine.recommend(
        ADVISOR, answers_for({"task": "docs", "freshness": "weekly"}), CATALOG, PRICES
    )
    assert "fine-tuning" not in [a["id"] for a in rec["approaches"]]
    assert any("Do not fine-tune" in note for note in rec["notes"])


def test_fixed_json_format_at_50m_tokens_fine_tunes_a_small_model() -> None:
    answers = answers_for({"task": "format", "prompting": "drifts", "volume": "large"})
    rec = engine.recommend(ADVISOR, answers, CATALOG, PRICES)
    assert rec["approaches"][0]["id"] == "fine-tuning"
    assert all(CATALOG.models[m].params_b <= 10 for m in rec["candidates"])
    assert rec["scenario"]["input_mtok"] + rec["scenario"]["output_mtok"] == 100


def test_privacy_with_one_24_gb_gpu_runs_locally_on_a_model_that_fits() -> None:
    from spanvero_site.data import costs

    answers = answers_for({"privacy": "own-hardware", "hardware": "gpu-24"})
    rec = engine.recommend(ADVISOR, answers, CATALOG, PRICES)
    assert rec["run"] == "local" and rec["cost"]["kind"] == "local"
    gpu = CATALOG.gpus["rtx-4090"]
    for model_id in rec["candidates"]:
        assert costs.fits(costs.memory_need(CATALOG.models[model_id], "q4_k_m"), gpu)
    assert rec["scenario"]["hardware_usd"] == 0  # already owned: only electricity counts


def test_over_budget_is_said() -> None:
    answers = answers_for({"volume": "huge", "budget": "low"})
    rec = engine.recommend(ADVISOR, answers, CATALOG, PRICES)
    assert rec["run"] == "cheapest" and rec["over_budget"] is True


def test_data_that_must_stay_on_hardware_you_control_is_never_priced_elsewhere_unsaid() -> None:
    """'Your data stays on hardware you control' is a promise: every answer to it runs on
    hardware the reader owns or buys, unless the reason says plainly that a rented GPU is
    not theirs (a cloud's or, on a marketplace, a stranger's machine)."""
    checked = 0
    for answers in engine.states(ADVISOR):
        if engine.next_question(ADVISOR, answers) is not None:
            continue
        if answers.get("privacy") != "own-hardware":
            continue
        rec = engine.recommend(ADVISOR, answers, CATALOG, PRICES)
        if rec["run"] == "local":
            assert rec["scenario"]["gpus"] == 1, answers
            assert rec["cost"] is None or rec["cost"]["kind"] == "local", answers
            if answers["hardware"] == "none":
                assert rec["scenario"]["hardware_usd"] > 0, "a GPU to buy is priced"
        else:
            assert rec["run_reason"] == ADVISOR.no_local_fit, answers
            assert "not hardware you control" in rec["run_reason"]
        assert "nothing leaves" not in rec["run_reason"]
        checked += 1
    assert checked > 100


def test_the_payback_period_the_text_names_is_the_one_the_cost_used() -> None:
    """The months a bought GPU's price is spread over come from advisor.yaml; the sentence
    that states them must follow an edit of that figure, not repeat the shipped one."""
    from dataclasses import replace

    from spanvero_site.sections.advisor.views import cost_text, names

    answers = answers_for({"privacy": "own-hardware", "hardware": "none"})
    for months in (ADVISOR.assumptions.payback_months, 24):
        advisor = replace(ADVISOR, assumptions=replace(ADVISOR.assumptions, payback_months=months))
        rec = engine.recommend(advisor, answers, CATALOG, PRICES)
        assert rec["cost"]["kind"] == "local" and rec["scenario"]["hardware_usd"] > 0
        assert rec["scenario"]["amortization_months"] == months
        assert f"its price over {months} months" in cost_text(rec, names(CATALOG, PRICES))
        assert f"&months={months}&" in rec["calculator_url"]


def test_a_model_whose_apis_all_ended_is_no_hosted_choice() -> None:
    """The cheapest placement puts models some API serves first; not one whose APIs ended."""
    answers = answers_for({})
    first = engine.recommend(ADVISOR, answers, CATALOG, PRICES)["candidates"][0]
    assert any(p.model == first for p in PRICES.api)

    def ended(price):  # type: ignore[no-untyped-def]
        last = replace(price.current, available=False, ended=price.current.as_of)
        return replace(price, history=(*price.history[:-1], last))

    withdrawn = replace(
        PRICES,
        api=tuple(p for p in PRICES.api if p.model != first),
        ended_api=tuple(ended(p) for p in PRICES.api if p.model == first),
    )
    rec = engine.recommend(ADVISOR, answers, CATALOG, withdrawn)
    assert rec["candidates"][0] != first
    assert not (rec["cost"]["kind"] == "api" and rec["scenario"]["model"] == first)
