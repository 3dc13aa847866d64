"""The model catalogue behind the seam: content/models/ and gpus.yaml, /models/ and its pages.

Its loaded value, the Catalog, is what the prices, calculator and advisor sections require.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from pathlib import Path

from spanvero_site.core.config import CONFIG_PATH
from spanvero_site.core.diagnostics import Diagnostics
from spanvero_site.core.section import (
    Contribution,
    Document,
    Input,
    LoadContext,
    Loaded,
    Section,
    SiteState,
)
from spanvero_site.data.catalog import GPUS_PATH, MODELS_DIR, Catalog, load_catalog
from spanvero_site.data.source_domains import SOURCE_DOMAINS_PATH, check_primary_sources
from spanvero_site.sections.models import views


def notes_key(model_id: str) -> str:
    """The key under which a model's rendered notes are found in SiteState.rendered."""
    return f"notes:{model_id}"


def _load(root: Path, diags: Diagnostics, today: dt.date, max_age: int) -> Catalog:
    catalog = load_catalog(root, diags, today, max_age)
    check_primary_sources(root, diags)
    return catalog


class ModelsSection(Section):
    """Models and GPUs: loaded and checked once, shown at /models/ and /models/<id>/."""

    name = "models"
    reads = (Input(MODELS_DIR, ".yaml", "models"), Input(GPUS_PATH), Input(SOURCE_DOMAINS_PATH))

    def load(self, ctx: LoadContext, needs: Mapping[str, Loaded], diags: Diagnostics) -> Loaded:
        max_age = ctx.config.checks.max_price_age_days
        key = (ctx.fingerprint(*self.inputs), ctx.today, max_age)
        catalog: Catalog = ctx.memo.get(
            "models:catalog",
            key,
            lambda d: _load(ctx.root, d, ctx.today, max_age),
            diags,
        )
        return Loaded(
            data=catalog,
            key=key,
            targets=tuple(views.model_targets(catalog)),
            documents=tuple(
                Document(notes_key(m.id), m.notes, m.source_file, m.notes_line, m.url)
                for m in catalog.models.values()
            ),
            unusable=catalog.unusable,
        )

    def build(self, site: SiteState, diags: Diagnostics) -> Contribution:
        catalog: Catalog = site.data(self.name)
        pages = [views.models_index(catalog, site.config)]
        linked = _linked_explainers(site, "explainers", diags)
        moe = next(iter(_linked_explainers(site, "moe_explainer", diags)), None)
        for model in catalog.models.values():
            notes = site.rendered[notes_key(model.id)].html
            pages.append(views.model_page(model, catalog, site.config, notes, linked, moe))
        newest = max((m.as_of for m in catalog.models.values()), default=None)
        return Contribution(
            views=tuple(pages),
            sitemap=(("/models/", newest), *((m.url, m.as_of) for m in catalog.models.values())),
        )


def _linked_explainers(site: SiteState, key: str, diags: Diagnostics) -> list[tuple[str, str]]:
    """Explainers named in site.yaml's `models:` block (`explainers`, linked from every model
    page; `moe_explainer`, from mixture-of-experts models only), as (slug, short title) from
    the page graph; an unknown slug is reported at its line."""
    setting = site.config.setting("models", key)
    if setting is None:
        return []
    linked = []
    slugs = setting.value if isinstance(setting.value, tuple) else (setting.value,)
    for slug in slugs:
        page = site.graph.pages.get(slug)
        if page is not None and page.kind == "explainer":
            linked.append((slug, page.short_title))
            continue
        # Only for a slug not found: listing every explainer reads them all, and then a title
        # edit anywhere would rebuild every model page (see core/reads.py).
        known = site.graph.known_explainers()
        missing = known.missing(slug, f"unknown explainer '{slug}'", "use an explainer's slug")
        if missing is not None:
            missing.report(diags, "E302", CONFIG_PATH, setting.line, setting.col)
    return linked
