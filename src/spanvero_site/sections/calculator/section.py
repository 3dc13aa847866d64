"""The calculator behind the seam: content/calculator.md and the models and prices it compares."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from spanvero_site.core.config import CONFIG_PATH, SiteConfig
from spanvero_site.core.diagnostics import Diagnostics, listing
from spanvero_site.core.memo import file_key
from spanvero_site.core.pages import Unusable
from spanvero_site.core.section import (
    Contribution,
    Input,
    LoadContext,
    Loaded,
    Section,
    SiteState,
)
from spanvero_site.core.sources import load_markdown_page
from spanvero_site.data import costs
from spanvero_site.data.catalog import Catalog
from spanvero_site.data.measurements import MEASUREMENTS_PATH, load_measurements
from spanvero_site.data.records import Prices
from spanvero_site.sections.calculator.accuracy import URL as ACCURACY_URL
from spanvero_site.sections.calculator.accuracy import accuracy_page
from spanvero_site.sections.calculator.figures import CHART, CostFigure
from spanvero_site.sections.calculator.views import calculator_page

INTRO = "content/calculator.md"
URL = "/calculator/"


class CalculatorSection(Section):
    """/calculator/: its intro text from content/calculator.md, its figures from costs.py."""

    name = "calculator"
    reads = (Input(INTRO), Input(MEASUREMENTS_PATH))
    requires = ("models", "prices")

    def load(self, ctx: LoadContext, needs: Mapping[str, Loaded], diags: Diagnostics) -> Loaded:
        catalog: Catalog = needs["models"].data
        measurements = ctx.memo.get(
            "calculator:measurements",
            (ctx.fingerprint(MEASUREMENTS_PATH), needs["models"].key, ctx.today),
            lambda d: load_measurements(ctx.root, d, catalog, ctx.today),
            diags,
        )
        data = CalculatorData(measurements, *_defaults(ctx.config, catalog, diags))
        prices: Prices = needs["prices"].data
        offers = costs.offers(prices.rental)
        charts = {CHART: CostFigure(catalog, prices, offers, data.gpu)}  # for explainers' figures
        key = file_key(ctx.root / INTRO)
        if key is None:
            return Loaded(data=data, charts=charts)
        page = ctx.memo.get(
            INTRO,
            key,
            lambda d: load_markdown_page(ctx.root, INTRO, "calculator", "calculator", URL, d),
            diags,
        )
        pages = (page,) if page is not None else ()
        if page is None or (catalog.failed() and not (catalog.models and catalog.gpus)):
            # Its pages cannot be made because a source failed (reported at that source):
            # links to them are not broken links, the root error explains them.
            cause = INTRO if page is None else catalog.first_failure()
            left_out = (
                Unusable("calculator", URL, cause),
                Unusable("calculator/accuracy", ACCURACY_URL, cause),
            )
            return Loaded(data=data, pages=pages, unusable=left_out, charts=charts)
        return Loaded(data=data, pages=pages, charts=charts)

    def build(self, site: SiteState, diags: Diagnostics) -> Contribution:
        catalog: Catalog = site.data("models")
        prices: Prices = site.data("prices")
        page = site.graph.pages.get("calculator")
        if page is None or not (catalog.models and catalog.gpus):
            return Contribution()
        body = site.rendered[page.id].html
        data: CalculatorData = site.data(self.name)
        return Contribution(
            views=(
                calculator_page(page, body, catalog, prices, site.config, data.model, data.gpu),
                accuracy_page(data.measurements, catalog, site.config),
            ),
            sitemap=((URL, None), (ACCURACY_URL, None)),
        )


@dataclass(frozen=True)
class CalculatorData:
    """What the calculator section loaded: the speed measurements and its default scenario's
    model and GPU (from site.yaml's `calculator:` block), for itself and the advisor."""

    measurements: Any
    model: str
    gpu: str


def _defaults(config: SiteConfig, catalog: Catalog, diags: Diagnostics) -> tuple[str, str]:
    """The default model and GPU named in site.yaml, each checked against the catalogue (one
    whose source failed to load waits on it: named in that source's error, not here)."""
    chosen = []
    for key, found, ids in (
        ("default_model", catalog.models, catalog.model_ids()),
        ("default_gpu", catalog.gpus, catalog.gpu_ids()),
    ):
        chosen.append(next(iter(found), ""))
        setting = config.setting("calculator", key)
        if setting is None:
            continue
        if setting.value in found:
            chosen[-1] = setting.value
            if key == "default_gpu" and not catalog.gpus[setting.value].ownable:
                diags.error(
                    "E715",
                    f"GPU '{setting.value}' has no price in gpus.yaml, so it can only be rented: "
                    "it cannot be the calculator's default for the reader's own hardware",
                    CONFIG_PATH,
                    setting.line,
                    setting.col,
                    "give it a dated price in gpus.yaml, or choose a GPU that has one",
                )
            continue
        kind = key.removeprefix("default_")
        missing = ids.missing(
            str(setting.value),
            f"unknown {kind} id '{setting.value}'",
            listing("use an id from ", found, f"there is no {kind} to choose from", limit=5),
        )
        if missing is not None:
            missing.report(diags, "E302", CONFIG_PATH, setting.line, setting.col)
    return chosen[0], chosen[1]
