"""The advisor behind the seam: content/data/advisor.yaml, /advisor/ and its static pages."""

from __future__ import annotations

from collections.abc import Mapping

from spanvero_site.core import yamlsource
from spanvero_site.core.diagnostics import Diagnostics, did_you_mean
from spanvero_site.core.graph import PageGraph
from spanvero_site.core.pages import Unusable
from spanvero_site.core.section import Contribution, LoadContext, Loaded, Section, SiteState
from spanvero_site.data.catalog import Catalog
from spanvero_site.data.records import Prices
from spanvero_site.sections.advisor.data import ADVISOR_PATH, load_advisor
from spanvero_site.sections.advisor.engine import Advisor
from spanvero_site.sections.advisor.views import ROOT, advisor_pages


class AdvisorSection(Section):
    """/advisor/: questions and rules from advisor.yaml, answered with the catalogue and prices."""

    name = "advisor"
    inputs = (ADVISOR_PATH,)
    requires = ("models", "prices")

    def load(self, ctx: LoadContext, needs: Mapping[str, Loaded], diags: Diagnostics) -> Loaded:
        catalog: Catalog = needs["models"].data
        advisor: Advisor | None = ctx.memo.get(
            "advisor:advisor",
            (ctx.fingerprint(*self.inputs), tuple(catalog.gpus)),
            lambda d: load_advisor(ctx.root, d, catalog.gpus.keys()),
            diags,
        )
        broken = advisor is None and (ctx.root / ADVISOR_PATH).exists()
        return Loaded(
            data=advisor, unusable=(Unusable("advisor", ROOT, ADVISOR_PATH),) if broken else ()
        )

    def build(self, site: SiteState, diags: Diagnostics) -> Contribution:
        advisor: Advisor | None = site.data(self.name)
        catalog: Catalog = site.data("models")
        prices: Prices = site.data("prices")
        if advisor is None:
            return Contribution()
        titles = {pid: site.graph.pages[pid].title for pid in site.graph.explainers}
        _check_explainer_links(site, advisor, titles, site.graph, diags)
        if not (catalog.models and catalog.gpus):
            return Contribution()
        views = advisor_pages(advisor, catalog, prices, site.config, titles)
        return Contribution(views=tuple(views), sitemap=((ROOT, None),))


def _check_explainer_links(
    site: SiteState,
    advisor: Advisor,
    titles: Mapping[str, str],
    graph: PageGraph,
    diags: Diagnostics,
) -> None:
    """Every explainer an approach cites must exist (unless its source is already broken)."""
    skip = {u.id for u in graph.unusable}
    locate = None
    for index, approach in enumerate(advisor.approaches):
        for position, slug in enumerate(approach.learn):
            if slug in titles or slug in skip:
                continue
            if locate is None:
                locate = yamlsource.Positions((site.root / ADVISOR_PATH).read_text()).locate
            line, col = locate(("approaches", index, "learn", position))
            hint = did_you_mean(slug, titles) or "use the slug of a published explainer"
            diags.error("E302", f"unknown explainer '{slug}'", ADVISOR_PATH, line, col, hint)
