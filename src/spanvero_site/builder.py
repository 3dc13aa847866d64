"""Build the whole site in memory: load, resolve, render, check. Writing is the caller's choice.

The build is a pure map from the site folder to a list of Outputs plus diagnostics, so tests and
the dev server can use it without touching the output folder.
"""

from __future__ import annotations

import datetime as dt
import os
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from spanvero_site import editorial, linkcheck, model_views
from spanvero_site import graph as graph_mod
from spanvero_site.assets import Assets, collect_assets
from spanvero_site.calculator_views import calculator_page
from spanvero_site.catalog import load_catalog
from spanvero_site.config import CONFIG_PATH, SiteConfig, load_config
from spanvero_site.diagnostics import Diagnostics
from spanvero_site.loader import load_pages
from spanvero_site.markdown import MarkdownRenderer, code_stylesheet
from spanvero_site.model import Link, Output, Rendered
from spanvero_site.prices import load_prices
from spanvero_site.render import Renderer, TemplateFailed
from spanvero_site.views import SiteViews
from spanvero_site.writer import output_path


def build_date() -> dt.date:
    """The date data ages are measured against: SOURCE_DATE_EPOCH when set, else today.

    Fixing it through the environment keeps two builds of the same input byte-identical, as
    reproducible-builds tooling expects.
    """
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), tz=dt.UTC).date()
    return dt.date.today()


@dataclass(frozen=True)
class BuildOptions:
    """What the command line can change about a build."""

    drafts: bool = False
    base_url: str | None = None
    strict: bool = False
    today: dt.date = field(default_factory=lambda: build_date())


@dataclass(frozen=True)
class BuildResult:
    """The outputs of a build (empty when it failed) and everything it found wrong."""

    outputs: tuple[Output, ...]
    diagnostics: Diagnostics
    pages: int
    seconds: float


def build(root: Path, options: BuildOptions = BuildOptions()) -> BuildResult:
    """Build the site under `root`; outputs are empty when any error (or strict warning) exists."""
    started = time.perf_counter()
    diags = Diagnostics()
    config = load_config(root, diags)
    if config is None:
        return BuildResult((), diags, 0, time.perf_counter() - started)
    if options.base_url:
        config = config.with_base_url(options.base_url)
    outputs = _build(root, config, options, diags)
    if diags.has_errors(options.strict):
        outputs = []
    pages = sum(1 for o in outputs if o.path.endswith(".html"))
    return BuildResult(tuple(outputs), diags, pages, time.perf_counter() - started)


def _build(
    root: Path, config: SiteConfig, options: BuildOptions, diags: Diagnostics
) -> list[Output]:
    loaded = load_pages(root, config, diags, drafts=options.drafts)
    max_age = config.checks.max_price_age_days
    catalog = load_catalog(root, diags, options.today, max_age)
    prices = load_prices(
        root, diags, catalog.gpus.keys(), catalog.models.keys(), options.today, max_age
    )
    assets = collect_assets(root, {"css/code.css": code_stylesheet().encode()})
    graph = graph_mod.build_graph(
        loaded.pages,
        diags,
        extra_targets=model_views.model_targets(catalog),
        extra_routes=model_views.model_routes(catalog),
        unusable=(*loaded.unusable, *catalog.unusable),
    )
    markdown = MarkdownRenderer(allow_html=config.allow_html)

    def render_md(body: str, source: str, body_line: int) -> Rendered:
        return markdown.render(
            body,
            source=source,
            body_line=body_line,
            resolve_md=graph.resolve_md,
            base_path=config.base_path,
        )

    rendered = {
        page.id: render_md(page.body, page.source, page.body_line) for page in graph.pages.values()
    }
    notes = {
        model.id: render_md(model.notes, model.source_file, model.notes_line)
        for model in catalog.models.values()
    }
    backlinks = graph_mod.backlinks(graph, {pid: r.links for pid, r in rendered.items()})
    editorial.check_explainers(graph, backlinks, config.checks, diags)

    renderer = Renderer(root, config, assets.urls)
    renderer.check_syntax(diags)
    views = [
        *SiteViews(graph, rendered, backlinks, config).pages(),
        *(
            [calculator_page(page, rendered[page.id].html, catalog, prices, config)]
            if (page := graph.pages.get("calculator")) and catalog.models and catalog.gpus
            else []
        ),
        model_views.models_index(catalog, config),
        *(
            model_views.model_page(m, catalog, config, notes[m.id].html, graph.explainers)
            for m in catalog.models.values()
        ),
    ]
    html_pages: dict[str, str] = {}
    for url, template, context in views:
        try:
            html_pages[url] = renderer.render(template, context, diags)
        except TemplateFailed:
            continue

    sources = [(p.url, p.source, rendered[p.id].links) for p in graph.pages.values()]
    sources += [(m.url, m.source_file, notes[m.id].links) for m in catalog.models.values()]
    _check_links(graph, rendered, sources, config, assets, html_pages, diags)
    outputs = [
        Output(output_path(url), html.encode("utf-8"), _inputs(graph, url))
        for url, html in sorted(html_pages.items())
    ]
    return [*outputs, *assets.outputs]


def _inputs(graph: graph_mod.PageGraph, url: str) -> frozenset[str]:
    """The sources an output was made from (the dev server uses them to rebuild less)."""
    route = graph.routes.get(url)
    return frozenset({route.source}) if route and route.source else frozenset()


def _check_links(
    graph: graph_mod.PageGraph,
    rendered: Mapping[str, Rendered],
    sources: list[tuple[str, str, tuple[Link, ...]]],
    config: SiteConfig,
    assets: Assets,
    html_pages: Mapping[str, str],
    diags: Diagnostics,
) -> None:
    ids: dict[str, frozenset[str] | None] = {
        url: linkcheck.ids_in(html) for url, html in html_pages.items()
    }
    ids.update({url: frozenset() for url in graph.routes if url not in ids})
    ids.update({url: frozenset() for url in assets.urls.values()})
    ids.update({u.url: None for u in graph.unusable})
    headings = {
        graph.pages[pid].url: tuple(h.id for h in rendered[pid].headings) for pid in graph.pages
    }
    site = linkcheck.LinkSite(ids=ids, headings=headings, md_sources=frozenset(graph.md_urls))
    for page_url, source, links in sources:
        linkcheck.check_links(site, page_url, links, diags, source)
    for item in config.nav:
        linkcheck.check_link(site, "/", Link(item.url, item.line), diags, CONFIG_PATH)
    if config.advisor_url:
        line = config.advisor_line
        linkcheck.check_link(site, "/", Link(config.advisor_url, line), diags, CONFIG_PATH)
