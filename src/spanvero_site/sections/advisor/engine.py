"""The advisor's rules engine: answers in, an honest recommendation out.

The rules are data (content/data/advisor.yaml, read by advisor_data.py); this module only walks
them, as static/js/advisor.js does in the browser. Shared vectors keep the two in agreement.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from spanvero_site.data import costs
from spanvero_site.data.catalog import Catalog
from spanvero_site.data.records import Prices

Answers = Mapping[str, str]
When = tuple[tuple[str, tuple[str, ...]], ...]
RUNS = ("local", "rented", "cheapest")


@dataclass(frozen=True)
class Assumptions:
    """How the advisor prices an answer (advisor.yaml's `assumptions:`); the calculator link
    carries the resulting scenario, so a reader can change any of them there."""

    precision: str  # weights, a costs.PRECISIONS key
    context_tokens: int
    input_share: float  # of the monthly tokens, the share that is prompt
    hours_per_day: float  # owned hardware's hours at load
    payback_months: int  # owned hardware's price spread over this many months
    tier: str  # rental price tier
    gpu_to_buy: str  # the GPU priced when the answer is to buy one
    candidates: int  # models suggested
    # Requests served at once, each priced; the answer quotes the cheapest that fits in memory
    # and keeps up: batching is how one GPU serves a large workload (DOMAIN.md, decode speed).
    concurrency: tuple[int, ...]
    # How a rented GPU is paid for (a costs.BILLING value). An answer describes a service that
    # people use when they need it, so advisor.yaml keeps it on all month: pricing only its busy
    # hours would quote a batch job (a few minutes a month at 64 requests at once) that nobody
    # asked about. Batching still lowers an always-on price, by letting a smaller GPU keep up.
    billing: str


@dataclass(frozen=True)
class Option:
    id: str
    label: str
    monthly_mtok: float | None = None
    usd: float | None = None
    gpu: str | None = None


@dataclass(frozen=True)
class Question:
    id: str
    text: str
    options: tuple[Option, ...]
    ask_if: When = ()

    def option(self, option_id: str) -> Option | None:
        return next((o for o in self.options if o.id == option_id), None)


@dataclass(frozen=True)
class Approach:
    id: str
    title: str
    learn: tuple[str, ...]


@dataclass(frozen=True)
class Rule:
    when: When
    approach: str | None = None
    reason: str | None = None
    note: str | None = None
    model_size: str | None = None


@dataclass(frozen=True)
class Placement:
    when: When
    run: str
    reason: str


@dataclass(frozen=True)
class Advisor:
    """Everything in advisor.yaml, validated."""

    intro: str
    questions: tuple[Question, ...]
    approaches: tuple[Approach, ...]
    default_reason: str
    model_sizes: tuple[tuple[str, float], ...]
    rules: tuple[Rule, ...]
    placement: tuple[Placement, ...]
    no_local_fit: str
    assumptions: Assumptions


def matches(when: When, answers: Answers) -> bool:
    """Whether every condition names the answer given (an unanswered question never matches)."""
    return all(answers.get(key) in values for key, values in when)


def asked(advisor: Advisor, answers: Answers) -> list[Question]:
    """The questions this reader is asked, in order, given the answers so far."""
    return [q for q in advisor.questions if matches(q.ask_if, answers)]


def next_question(advisor: Advisor, answers: Answers) -> Question | None:
    """The first question asked but not answered yet (None: the recommendation is ready)."""
    return next((q for q in asked(advisor, answers) if q.id not in answers), None)


def states(advisor: Advisor) -> Iterator[dict[str, str]]:
    """Every reachable set of answers, from none to complete, depth first (for the tests that
    hold advisor.js and these rules equal)."""
    pending: list[dict[str, str]] = [{}]
    while pending:
        answers = pending.pop()
        yield answers
        question = next_question(advisor, answers)
        if question is not None:
            pending.extend({**answers, question.id: o.id} for o in reversed(question.options))


def answered_options(advisor: Advisor, answers: Answers) -> list[tuple[Question, Option]]:
    found = []
    for question in asked(advisor, answers):
        option = question.option(answers.get(question.id, ""))
        if option is not None:
            found.append((question, option))
    return found


def _attribute(options: Sequence[Option], name: str) -> Any:
    return next((getattr(o, name) for o in options if getattr(o, name) is not None), None)


def _number(value: float) -> str:
    """A number as both Python and JavaScript print it in a URL ('22.5', '225')."""
    return str(int(value)) if value == int(value) else repr(value)


@dataclass(frozen=True)
class What:
    """What to do: the approaches the rules recommend, their caveats, and the model size cap."""

    approaches: tuple[dict[str, Any], ...]
    notes: tuple[str, ...]
    size: str | None  # the model_sizes key the rules ask for; None: any size
    size_cap_b: float


def decide_what(advisor: Advisor, answers: Answers) -> What:
    """The approach half of a recommendation: it reads only the questions the rules name."""
    matched = [rule for rule in advisor.rules if matches(rule.when, answers)]
    approaches = [
        {
            "id": a.id,
            "title": a.title,
            "reasons": [r.reason for r in matched if r.approach == a.id],
            "learn": list(a.learn),
        }
        for a in advisor.approaches
        if any(r.approach == a.id for r in matched)
    ]
    if not approaches:
        first = advisor.approaches[0]
        approaches = [
            {
                "id": first.id,
                "title": first.title,
                "reasons": [advisor.default_reason],
                "learn": list(first.learn),
            }
        ]
    sizes = dict(advisor.model_sizes)
    wanted = sorted((sizes[r.model_size], r.model_size) for r in matched if r.model_size)
    size = wanted[0][1] if wanted else None
    size_cap = wanted[0][0] if wanted else max(sizes.values())
    notes = tuple(r.note for r in matched if r.note)
    return What(tuple(approaches), notes, size, size_cap)


def recommend(
    advisor: Advisor,
    answers: Answers,
    catalog: Catalog,
    prices: Prices,
    offers: Sequence[costs.Offer] | None = None,
) -> dict[str, Any]:
    """The recommendation for a complete set of answers, as plain data (advisor.js mirrors it).

    `offers` are the rental prices with their status (costs.offers, the default): one listed as
    unavailable or whose price is out of date is never chosen, as on the calculator.
    """
    what = decide_what(advisor, answers)
    return {
        "approaches": list(what.approaches),
        "notes": list(what.notes),
        **decide_where(advisor, answers, what.size_cap_b, catalog, prices, offers),
    }


def decide_where(
    advisor: Advisor,
    answers: Answers,
    size_cap: float,
    catalog: Catalog,
    prices: Prices,
    offers: Sequence[costs.Offer] | None = None,
) -> dict[str, Any]:
    """The placement half: where to run a model within `size_cap`, and what it costs a month.

    It reads the questions the placement list names, the owned GPU, the volume and the budget.
    """
    placement = next(p for p in advisor.placement if matches(p.when, answers))
    run, run_reason = placement.run, placement.reason

    options = [option for _, option in answered_options(advisor, answers)]
    owned_gpu = _attribute(options, "gpu")
    volume = _attribute(options, "monthly_mtok") or 1.0
    budget = _attribute(options, "usd")
    gpu_id = owned_gpu if owned_gpu in catalog.gpus else advisor.assumptions.gpu_to_buy
    gpu = catalog.gpus[gpu_id]

    if offers is None:
        offers = costs.offers(prices.rental)
    candidates = _candidates(run, size_cap, gpu_id, catalog, prices, offers, advisor.assumptions)
    if run == "local" and not candidates:
        run, run_reason = "rented", advisor.no_local_fit
        candidates = _candidates(
            run, size_cap, gpu_id, catalog, prices, offers, advisor.assumptions
        )

    result: dict[str, Any] = {
        "run": run,
        "run_reason": run_reason,
        "size_cap_b": size_cap,
        "candidates": candidates,
        "scenario": None,
        "cost": None,
        "memory_bound": False,
        "over_budget": False,
        "calculator_url": None,
    }
    if not candidates:
        return result
    # The calculator scenario behind the answer: the reader's own GPU at no extra cost; with
    # none, a GPU to buy only when the answer is to run locally, otherwise no hardware at all.
    own = 1 if owned_gpu or run == "local" else 0
    hardware = 0.0 if owned_gpu or not own else (gpu.price_usd or 0.0)
    assume = advisor.assumptions
    tried = []
    for concurrency in assume.concurrency:
        scenario = costs.Scenario(
            model=candidates[0],
            precision=assume.precision,
            input_mtok=volume * assume.input_share,
            output_mtok=volume * (1 - assume.input_share),
            concurrency=concurrency,
            gpu=gpu_id,
            gpus=own,
            hardware_usd=hardware,
            usd_per_kwh=prices.electricity.usd_per_kwh if prices.electricity else 0.17,
            context=min(assume.context_tokens, catalog.models[candidates[0]].context_length),
            hours_per_day=assume.hours_per_day,
            amortization_months=assume.payback_months,
            tier=assume.tier,
            billing=assume.billing,
        )
        compared = costs.compare(
            scenario,
            catalog.models[scenario.model],
            dict(catalog.gpus),
            offers,
            costs.api_offers(prices.api),
        )
        tried.append((scenario, _pick_cost(run, compared), _fits(run, compared)))
    scenario, cost, memory_bound = _best(tried)
    result.update(
        scenario={
            "model": scenario.model,
            "input_mtok": scenario.input_mtok,
            "output_mtok": scenario.output_mtok,
            "concurrency": scenario.concurrency,
            "billing": scenario.billing,
            "gpu": scenario.gpu,
            "gpus": scenario.gpus,
            "hardware_usd": scenario.hardware_usd,
            "amortization_months": scenario.amortization_months,
        },
        cost=cost,
        memory_bound=memory_bound,
        over_budget=bool(cost and budget is not None and cost["monthly_usd"] > budget),
        calculator_url=(
            f"/calculator/?model={scenario.model}&precision={scenario.precision}"
            f"&ctx={scenario.context}&hours={_number(scenario.hours_per_day)}"
            f"&months={scenario.amortization_months}&tier={scenario.tier}"
            f"&in={_number(scenario.input_mtok)}&out={_number(scenario.output_mtok)}"
            f"&conc={scenario.concurrency}&gpu={scenario.gpu}&gpus={scenario.gpus}"
            f"&hw={_number(scenario.hardware_usd)}&billing={scenario.billing}"
        ),
    )
    return result


def _candidates(
    run: str,
    size_cap: float,
    gpu_id: str,
    catalog: Catalog,
    prices: Prices,
    offers: Sequence[costs.Offer],
    assume: Assumptions,
) -> list[str]:
    """A few models for the placement, largest first, within the size the rules allow.

    Where nothing ties the reader to one place, models some API serves come first: a hosted
    API is almost always the cheapest way to run a popular open model at modest volume. Only
    offers that can be had count: a GPU or an API its source lists as unavailable is no place
    to run a model (and one that ended is not in `prices` at all).
    """
    rental_gpus = sorted({o.gpu for o in offers if o.status == "ok" and o.gpu in catalog.gpus})
    api_models = {o.model for o in costs.api_offers(prices.api) if o.status == "ok"}
    hosted, other = [], []
    # Largest first; of two the same size, the newer release; then by id.
    order = sorted(
        catalog.models.values(), key=lambda m: (-m.params_b, -m.released.toordinal(), m.id)
    )
    for model in order:
        if model.params_b > size_cap:
            continue
        # A model that reads fewer tokens than the assumed context is sized at its maximum.
        context = min(assume.context_tokens, model.context_length)
        if run == "local":
            need = costs.memory_need(model, assume.precision, context)
            ok = costs.fits(need, catalog.gpus[gpu_id])
        else:
            ok = any(
                costs.gpus_needed(model, catalog.gpus[g], assume.precision, context) is not None
                for g in rental_gpus
            )
        if run == "cheapest" and model.id in api_models:
            hosted.append(model.id)
        elif ok:
            other.append(model.id)
    return [*hosted, *other][: assume.candidates]


def _best(
    tried: Sequence[tuple[costs.Scenario, dict[str, Any] | None, bool]],
) -> tuple[costs.Scenario, dict[str, Any] | None, bool]:
    """The scenario to quote of those tried at each concurrency: (scenario, cost, fits).

    Where to run is the cheapest place over every concurrency tried: serving more requests at
    once lets a smaller GPU keep up, until the KV cache no longer fits (compare() checks memory
    at each concurrency). It is quoted at the lowest concurrency at which that place is still
    the answer, because the answer says it serves that many requests at once: batching also
    trims a place's busy hours (a local GPU's electricity) at any volume, and would otherwise
    have a GPU that keeps up one request at a time said to serve 32, for a small volume that
    never has 32 requests in flight. When none keeps up, the highest concurrency that still
    fits, so the calculator link shows why; `memory_bound` says a higher one was tried and did
    not fit.
    """
    priced = [(cost["monthly_usd"], i) for i, (_, cost, _) in enumerate(tried) if cost]
    if priced:
        place = _place(tried[min(priced)[1]][1])
        scenario, cost, _ = next(t for t in tried if t[1] and _place(t[1]) == place)
        return scenario, cost, False
    fitting = [i for i, (_, _, fits) in enumerate(tried) if fits]
    last = fitting[-1] if fitting else 0
    return tried[last][0], None, last < len(tried) - 1


def _place(cost: dict[str, Any] | None) -> tuple[str, str, int] | None:
    """Where a cost is paid: its kind, option and number of GPUs."""
    return (cost["kind"], cost["option"], cost["gpus"]) if cost else None


def _fits(run: str, compared: dict[str, Any]) -> bool:
    """Whether the model fits in memory where the placement may run it, at this concurrency."""
    local = run != "rented" and bool(compared["local"]["fits"])
    rented = run != "local" and any(o["fits"] and o["status"] == "ok" for o in compared["rental"])
    return local or rented


def _pick_cost(run: str, compared: dict[str, Any]) -> dict[str, Any] | None:
    """The monthly cost of running where the recommendation says."""
    if run == "local":
        local = compared["local"]
        if local["monthly_usd"] is not None:
            return {
                "kind": "local",
                "option": local["gpu"],
                "gpus": local["gpus"],
                "monthly_usd": local["monthly_usd"],
            }
        return None
    if run == "rented":
        offers = [
            o for o in compared["rental"] if o["monthly_usd"] is not None and o["status"] == "ok"
        ]
        if not offers:
            return None
        best = offers[0]  # compare() sorts offers by monthly cost
        return {
            "kind": "rental",
            "option": costs.offer_key(best),
            "gpus": best["gpus"],
            "monthly_usd": best["monthly_usd"],
        }
    cheapest: dict[str, Any] | None = compared["cheapest"]
    return cheapest
