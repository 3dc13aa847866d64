"""Template views of /advisor/: one static page per question and per finished set of answers.

Every page works without JavaScript (each option is a link to the next page). /advisor/ also
embeds the rules and prices, so advisor.js can walk the same questions in place, with the
answers in the query string.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import asdict
from typing import Any

from spanvero_site.core.config import SiteConfig
from spanvero_site.core.context import common, embed_json
from spanvero_site.core.formatting import money
from spanvero_site.core.section import View
from spanvero_site.data.catalog import Catalog
from spanvero_site.data.records import Prices
from spanvero_site.sections.advisor import engine
from spanvero_site.sections.advisor.engine import Advisor, Answers
from spanvero_site.sections.calculator.views import calculator_data, default_scenario

ROOT = "/advisor/"
RUN_TITLES = {
    "local": "Run it on your own hardware",
    "rented": "Run it on a rented GPU",
    "cheapest": "Run it where it is cheapest",
}


def page_url(advisor: Advisor, answers: Answers) -> str:
    """A state's static page: the chosen option ids, in question order, as path segments."""
    chosen = [o.id for _, o in engine.answered_options(advisor, answers)]
    return ROOT + "".join(f"{part}/" for part in chosen)


def states(advisor: Advisor) -> Iterator[dict[str, str]]:
    """Every reachable set of answers, from none to complete, depth first."""
    pending: list[dict[str, str]] = [{}]
    while pending:
        answers = pending.pop()
        yield answers
        question = engine.next_question(advisor, answers)
        if question is not None:
            pending.extend({**answers, question.id: o.id} for o in reversed(question.options))


def names(catalog: Catalog, prices: Prices) -> dict[str, str]:
    """Display names of GPUs, models and providers, by id."""
    return {
        **{g.id: g.name for g in catalog.gpus.values()},
        **{m.id: m.name for m in catalog.models.values()},
        **{p.provider: p.provider_name for p in (*prices.rental, *prices.api)},
    }


def present(
    rec: dict[str, Any], names: Mapping[str, str], titles: Mapping[str, str]
) -> dict[str, Any]:
    """The words of a recommendation (advisor.js's `present` mirrors it)."""
    cost = rec["cost"]
    model = names[rec["candidates"][0]] if rec["candidates"] else None
    if model is None:
        cost_text = "None of the options we list can run a model of the right size for this."
    elif cost is None:
        cost_text = (
            f"No single GPU we list keeps up with this volume of {model}, even serving many "
            "requests at once: plan for several GPUs, or a hosted API."
        )
    else:
        kind, option = cost["kind"], cost["option"]
        if kind == "local":
            where = f"on your {names[option]} (electricity only: you own it)"
        elif kind == "rental":
            provider, gpu = option.split("/")
            where = f"on {names[provider]}'s {names[gpu]}, billed by the hour"
        else:
            where = f"through {names[option]}'s API"
        batch = rec["scenario"]["concurrency"]
        served = f", serving {batch} requests at once" if batch > 1 else ""
        cost_text = f"With {model}: about {money(cost['monthly_usd'])} a month {where}{served}."
    budget_text = "That is more than the budget you gave." if rec["over_budget"] else ""
    return {
        "approaches": [
            {
                "title": a["title"],
                "reasons": a["reasons"],
                "learn": [
                    {"title": titles[s], "url": f"/learn/{s}/"} for s in a["learn"] if s in titles
                ],
            }
            for a in rec["approaches"]
        ],
        "notes": rec["notes"],
        "run_title": RUN_TITLES[rec["run"]],
        "run_reason": rec["run_reason"],
        "models": [{"name": names[m], "url": f"/models/{m}/"} for m in rec["candidates"]],
        "cost_text": cost_text,
        "budget_text": budget_text,
        "calculator_url": rec["calculator_url"],
    }


def advisor_pages(
    advisor: Advisor,
    catalog: Catalog,
    prices: Prices,
    config: SiteConfig,
    titles: Mapping[str, str],
) -> list[View]:
    """Every question page and every recommendation page."""
    display = names(catalog, prices)
    views: list[View] = []
    for answers in states(advisor):
        url = page_url(advisor, answers)
        question = engine.next_question(advisor, answers)
        answered = [
            {
                "question": q.text,
                "answer": o.label,
                "change": page_url(advisor, _before(advisor, answers, q.id)),
            }
            for q, o in engine.answered_options(advisor, answers)
        ]
        if question is not None:
            number = len(answered) + 1
            context = common(
                config, url, f"Advisor, question {number}: {question.text}", advisor.intro
            )
            context.update(
                question=question,
                number=number,
                options=[
                    {"option": o, "url": page_url(advisor, {**answers, question.id: o.id})}
                    for o in question.options
                ],
                answered=answered,
                intro=advisor.intro if not answers else "",
                data=None,
                robots=None if url == ROOT else "noindex",
            )
            if url == ROOT:
                context.update(
                    data=embed_json(client_data(advisor, catalog, prices, titles)),
                    scripts=["js/calculator.js", "js/advisor.js"],
                )
            views.append(View(url, "advisor_question.html", context, "an advisor page"))
        else:
            rec = engine.recommend(advisor, answers, catalog, prices)
            context = common(
                config,
                url,
                "Your recommendation",
                "Where to start, where to run it and what it costs, for your answers.",
            )
            context.update(
                result=present(rec, display, titles), answered=answered, robots="noindex"
            )
            views.append(View(url, "advisor_result.html", context, "an advisor page"))
    return views


def _before(advisor: Advisor, answers: Answers, question_id: str) -> dict[str, str]:
    """The answers given before `question_id` was asked (where "change this answer" goes)."""
    kept: dict[str, str] = {}
    for question, option in engine.answered_options(advisor, answers):
        if question.id == question_id:
            break
        kept[question.id] = option.id
    return kept


def client_data(
    advisor: Advisor, catalog: Catalog, prices: Prices, titles: Mapping[str, str]
) -> dict[str, Any]:
    """What advisor.js needs: the rules, display names, and the calculator's data."""
    return {
        "advisor": asdict(advisor),
        "titles": dict(titles),
        "names": names(catalog, prices),
        "calc": calculator_data(catalog, prices, default_scenario(catalog, prices)),
        "constants": {
            "precision": engine.PRECISION,
            "input_share": engine.INPUT_SHARE,
            "default_gpu": engine.DEFAULT_GPU,
            "candidates": engine.CANDIDATES,
            "concurrency": list(engine.CONCURRENCY),
            "run_titles": RUN_TITLES,
            "root": ROOT,
        },
    }
