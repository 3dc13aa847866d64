"""Template views of /advisor/: two short static walks, and the page JavaScript walks in place.

Every page works without JavaScript (each option is a link to the next page). /advisor/ also
embeds the rules and prices, so advisor.js can walk the same questions in place, with the
answers in the query string.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass
from typing import Any

from markupsafe import Markup

from spanvero_site.core.config import SiteConfig
from spanvero_site.core.context import PageContext, common, embed_json
from spanvero_site.core.formatting import money
from spanvero_site.core.section import View
from spanvero_site.data import costs
from spanvero_site.data.catalog import Catalog
from spanvero_site.data.records import Prices
from spanvero_site.sections.advisor import engine
from spanvero_site.sections.advisor import walk as walk_mod
from spanvero_site.sections.advisor.engine import Advisor, Question
from spanvero_site.sections.calculator.views import calculator_data

ROOT = walk_mod.ROOT


class AdvisorQuestionContext(PageContext):
    question: Question
    number: int
    part: str  # which walk: "What to do" or "Where to run it"
    options: list[dict[str, Any]]
    answered: list[dict[str, str]]
    intro: str
    data: Markup | None  # the rules and prices advisor.js walks, on /advisor/ only


class AdvisorWhatContext(PageContext):
    heading: str
    approaches: list[dict[str, Any]]
    notes: list[str]
    where_url: str


class AdvisorWhereContext(PageContext):
    result: dict[str, Any]
    restart: str


WHAT, WHERE = "What to do", "Where to run it"  # the two walks
RUN_TITLES = {
    "local": "Run it on your own hardware",
    "rented": "Run it on a rented GPU",
    "cheapest": "Run it where it is cheapest",
}
# How an answer says a rented GPU is paid for, by costs.BILLING value (advisor.js reads these).
BILLED = {"hourly": "billed by the hour", "always-on": "kept on all month"}


def names(catalog: Catalog, prices: Prices) -> dict[str, str]:
    """Display names of GPUs, models and providers, by id."""
    return {
        **{g.id: g.name for g in catalog.gpus.values()},
        **{m.id: m.name for m in catalog.models.values()},
        **{p.provider: p.provider_name for p in prices.rental},
        **{p.provider: p.provider_name for p in prices.api},
    }


def cost_text(rec: Mapping[str, Any], names: Mapping[str, str]) -> str:
    """What a placement costs, in words (advisor.js's `present` says the same)."""
    cost = rec["cost"]
    model = names[rec["candidates"][0]] if rec["candidates"] else None
    if model is None:
        return "None of the options we list can run a model of the right size for this."
    if cost is None:
        return _no_keep_up(rec, model, names)
    kind, option = cost["kind"], cost["option"]
    if kind == "local":
        months = rec["scenario"]["amortization_months"]
        where = (
            f"on a new {names[option]} bought for it (its price over {months} months, plus "
            "electricity)"
            if rec["scenario"]["hardware_usd"] > 0
            else f"on your {names[option]} (electricity only: you own it)"
        )
    elif kind == "rental":
        provider, gpu = option.split("/")[:2]
        count = f"{cost['gpus']}× " if cost["gpus"] > 1 else ""
        where = f"on {names[provider]}'s {count}{names[gpu]}, {BILLED[rec['scenario']['billing']]}"
    else:
        where = f"through {names[option]}'s API"
    batch = rec["scenario"]["concurrency"]
    served = f", serving {batch} requests at once" if batch > 1 else ""
    return f"With {model}: about {money(cost['monthly_usd'])} a month {where}{served}."


def _served(concurrency: int) -> str:
    return "one request at a time" if concurrency == 1 else f"{concurrency} requests at once"


def _no_keep_up(rec: Mapping[str, Any], model: str, names: Mapping[str, str]) -> str:
    """Why nothing is priced, in the terms of the calculator scenario the answer links to."""
    scenario = rec["scenario"]
    served = _served(scenario["concurrency"])
    at = (
        f" at {served}, the most that fits in memory"
        if rec["memory_bound"]
        else f", even at {served}"
    )
    if rec["run"] == "local":
        owner = (
            f"A new {names[scenario['gpu']]} bought for it"
            if scenario["hardware_usd"] > 0
            else f"Your {names[scenario['gpu']]}"
        )
        return (
            f"{owner} cannot keep up with this volume of {model}{at}: "
            "plan for more GPUs or a smaller model."
        )
    api = ", or a hosted API" if rec["run"] == "cheapest" else ""
    return (
        f"No single GPU machine we list keeps up with this volume of {model}{at}: "
        f"plan for several machines{api}."
    )


def present(
    rec: dict[str, Any], names: Mapping[str, str], titles: Mapping[str, str]
) -> dict[str, Any]:
    """The words of a whole recommendation (advisor.js's `present` mirrors it)."""
    return {
        "approaches": _approaches(rec["approaches"], titles),
        "notes": rec["notes"],
        "run_title": RUN_TITLES[rec["run"]],
        "run_reason": rec["run_reason"],
        "models": [{"name": names[m], "url": f"/models/{m}/"} for m in rec["candidates"]],
        "cost_text": cost_text(rec, names),
        "budget_text": "That is more than the budget you gave." if rec["over_budget"] else "",
        "calculator_url": rec["calculator_url"],
    }


@dataclass(frozen=True)
class WhereWalk:
    """The walk of where to run a model within one size cap, and the table ending each path."""

    start: str
    size_cap_b: float
    walk: walk_mod.Walk
    tables: Mapping[str, dict[str, Any]]  # end page URL -> where_table


@dataclass(frozen=True)
class Plan:
    """The two static walks, worked out once from the rules and the data (no templates yet)."""

    what: walk_mod.Walk
    where: tuple[WhereWalk, ...]

    @property
    def page_count(self) -> int:
        return (
            len(self.what.steps)
            + len(self.what.ends)
            + sum(len(w.walk.steps) + len(w.walk.ends) for w in self.where)
        )


def plan(advisor: Advisor, catalog: Catalog, prices: Prices) -> Plan:
    """Walk what to do, then where to run it for each model size the advice can ask for.

    Raises walk.WalkTooLarge when one half has too many answer combinations to walk.
    """
    display = names(catalog, prices)
    offers = costs.offers(prices.rental)
    split = walk_mod.halves(advisor)
    what_walk = walk_mod.walk(
        advisor,
        split.what,
        ROOT,
        lambda answers: walk_mod.what_slug(engine.decide_what(advisor, answers)),
        lambda answers: walk_mod.what_url(engine.decide_what(advisor, answers)),
    )
    sizes = {
        what.size: what.size_cap_b
        for what in (engine.decide_what(advisor, a) for a in what_walk.ends.values())
    }
    where = []
    for size, cap in sorted(sizes.items(), key=lambda item: item[1]):
        start = walk_mod.where_root(size)

        def table(answers: Mapping[str, str], cap: float = cap) -> dict[str, Any]:
            return where_table(advisor, answers, cap, catalog, prices, display, offers)

        def same_table(answers: Mapping[str, str], table: Any = table) -> str:
            return json.dumps(table(answers), sort_keys=True)

        def end_url(answers: Mapping[str, str], start: str = start) -> str:
            return start + "".join(f"{v}/" for v in _path(advisor, answers))

        where_walk = walk_mod.walk(advisor, split.where, start, same_table, end_url)
        tables = {url: table(answers) for url, answers in where_walk.ends.items()}
        where.append(WhereWalk(start, cap, where_walk, tables))
    return Plan(what_walk, tuple(where))


def advisor_pages(
    planned: Plan,
    advisor: Advisor,
    catalog: Catalog,
    prices: Prices,
    config: SiteConfig,
    titles: Mapping[str, str],
    calculator: costs.Scenario,
) -> list[View]:
    """The question pages of both walks and the pages that end them.

    `calculator` is the calculator's default scenario, embedded on /advisor/ for advisor.js.
    """
    views = [
        _question(advisor, step, WHAT, WHAT, config, catalog, prices, titles, calculator)
        for step in planned.what.steps
    ]
    for url, answers in planned.what.ends.items():
        what = engine.decide_what(advisor, answers)
        title = _after(WHAT, advisor, planned.what.reached[url])
        views.append(_what_page(url, title, what, config, titles))
    for where in planned.where:
        # The model size is what the first walk's answers bring to the second.
        sized = f"Where to run a model of up to {where.size_cap_b:g}B parameters"
        views += [
            _question(advisor, step, WHERE, sized, config, catalog, prices, titles, calculator)
            for step in where.walk.steps
        ]
        for url, table in where.tables.items():
            heading = f"{table['run_title']}, a model of up to {where.size_cap_b:g}B parameters"
            title = _after(heading, advisor, where.walk.reached[url])
            views.append(_where_page(url, title, table, config, where.start))
    return views


def _after(title: str, advisor: Advisor, reached: Sequence[Mapping[str, str]]) -> str:
    """A page title that says which answers lead to the page: `title`, after those answers.

    For each question, the options given on the way here; a question any of whose options leads
    here decided nothing and is left out. So pages that end different answers have different
    titles, even where the static walk lets several answer sets share one page.
    """
    parts = []
    for question in advisor.questions:
        given = [o for o in question.options if any(a.get(question.id) == o.id for a in reached)]
        if given and len(given) < len(question.options):
            parts.append(" or ".join(f"“{o.label}”" for o in given))
    return f"{title} (after {', '.join(parts)})" if parts else title


def _path(advisor: Advisor, answers: Mapping[str, str]) -> list[str]:
    """The chosen option ids in question order: a walk page's URL segments."""
    return [o.id for _, o in engine.answered_options(advisor, answers)]


def where_table(
    advisor: Advisor,
    answers: Mapping[str, str],
    size_cap: float,
    catalog: Catalog,
    prices: Prices,
    display: Mapping[str, str],
    offers: Sequence[costs.Offer],
) -> dict[str, Any]:
    """Where to run a model within `size_cap`, priced at every volume the advisor offers.

    A row per volume option, each with the budgets it stays within, so one page serves every
    volume and budget answer (advisor.js computes the same figures for one of them).
    """
    volume_q = next((q for q in advisor.questions if any(o.monthly_mtok for o in q.options)), None)
    budget_q = next((q for q in advisor.questions if any(o.usd for o in q.options)), None)
    rows = []
    first: dict[str, Any] | None = None
    for option in volume_q.options if volume_q else (None,):
        chosen = {**answers, volume_q.id: option.id} if volume_q and option else dict(answers)
        rec = engine.decide_where(advisor, chosen, size_cap, catalog, prices, offers)
        first = first or rec
        cost = rec["cost"]
        within = [
            b.label
            for b in (budget_q.options if budget_q else ())
            if cost is not None and b.usd is not None and cost["monthly_usd"] <= b.usd
        ]
        rows.append(
            {
                "volume": option.label if option else "1 million tokens",
                "volume_id": option.id if option else "default",
                "cost_text": cost_text(rec, display),
                "monthly_usd": cost["monthly_usd"] if cost else None,
                "within": within,
                "calculator_url": rec["calculator_url"],
            }
        )
    assert first is not None
    return {
        "run": first["run"],
        "run_title": RUN_TITLES[first["run"]],
        "run_reason": first["run_reason"],
        "models": [{"name": display[m], "url": f"/models/{m}/"} for m in first["candidates"]],
        "rows": rows,
        "budgets": budget_q is not None,
    }


def _question(
    advisor: Advisor,
    step: walk_mod.Step,
    part: str,
    subject: str,
    config: SiteConfig,
    catalog: Catalog,
    prices: Prices,
    titles: Mapping[str, str],
    calculator: costs.Scenario,
) -> View:
    """One question page of either walk; /advisor/ also carries the data advisor.js walks.

    `part` names the walk on the page; `subject` starts its title, which ends with the answers
    given so far.
    """
    answered = [
        {"question": q.text, "answer": o.label}
        for q, o in engine.answered_options(advisor, step.answers)
    ]
    first = step.url == ROOT  # the page advisor.js walks in place, and search engines may list
    base = common(
        config,
        step.url,
        _after(
            f"Advisor, {subject[0].lower()}{subject[1:]}: {step.question.text}",
            advisor,
            [step.answers],
        ),
        advisor.intro,
        scripts=["js/calculator.js", "js/advisor.js"] if first else [],
        indexed=first,
    )
    context = AdvisorQuestionContext(
        **base,
        question=step.question,
        number=len(answered) + 1,
        part=part,
        options=[
            {"option": step.question.option(option_id), "url": url}
            for option_id, url in step.options
        ],
        answered=answered,
        intro=advisor.intro if first else "",
        data=embed_json(client_data(advisor, catalog, prices, titles, calculator))
        if first
        else None,
    )
    return View(step.url, "advisor_question.html", context, "an advisor page")


def _what_page(
    url: str, title: str, what: engine.What, config: SiteConfig, titles: Mapping[str, str]
) -> View:
    """The end of the first walk: the advice, and the way on to where to run it."""
    description = "Where to start: prompting, retrieval or fine-tuning."
    context = AdvisorWhatContext(
        **common(config, url, title, description, indexed=False),
        heading="What to do",
        approaches=_approaches(what.approaches, titles),
        notes=list(what.notes),
        where_url=walk_mod.where_root(what.size),
    )
    return View(url, "advisor_what.html", context, "an advisor page")


def _where_page(
    url: str, title: str, table: dict[str, Any], config: SiteConfig, start: str
) -> View:
    """The end of the second walk: where to run it and its monthly cost at every volume."""
    description = "Where to run the model, and what it costs a month."
    context = AdvisorWhereContext(
        **common(config, url, title, description, indexed=False),
        result=table,
        restart=start,
    )
    return View(url, "advisor_where.html", context, "an advisor page")


def _approaches(
    approaches: Sequence[Mapping[str, Any]], titles: Mapping[str, str]
) -> list[dict[str, Any]]:
    return [
        {
            "title": a["title"],
            "reasons": a["reasons"],
            "learn": [
                {"title": titles[s], "url": f"/learn/{s}/"} for s in a["learn"] if s in titles
            ],
        }
        for a in approaches
    ]


def client_data(
    advisor: Advisor,
    catalog: Catalog,
    prices: Prices,
    titles: Mapping[str, str],
    calculator: costs.Scenario,
) -> dict[str, Any]:
    """What advisor.js needs: the rules, display names, and the calculator's data."""
    return {
        "advisor": asdict(advisor),
        "titles": dict(titles),
        "names": names(catalog, prices),
        "calc": calculator_data(catalog, prices, costs.offers(prices.rental), calculator),
        "constants": {
            **asdict(advisor.assumptions),
            "run_titles": RUN_TITLES,
            "billed": BILLED,
            "root": ROOT,
        },
    }
