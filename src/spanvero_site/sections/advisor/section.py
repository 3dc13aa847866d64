"""The advisor behind the seam: content/data/advisor.yaml, /advisor/ and its static pages."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from spanvero_site.core import yamlsource
from spanvero_site.core.diagnostics import Diagnostics
from spanvero_site.core.graph import PageGraph
from spanvero_site.core.pages import Unusable
from spanvero_site.core.section import (
    Contribution,
    Input,
    LoadContext,
    Loaded,
    Section,
    SiteState,
)
from spanvero_site.data.catalog import Catalog
from spanvero_site.data.records import Prices
from spanvero_site.sections.advisor import walk
from spanvero_site.sections.advisor.data import ADVISOR_PATH, load_advisor
from spanvero_site.sections.advisor.engine import Advisor
from spanvero_site.sections.advisor.views import ROOT, Plan, advisor_pages, plan
from spanvero_site.sections.calculator.section import CalculatorData
from spanvero_site.sections.calculator.views import default_scenario


class AdvisorSection(Section):
    """/advisor/: questions and rules from advisor.yaml, answered with the catalogue and prices."""

    name = "advisor"
    reads = (Input(ADVISOR_PATH),)
    requires = ("models", "prices", "calculator")

    def load(self, ctx: LoadContext, needs: Mapping[str, Loaded], diags: Diagnostics) -> Loaded:
        catalog: Catalog = needs["models"].data
        prices: Prices = needs["prices"].data
        budget = ctx.config.checks.max_advisor_pages
        found: Planned | Unmade | None = ctx.memo.get(
            "advisor:plan",
            (ctx.fingerprint(*self.inputs), needs["models"].key, needs["prices"].key, budget),
            lambda d: _load_and_plan(ctx, catalog, prices, budget, d),
            diags,
        )
        if isinstance(found, Unmade):
            # A link to /advisor/ is no broken link: it waits on the file that failed, and that
            # file's error names it (`Diagnostics.unchecked`).
            return Loaded(unusable=(Unusable("advisor", ROOT, found.cause),))
        return Loaded(data=found)

    def build(self, site: SiteState, diags: Diagnostics) -> Contribution:
        found: Planned | None = site.data(self.name)
        if found is None:
            return Contribution()
        titles = {pid: site.graph.pages[pid].title for pid in site.graph.explainers}
        _check_explainer_links(site, found.advisor, titles, site.graph, diags)
        catalog: Catalog = site.data("models")
        prices: Prices = site.data("prices")
        calculator: CalculatorData = site.data("calculator")
        defaults = default_scenario(catalog, prices, calculator.model, calculator.gpu)
        views = advisor_pages(
            found.plan, found.advisor, catalog, prices, site.config, titles, defaults
        )
        return Contribution(views=tuple(views), sitemap=((ROOT, None),))


@dataclass(frozen=True)
class Planned:
    """A valid advisor and its static walks."""

    advisor: Advisor
    plan: Plan


@dataclass(frozen=True)
class Unmade:
    """An advisor that cannot be made because `cause` failed (and reported why): advisor.yaml
    itself, or a file it requires (gpus.yaml, a model file)."""

    cause: str


def _load_and_plan(
    ctx: LoadContext, catalog: Catalog, prices: Prices, budget: int, diags: Diagnostics
) -> Planned | Unmade | None:
    """The advisor and its walks; Unmade (reported) when it cannot be made or walked in
    budget; None without an advisor.yaml, or without a model or GPU when none failed (nothing
    to answer with: /advisor/ is simply not built, like /calculator/)."""
    rent_only = {g.id for g in catalog.gpus.values() if not g.ownable}
    advisor = load_advisor(ctx.root, diags, catalog.gpu_ids(), rent_only)
    if advisor is None or not (catalog.models and catalog.gpus):
        return _unmade(ctx.root, catalog, diags)
    split = walk.halves(advisor)
    if split.both:
        names = ", ".join(f"'{q}'" for q in split.both)
        whens = [("placement", i, p.when) for i, p in enumerate(advisor.placement)]
        whens += [("rules", i, r.when) for i, r in enumerate(advisor.rules)]
        where = next(
            ((part, i, key) for part, i, when in whens for key, _ in when if key in split.both),
            None,
        )
        locate = yamlsource.Positions((ctx.root / ADVISOR_PATH).read_text("utf-8")).locate
        line, col = locate((where[0], where[1], "when", where[2])) if where else (1, 1)
        diags.error(
            "E721",
            f"question {names} is named both by rules and by placement",
            ADVISOR_PATH,
            line,
            col,
            "the static advisor asks what to do and where to run it separately: let a "
            "question decide one of the two",
        )
        return Unmade(ADVISOR_PATH)
    try:
        planned = plan(advisor, catalog, prices)
    except walk.WalkTooLarge:
        planned = None
    if planned is None or planned.page_count > budget:
        count = "too many to count" if planned is None else f"{planned.page_count} static pages"
        diags.error(
            "E720",
            f"the advisor's rules need {count}, more than checks.max_advisor_pages ({budget})",
            ADVISOR_PATH,
            1,
            1,
            "fewer options, or questions that only some answers ask (ask_if); or raise "
            "checks.max_advisor_pages in site.yaml",
        )
        return Unmade(ADVISOR_PATH)
    return Planned(advisor, planned)


def _unmade(root: Path, catalog: Catalog, diags: Diagnostics) -> Unmade | None:
    """Why the advisor could not be read or has nothing to answer with: advisor.yaml when it
    reported an error, else the model or GPU file that failed (a gpus.yaml that does not parse
    leaves advisor.yaml's GPU to buy unknown, without an error of its own)."""
    if not (root / ADVISOR_PATH).exists():
        return None
    if any(d.path == ADVISOR_PATH for d in diags.errors):
        return Unmade(ADVISOR_PATH)
    return Unmade(catalog.first_failure()) if catalog.failed() else None


def _check_explainer_links(
    site: SiteState,
    advisor: Advisor,
    titles: Mapping[str, str],
    graph: PageGraph,
    diags: Diagnostics,
) -> None:
    """Every explainer an approach cites must exist (unless its source is already broken)."""
    locate = None
    for index, approach in enumerate(advisor.approaches):
        for position, slug in enumerate(approach.learn):
            if slug in titles:
                continue
            # Only for a slug not found: listing every explainer reads them all (see the
            # models section's `_linked_explainers`).
            known = graph.known_explainers()
            missing = known.missing(
                slug, f"unknown explainer '{slug}'", "use the slug of a published explainer"
            )
            if missing is None:
                continue
            if locate is None:
                locate = yamlsource.Positions((site.root / ADVISOR_PATH).read_text("utf-8")).locate
            line, col = locate(("approaches", index, "learn", position))
            missing.report(diags, "E302", ADVISOR_PATH, line, col)
