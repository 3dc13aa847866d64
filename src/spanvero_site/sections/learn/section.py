"""The explainers behind the seam: content/index.md and content/learn/*.md, /learn/ and its feed."""

from __future__ import annotations

from collections.abc import Mapping

from spanvero_site.core.diagnostics import Diagnostics
from spanvero_site.core.memo import file_key
from spanvero_site.core.pages import Page
from spanvero_site.core.section import (
    Contribution,
    File,
    LoadContext,
    Loaded,
    Section,
    SiteState,
    View,
)
from spanvero_site.sections.learn import editorial
from spanvero_site.sections.learn.feed import EXPLAINER_FEED, atom_feed, explainer_sitemap
from spanvero_site.sections.learn.figures import draw_figures, report_undrawn
from spanvero_site.sections.learn.loader import LEARN_DIR, load_explainer, load_pages
from spanvero_site.sections.learn.views import LearnViews


class LearnSection(Section):
    """Explainers, the home page, /learn/ with its tags, search, 404 and the explainers' feed."""

    name = "learn"
    inputs = ("content/index.md", LEARN_DIR)
    draws_figures = True

    def load(self, ctx: LoadContext, needs: Mapping[str, Loaded], diags: Diagnostics) -> Loaded:
        loaded = load_pages(ctx.root, ctx.config, diags, drafts=ctx.drafts, memo=ctx.memo)
        return Loaded(pages=loaded.pages, unusable=loaded.unusable)

    def build(self, site: SiteState, diags: Diagnostics) -> Contribution:
        editorial.check_explainers(site.graph, site.backlinks, site.config.checks, diags)
        graph = site.graph
        bodies = {}
        drawing = (*graph.explainers, "home")
        report_undrawn(site, frozenset(drawing), diags)
        for page_id in drawing:
            if page_id in graph.pages and site.rendered[page_id].figures:
                page, rendered = graph.pages[page_id], site.rendered[page_id]
                html = draw_figures(page, rendered, site.charts, site.config.base_path, diags)
                if html is not None:
                    bodies[page_id] = html
        views = LearnViews(graph, site.rendered, site.backlinks, site.config, bodies).pages()
        moves = tuple(
            (alias, graph.pages[pid].url)
            for pid in graph.explainers
            for alias in graph.pages[pid].aliases
        )
        return Contribution(
            views=tuple(views),
            files=(File(EXPLAINER_FEED, atom_feed(graph, site.config).encode(), "the feed"),),
            sitemap=tuple(explainer_sitemap(graph)),
            redirects=moves,
        )

    def reload_page(self, ctx: LoadContext, source: str, diags: Diagnostics) -> Page | None:
        if not source.startswith(f"{LEARN_DIR}/"):
            return None
        return ctx.memo.get(
            source,
            (file_key(ctx.root / source), ctx.config.topics),
            lambda d: load_explainer(ctx.root, source, ctx.config, d),
            diags,
        )

    def page_view(self, site: SiteState, page_id: str) -> View | None:
        page = site.graph.pages.get(page_id)
        if page is None or page.kind != "explainer":
            return None
        html = draw_figures(page, site.rendered[page_id], site.charts, site.config.base_path, None)
        if html is None:
            return None  # a figure that cannot be drawn: the full build reports it
        views = LearnViews(site.graph, site.rendered, site.backlinks, site.config, {page_id: html})
        return views.explainer(page_id)
