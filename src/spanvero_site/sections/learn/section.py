"""The explainers behind the seam: content/index.md and content/learn/*.md, /learn/ and its feed."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from functools import partial

from spanvero_site.core import graph as graph_mod
from spanvero_site.core.diagnostics import Diagnostics
from spanvero_site.core.memo import file_key
from spanvero_site.core.pages import Page
from spanvero_site.core.section import (
    Contribution,
    File,
    Input,
    LoadContext,
    Loaded,
    Section,
    SiteState,
    View,
)
from spanvero_site.core.sources import load_markdown_page
from spanvero_site.sections.learn import editorial
from spanvero_site.sections.learn.feed import EXPLAINER_FEED, atom_feed, explainer_sitemap
from spanvero_site.sections.learn.figures import draw_figures, report_undrawn
from spanvero_site.sections.learn.loader import (
    HOME_PAGE,
    LEARN_DIR,
    SECTION_PAGES,
    check_loaded,
    load_explainer,
    load_pages,
)
from spanvero_site.sections.learn.views import LearnViews


class LearnSection(Section):
    """Explainers, the home page, /learn/ with its tags, search, 404 and the explainers' feed."""

    name = "learn"
    reads = (Input(HOME_PAGE), Input(LEARN_DIR, ".md", "explainers"))
    draws_figures = True

    def load(self, ctx: LoadContext, needs: Mapping[str, Loaded], diags: Diagnostics) -> Loaded:
        loaded = load_pages(
            ctx.root, ctx.config, diags, ctx.today, drafts=ctx.drafts, memo=ctx.memo
        )
        return Loaded(pages=loaded.pages, unusable=loaded.unusable)

    def build(self, site: SiteState, diags: Diagnostics) -> Contribution:
        editorial.check_explainers(site.graph, site.backlinks, site.config.checks, diags)
        drawing = (*site.graph.explainers, "home")
        report_undrawn(site, frozenset(drawing), diags)
        return _contribution(site, _draw(site, drawing, diags), {})

    def rebuild(
        self, site: SiteState, before: SiteState, last: Contribution, diags: Diagnostics
    ) -> Contribution | None:
        """The views whose inputs differ (an explainer whose page, body, Related, "Linked
        from" or prev/next changed, or whose figures' charts did; the tag pages whose pages
        changed; the lists), the others reused. Not when the config, the date, the documents
        or the set of pages changed. The site-wide checks run again; figures are drawn only on
        the pages viewed anew: a figure that cannot be drawn is an error, and `last` was built
        without one, so every other page's figures drew without a word."""
        graph, old = site.graph, before.graph
        same_site = (before.config, before.today, before.documents) == (
            site.config,
            site.today,
            site.documents,
        )
        if not same_site or graph.pages.keys() != old.pages.keys():
            return None
        editorial.check_explainers(graph, site.backlinks, site.config.checks, diags)
        report_undrawn(site, frozenset((*graph.explainers, "home")), diags)
        redraw = before.charts != site.charts
        stale = [
            pid
            for pid in graph.explainers
            if _shown(site, pid) != _shown(before, pid) or (redraw and site.rendered[pid].figures)
        ]
        bodies = _draw(site, (*stale, "home"), diags)
        changed = {pid for pid in graph.explainers if graph.pages[pid] is not old.pages[pid]}
        fresh = {graph.pages[pid].url for pid in stale}
        fresh.update(
            graph_mod.tag_url(tag)
            for tag, ids in graph.tags.items()
            if old.tags.get(tag) != ids or changed.intersection(ids)
        )
        # by URL, and only pages() asks for these kinds (an alias may share a URL, in error)
        reusable = ("explainer.html", "tag.html", "404.html")
        reuse = {v.url: v for v in last.views if v.template in reusable and v.url not in fresh}
        return _contribution(site, bodies, reuse)

    def reload_page(self, ctx: LoadContext, source: str, diags: Diagnostics) -> Page | None:
        entry = next((entry for entry in SECTION_PAGES if entry[0] == source), None)
        if entry is not None:  # the home page, keyed as `load_pages` keys it
            key = file_key(ctx.root / source)
            load = partial(load_markdown_page, ctx.root, *entry)
            return None if key is None else ctx.memo.get(source, key, load, diags)
        if not source.startswith(f"{LEARN_DIR}/"):
            return None
        page = ctx.memo.get(
            source,
            (file_key(ctx.root / source), ctx.config.known_topics),
            lambda d: load_explainer(ctx.root, source, ctx.config, d),
            diags,
        )
        if page is not None:
            check_loaded(page, ctx.today, ctx.drafts, diags)
        return page

    def page_view(self, site: SiteState, page_id: str) -> View | None:
        page = site.graph.pages.get(page_id)
        if page is None or (page.kind != "explainer" and page_id != "home"):
            return None
        html = draw_figures(page, site.rendered[page_id], site.charts, site.config.base_path, None)
        if html is None:
            return None  # a figure that cannot be drawn: the full build reports it
        views = LearnViews(site.graph, site.rendered, site.backlinks, site.config, {page_id: html})
        return views.home(page) if page_id == "home" else views.explainer(page_id)


def _draw(site: SiteState, page_ids: Iterable[str], diags: Diagnostics) -> dict[str, str]:
    """The body HTML, figures drawn, of those of these pages that have figures."""
    graph, bodies = site.graph, {}
    for page_id in page_ids:
        if page_id in graph.pages and site.rendered[page_id].figures:
            page, rendered = graph.pages[page_id], site.rendered[page_id]
            html = draw_figures(page, rendered, site.charts, site.config.base_path, diags)
            if html is not None:
                bodies[page_id] = html
    return bodies


def _contribution(
    site: SiteState, bodies: Mapping[str, str], reuse: Mapping[str, View]
) -> Contribution:
    graph = site.graph
    views = LearnViews(graph, site.rendered, site.backlinks, site.config, bodies).pages(reuse)
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


def _shown(site: SiteState, page_id: str) -> tuple[object, ...]:
    """Everything an explainer's view is made of, beside the site's config and charts."""
    graph = site.graph
    prev_id, next_id = graph.prev_next[page_id]
    return (
        graph.pages[page_id],
        site.rendered[page_id],
        graph.related[page_id],
        site.backlinks.get(page_id, ()),
        graph.targets[prev_id] if prev_id else None,
        graph.targets[next_id] if next_id else None,
    )
