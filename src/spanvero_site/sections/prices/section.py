"""The price log behind the seam: prices.yaml, /prices/, its weekly pages and feed.

Its loaded value, Prices, is what the calculator and advisor sections require.
"""

from __future__ import annotations

from collections.abc import Mapping

from spanvero_site.core.diagnostics import Diagnostics
from spanvero_site.core.section import (
    Contribution,
    Input,
    LoadContext,
    Loaded,
    Section,
    SiteState,
)
from spanvero_site.data.catalog import Catalog
from spanvero_site.data.prices import PRICES_PATH, load_prices
from spanvero_site.data.records import Prices
from spanvero_site.sections.prices import views
from spanvero_site.sections.prices.index import price_changes
from spanvero_site.sections.prices.weeks import price_weeks


class PricesSection(Section):
    """Rental, API and electricity price histories, validated against the catalogue's ids."""

    name = "prices"
    reads = (Input(PRICES_PATH),)
    requires = ("models",)

    def load(self, ctx: LoadContext, needs: Mapping[str, Loaded], diags: Diagnostics) -> Loaded:
        catalog: Catalog = needs["models"].data
        max_age = ctx.config.checks.max_price_age_days
        key = (ctx.fingerprint(*self.inputs), needs["models"].key, ctx.today, max_age)
        prices: Prices = ctx.memo.get(
            "prices:prices",
            key,
            lambda d: load_prices(
                ctx.root, d, catalog.gpu_ids(), catalog.model_ids(), ctx.today, max_age
            ),
            diags,
        )
        return Loaded(data=prices, key=key)

    def build(self, site: SiteState, diags: Diagnostics) -> Contribution:
        prices: Prices = site.data(self.name)
        catalog: Catalog = site.data("models")
        names = views.names(catalog)
        changes = price_changes(prices, names)
        logs = {kind: price_weeks(prices, names, changes, kind) for _, _, kind in views.LOG_PAGES}
        weeks = logs[None]
        pages = views.price_pages(prices, catalog, logs, site.config)
        return Contribution(
            views=tuple(pages),
            files=(views.price_feed(weeks, site.config), *views.email_files(weeks, site.config)),
            sitemap=tuple(views.sitemap_entries(weeks)),
        )
