"""Every advisor answer's calculator link opens a scenario that agrees with the answer.

The link is read the way calculator.js reads it (its parameters over the page's defaults); the
calculator then computes that scenario with costs.compare. It must be the advisor's scenario, its
cost must be the one the advisor quotes for the same option, a rented GPU must be priced kept on all
month (as a service is run, not as a batch job), and a reader who said they have no suitable GPU
must not be shown one as theirs unless the answer is to buy one.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

from spanvero_site.data import costs
from spanvero_site.sections.advisor import engine
from spanvero_site.sections.advisor.engine import states
from spanvero_site.sections.calculator import inputs
from spanvero_site.sections.calculator import views as calculator_views
from tests.integration.test_advisor_vectors import shipped, shipped_defaults

FIELDS = {
    "model": ("model", str),
    "precision": ("precision", str),
    "in": ("input_mtok", float),
    "out": ("output_mtok", float),
    "conc": ("concurrency", int),
    "gpu": ("gpu", str),
    "gpus": ("gpus", int),
    "hw": ("hardware_usd", float),
    "ctx": ("context", int),
    "hours": ("hours_per_day", float),
    "months": ("amortization_months", int),
    "tier": ("tier", str),
    "billing": ("billing", str),
}


def scenario_from_link(url: str, defaults: costs.Scenario) -> costs.Scenario:
    query = parse_qs(urlsplit(url).query)
    assert set(query) <= set(FIELDS), f"the calculator ignores {set(query) - set(FIELDS)}"
    values = {FIELDS[k][0]: FIELDS[k][1](v[0]) for k, v in query.items()}
    return replace(defaults, **values)


def linked_recommendations(
    advisor: Any, catalog: Any, prices: Any, offers: Any
) -> Iterator[tuple[dict[str, str], dict[str, Any]]]:
    """Every finished answer set whose recommendation links into the calculator, with it."""
    for answers in states(advisor):
        if engine.next_question(advisor, answers) is not None:
            continue
        rec = engine.recommend(advisor, answers, catalog, prices, offers)
        if rec["calculator_url"] is not None:
            yield answers, rec


@pytest.mark.slow  # every one of the 1,700+ answer sets
def test_every_advisor_answer_links_to_a_calculator_scenario_that_agrees() -> None:
    advisor, catalog, prices, _ = shipped()
    defaults = shipped_defaults(catalog, prices)
    offers = costs.offers(prices.rental)
    checked = 0
    for answers, rec in linked_recommendations(advisor, catalog, prices, offers):
        # the calculator's own rules accept it (a context the model reads, among them)
        assert inputs.link_problems(rec["calculator_url"], catalog, defaults) == [], answers
        scenario = scenario_from_link(rec["calculator_url"], defaults)
        for key, value in rec["scenario"].items():
            assert getattr(scenario, key) == value, (answers, key)
        if answers.get("hardware") == "none":
            assert scenario.gpus == (1 if rec["run"] == "local" else 0), answers
            assert scenario.gpus == 0 or scenario.hardware_usd > 0, "a GPU to buy has a price"
        result = calculator_views.compare(scenario, catalog, offers, prices)
        cost = rec["cost"]
        if cost is not None:
            if cost["kind"] == "local":
                shown = result["local"]["monthly_usd"]
            elif cost["kind"] == "rental":
                [row] = [o for o in result["rental"] if costs.offer_key(o) == cost["option"]]
                shown = row["monthly_usd"]
                # An answer describes a service people use when they need it: a rented GPU
                # is quoted kept on all month, never for a few busy minutes of batched work.
                assert shown == row["always_on_usd"], (answers, "priced for busy hours only")
            else:
                [row] = [a for a in result["api"] if a["provider"] == cost["option"]]
                shown = row["monthly_usd"]
            assert shown == cost["monthly_usd"], answers
            if rec["run"] == "cheapest":
                assert result["cheapest"] == cost, answers
        checked += 1
    assert checked > 1000


def _placement_pick(run: str, result: dict) -> tuple[str, str, int, float] | None:
    """The option the calculator shows cheapest of the kind a placement allows:
    (kind, option, GPUs, monthly cost)."""
    if run == "local":
        local = result["local"]
        if local["monthly_usd"] is None:
            return None
        return ("local", local["gpu"], local["gpus"], local["monthly_usd"])
    if run == "rented":
        usable = [o for o in result["rental"] if o["status"] == "ok" and o["monthly_usd"]]
        if not usable:
            return None
        best = min(usable, key=lambda o: o["monthly_usd"])
        return ("rental", costs.offer_key(best), best["gpus"], best["monthly_usd"])
    cheapest = result["cheapest"]
    if cheapest is None:
        return None
    return (cheapest["kind"], cheapest["option"], cheapest["gpus"], cheapest["monthly_usd"])


def _fits(run: str, result: dict) -> bool:
    local = run != "rented" and result["local"]["fits"]
    return local or (run != "local" and any(o["fits"] for o in result["rental"]))


@pytest.mark.slow  # every one of the 1,700+ answer sets, at every concurrency the rules allow
def test_every_advisor_answer_is_the_cheapest_place_at_the_fewest_requests_at_once() -> None:
    """Batching is how one GPU serves a large volume (DOMAIN.md): an answer must run where the
    calculator shows the lowest cost at some concurrency the rules allow. But the answer says
    how many requests it serves at once, so it quotes the fewest at which that place is still
    the calculator's cheapest: a GPU that keeps up one request at a time is not said to serve
    8 or 32 (which only trims its busy hours), for a volume that never has them in flight. And
    when nothing keeps up, its link must open a scenario where the model at least fits, so the
    reason given is the one the calculator shows.
    """
    advisor, catalog, prices, _ = shipped()
    defaults = shipped_defaults(catalog, prices)
    offers = costs.offers(prices.rental)
    computed: dict[costs.Scenario, dict] = {}

    def calculator(scenario: costs.Scenario) -> dict:
        if scenario not in computed:
            computed[scenario] = calculator_views.compare(scenario, catalog, offers, prices)
        return computed[scenario]

    checked = 0
    for answers, rec in linked_recommendations(advisor, catalog, prices, offers):
        linked = scenario_from_link(rec["calculator_url"], defaults)
        run = rec["run"]
        levels = advisor.assumptions.concurrency
        picks = [_placement_pick(run, calculator(replace(linked, concurrency=c))) for c in levels]
        priced = [p for p in picks if p is not None]
        if rec["cost"] is None:
            assert priced == [], (answers, "a concurrency keeps up")
            assert _fits(run, calculator(linked)), (answers, "linked to a scenario that cannot fit")
        else:
            cost = rec["cost"]
            place = (cost["kind"], cost["option"], cost["gpus"])
            cheapest = min(priced, key=lambda p: p[3])
            assert place == cheapest[:3], (answers, "not the cheapest place", picks)
            fewest = next(c for c, p in zip(levels, picks, strict=True) if p and p[:3] == place)
            assert linked.concurrency == fewest, (answers, "more requests at once than needed")
            assert cost["monthly_usd"] == picks[levels.index(fewest)][3], answers
        checked += 1
    assert checked > 1000
