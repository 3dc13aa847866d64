"""The calculator behind the seam: content/calculator.md and the models and prices it compares."""

from __future__ import annotations

from collections.abc import Mapping

from spanvero_site.core.diagnostics import Diagnostics
from spanvero_site.core.memo import file_key
from spanvero_site.core.pages import Unusable
from spanvero_site.core.section import Contribution, LoadContext, Loaded, Section, SiteState
from spanvero_site.core.sources import load_markdown_page
from spanvero_site.data.catalog import GPUS_PATH, MODELS_DIR, Catalog
from spanvero_site.data.measurements import MEASUREMENTS_PATH, load_measurements
from spanvero_site.data.records import Prices
from spanvero_site.sections.calculator.accuracy import URL as ACCURACY_URL
from spanvero_site.sections.calculator.accuracy import accuracy_page
from spanvero_site.sections.calculator.views import calculator_page

INTRO = "content/calculator.md"
URL = "/calculator/"


class CalculatorSection(Section):
    """/calculator/: its intro text from content/calculator.md, its figures from costs.py."""

    name = "calculator"
    inputs = (INTRO, MEASUREMENTS_PATH)
    requires = ("models", "prices")

    def load(self, ctx: LoadContext, needs: Mapping[str, Loaded], diags: Diagnostics) -> Loaded:
        catalog: Catalog = needs["models"].data
        measurements = ctx.memo.get(
            "calculator:measurements",
            (ctx.fingerprint(MEASUREMENTS_PATH, MODELS_DIR, GPUS_PATH), ctx.today),
            lambda d: load_measurements(ctx.root, d, catalog.models, catalog.gpus, ctx.today),
            diags,
        )
        key = file_key(ctx.root / INTRO)
        if key is None:
            return Loaded(data=measurements)
        page = ctx.memo.get(
            INTRO,
            key,
            lambda d: load_markdown_page(ctx.root, INTRO, "calculator", "calculator", URL, d),
            diags,
        )
        if page is None:
            return Loaded(data=measurements, unusable=(Unusable("calculator", URL, INTRO),))
        return Loaded(data=measurements, pages=(page,))

    def build(self, site: SiteState, diags: Diagnostics) -> Contribution:
        catalog: Catalog = site.data("models")
        prices: Prices = site.data("prices")
        page = site.graph.pages.get("calculator")
        if page is None or not (catalog.models and catalog.gpus):
            return Contribution()
        body = site.rendered[page.id].html
        measurements = site.data(self.name)
        return Contribution(
            views=(
                calculator_page(page, body, catalog, prices, site.config, site.today),
                accuracy_page(measurements, catalog, site.config),
            ),
            sitemap=((URL, None), (ACCURACY_URL, None)),
        )
