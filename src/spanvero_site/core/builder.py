"""Build the whole site in memory: load, resolve, render, check. Writing is the caller's choice.

The build is a pure map from the site folder to a list of Outputs plus diagnostics, so tests and
the dev server can use it without touching the output folder.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import gc
import os
import time
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from spanvero_site.core import graph as graph_mod
from spanvero_site.core import linkcheck, yamlsource
from spanvero_site.core.assets import STATIC, Assets, collect_assets
from spanvero_site.core.config import CONFIG_PATH, SiteConfig, load_config
from spanvero_site.core.diagnostics import Diagnostic, Diagnostics, did_you_mean
from spanvero_site.core.markdown import MarkdownRenderer, code_stylesheet
from spanvero_site.core.memo import (
    FileMemo,
    MarkdownMemo,
    PageMemo,
    RenderedPage,
    file_key,
    tree_key,
)
from spanvero_site.core.pages import Link, Output, Rendered, Target, Unusable
from spanvero_site.core.render import TEMPLATES, Renderer, TemplateFailed
from spanvero_site.core.writer import output_path
from spanvero_site.data.catalog import GPUS_PATH, MODELS_DIR, load_catalog
from spanvero_site.data.prices import PRICES_PATH, load_prices
from spanvero_site.sections.advisor import views as advisor_views
from spanvero_site.sections.advisor.data import ADVISOR_PATH, load_advisor
from spanvero_site.sections.advisor.engine import Advisor
from spanvero_site.sections.calculator.views import calculator_page
from spanvero_site.sections.learn import editorial
from spanvero_site.sections.learn.loader import LEARN_DIR, load_explainer, load_pages
from spanvero_site.sections.learn.views import SiteViews
from spanvero_site.sections.models import views as model_views
from spanvero_site.sections.prices import views as price_views
from spanvero_site.sections.publishing import outputs as publishing


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
    """The outputs of a build (empty when it failed) and everything it found wrong.

    `changed` and `removed` list the output paths that differ from the previous successful
    build of the same Builder (all paths on a first build), for the dev server.
    """

    outputs: tuple[Output, ...]
    diagnostics: Diagnostics
    pages: int
    seconds: float
    changed: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()


def build(root: Path, options: BuildOptions = BuildOptions()) -> BuildResult:
    """Build the site under `root` once; outputs are empty when any error (or strict warning)."""
    return Builder(root, options).build()


class Builder:
    """Builds one site folder, remembering its work so that a rebuild redoes only what changed.

    A rebuild after any edit gives exactly the outputs of a fresh build (the tests check it);
    it is faster because unchanged sources are not re-read, unchanged bodies not re-rendered
    and pages whose view context is unchanged not passed through their templates again.
    `dev` serves assets under their plain names, so a stylesheet edit changes no page.
    """

    def __init__(self, root: Path, options: BuildOptions = BuildOptions(), dev: bool = False):
        self.root = root
        self.options = options
        self.dev = dev
        self._files = FileMemo()
        self._markdown = MarkdownMemo()
        self._pages = PageMemo()
        self._renderer: Renderer | None = None
        self._last: dict[str, bytes] | None = None
        self._state: _State | None = None
        self._invalidated: set[str] = set()

    def invalidate(self, paths: Iterable[str]) -> None:
        """Forget what was loaded from these site-relative paths (the dev server's file events).

        File fingerprints already catch edits; this also catches two saves of the same size
        within one tick of the file system's clock.
        """
        for path in paths:
            self._invalidated.add(path)
            self._files.forget(path)
            if path.startswith(("content/models/", "content/data/")):
                self._files.forget("catalog")
                self._files.forget("prices")
            if path.startswith(f"{STATIC}/"):
                self._files.forget("assets")

    def build(self, today: dt.date | None = None) -> BuildResult:
        """Build now; `today` overrides the options' date (a long-running server's clock)."""
        started = time.perf_counter()
        changed, self._invalidated = self._invalidated, set()
        with _gc_paused():
            fast = self._rebuild_one_body(changed, today, started)
            return fast if fast is not None else self._full_build(today, started)

    def _full_build(self, today: dt.date | None, started: float) -> BuildResult:
        self._state = None
        diags = Diagnostics()
        config = load_config(self.root, diags)
        outputs: list[Output] = []
        if config is not None:
            if self.options.base_url:
                config = config.with_base_url(self.options.base_url)
            outputs = self._build(config, today or self.options.today, diags)
        if diags.has_errors(self.options.strict):
            self._state = None
            return BuildResult((), diags, 0, time.perf_counter() - started)
        return self._result(outputs, diags, started)

    def _result(self, outputs: list[Output], diags: Diagnostics, started: float) -> BuildResult:
        current = {o.path: o.data for o in outputs}
        previous = self._last or {}
        changed = tuple(p for p, data in current.items() if not _same(previous.get(p), data))
        removed = tuple(sorted(set(previous) - set(current)))
        self._last = current
        pages = sum(1 for o in outputs if o.path.endswith(".html"))
        return BuildResult(
            tuple(outputs), diags, pages, time.perf_counter() - started, changed, removed
        )

    def _build(self, config: SiteConfig, today: dt.date, diags: Diagnostics) -> list[Output]:
        root, files = self.root, self._files
        loaded = load_pages(root, config, diags, drafts=self.options.drafts, memo=files)
        max_age = config.checks.max_price_age_days
        catalog = files.get(
            "catalog",
            (tree_key(root / MODELS_DIR), file_key(root / GPUS_PATH), today, max_age),
            lambda d: load_catalog(root, d, today, max_age),
            diags,
        )
        prices = files.get(
            "prices",
            (
                file_key(root / PRICES_PATH),
                tuple(catalog.gpus),
                tuple(catalog.models),
                today,
                max_age,
            ),
            lambda d: load_prices(
                root, d, catalog.gpus.keys(), catalog.models.keys(), today, max_age
            ),
            diags,
        )
        advisor = files.get(
            "advisor",
            (file_key(root / ADVISOR_PATH), tuple(catalog.gpus)),
            lambda d: load_advisor(root, d, catalog.gpus.keys()),
            diags,
        )
        assets = files.get(
            "assets",
            tree_key(root / STATIC),
            lambda _: collect_assets(
                root, {"css/code.css": code_stylesheet().encode()}, hashed=not self.dev
            ),
            diags,
        )
        files.forget_unused()
        graph = graph_mod.build_graph(
            loaded.pages,
            diags,
            extra_targets=model_views.model_targets(catalog),
            extra_routes=[
                *model_views.model_routes(catalog),
                *(graph_mod.Route(url, "a generated file", "", 0) for url in publishing.ROUTES),
                graph_mod.Route("/search/", "the search page", "", 0),
                *price_views.price_routes(prices, catalog),
                *(advisor_views.advisor_routes(advisor) if advisor else ()),
            ],
            unusable=(
                *loaded.unusable,
                *catalog.unusable,
                *(
                    [Unusable("advisor", advisor_views.ROOT, ADVISOR_PATH)]
                    if advisor is None and (root / ADVISOR_PATH).exists()
                    else []
                ),
            ),
        )
        markdown = MarkdownRenderer(allow_html=config.allow_html)

        def render_md(body: str, source: str, body_line: int) -> Rendered:
            return self._markdown.render(
                markdown,
                body,
                source=source,
                body_line=body_line,
                resolve_md=graph.resolve_md,
                base_path=config.base_path,
            )

        self._markdown.prefill(
            markdown,
            [(p.source, p.body, p.body_line) for p in graph.pages.values()],
            graph.md_urls,
            config.base_path,
        )
        rendered = {p.id: render_md(p.body, p.source, p.body_line) for p in graph.pages.values()}
        notes = {
            m.id: render_md(m.notes, m.source_file, m.notes_line) for m in catalog.models.values()
        }
        backlinks = graph_mod.backlinks(graph, {pid: r.links for pid, r in rendered.items()})
        titles = {pid: graph.pages[pid].title for pid in graph.explainers}
        if advisor is not None:
            _check_advisor_links(root, advisor, titles, graph, diags)
        editorial.check_explainers(graph, backlinks, config.checks, diags)

        environment = (config, tuple(sorted(assets.urls.items())), tree_key(root / TEMPLATES))
        if not self._pages.use_environment(environment) or self._renderer is None:
            self._renderer = Renderer(root, config, assets.urls)
        self._renderer.check_syntax(diags)
        views = [
            *SiteViews(graph, rendered, backlinks, config).pages(),
            *(
                [calculator_page(page, rendered[page.id].html, catalog, prices, config)]
                if (page := graph.pages.get("calculator")) and catalog.models and catalog.gpus
                else []
            ),
            model_views.models_index(catalog, config),
            *price_views.price_pages(prices, catalog, config, today),
            *(
                advisor_views.advisor_pages(advisor, catalog, prices, config, titles)
                if advisor and catalog.models and catalog.gpus
                else ()
            ),
            *(
                model_views.model_page(m, catalog, config, notes[m.id].html, graph.explainers)
                for m in catalog.models.values()
            ),
        ]
        built = self._render(views, diags)
        sources = [(p.url, p.source, rendered[p.id].links) for p in graph.pages.values()]
        sources += [(m.url, m.source_file, notes[m.id].links) for m in catalog.models.values()]
        site = _check_links(graph, rendered, sources, config, assets, built, diags)
        outputs = [Output(output_path(url), page.data) for url, page in sorted(built.items())]
        extra = (
            *assets.outputs,
            *publishing.publishing_outputs(
                graph,
                catalog,
                config,
                [
                    *price_views.sitemap_entries(prices, catalog),
                    *([(advisor_views.ROOT, None)] if advisor else []),
                ],
            ),
            price_views.price_feed(prices, catalog, config),
        )
        self._state = _State(
            today, config, graph, rendered, backlinks, markdown, site, built, extra, diags.items
        )
        return [*outputs, *extra]

    def _rebuild_one_body(
        self, changed: set[str], today: dt.date | None, started: float
    ) -> BuildResult | None:
        """The fast path for the commonest edit: one explainer's body, nothing else.

        Taken only when the last build was clean and the edit leaves the page's front-matter,
        links and anchors as they were, so no other page can have changed; otherwise (None)
        the full incremental build runs. Its result equals a full build's (the tests check it).
        """
        state = self._state
        if state is None or len(changed) != 1 or (today or self.options.today) != state.today:
            return None
        (rel,) = changed
        page_id = rel.removeprefix(f"{LEARN_DIR}/").removesuffix(".md")
        old_page = state.graph.pages.get(page_id)
        if old_page is None or old_page.source != rel or not (self.root / rel).is_file():
            return None
        old_loading = set(self._files.diagnostics(rel))
        loading = Diagnostics()
        page = self._files.get(
            rel,
            ((file_key(self.root / rel)), state.config.topics),
            lambda d: load_explainer(self.root, rel, state.config, d),
            loading,
        )
        if page is None or replace(page, body=old_page.body) != old_page:
            return None
        graph = replace(state.graph, pages={**state.graph.pages, page_id: page})
        body = self._markdown.render(
            state.markdown,
            page.body,
            source=rel,
            body_line=page.body_line,
            resolve_md=graph.resolve_md,
            base_path=state.config.base_path,
        )
        old_body = state.rendered[page_id]
        if [link.href for link in body.links] != [link.href for link in old_body.links]:
            return None
        rendered = {**state.rendered, page_id: body}
        diags = Diagnostics()
        url, template, context = SiteViews(
            graph, rendered, state.backlinks, state.config
        ).explainer(page_id)
        built = self._render_one(url, template, context, diags)
        if built is None or built.ids != state.built[url].ids:
            return None
        linkcheck.check_links(state.site, url, body.links, diags, rel)
        previous = [d for d in state.diagnostics if d not in old_loading]
        diags.extend([*previous, *loading.items])
        if diags.has_errors(self.options.strict):
            return None
        pages = {**state.built, url: built}
        self._state = replace(
            state, graph=graph, rendered=rendered, built=pages, diagnostics=diags.items
        )
        outputs = [Output(output_path(u), p.data) for u, p in sorted(pages.items())]
        return self._result([*outputs, *state.extra], diags, started)

    def _render(
        self, views: list[tuple[str, str, dict[str, Any]]], diags: Diagnostics
    ) -> dict[str, RenderedPage]:
        """Each view through its template, unless the same context was rendered before."""
        built: dict[str, RenderedPage] = {}
        for url, template, context in views:
            page = self._render_one(url, template, context, diags)
            if page is not None:
                built[url] = page
        self._pages.retain(set(built))
        return built

    def _render_one(
        self, url: str, template: str, context: dict[str, Any], diags: Diagnostics
    ) -> RenderedPage | None:
        assert self._renderer is not None
        page = self._pages.get(url, template, context)
        if page is None:
            try:
                html = self._renderer.render(template, context, diags)
            except TemplateFailed:
                return None
            page = RenderedPage(template, context, html.encode("utf-8"), linkcheck.ids_in(html))
            self._pages.put(url, page)
        return page


@dataclass(frozen=True)
class _State:
    """What the last clean build computed, kept for the one-body fast path."""

    today: dt.date
    config: SiteConfig
    graph: graph_mod.PageGraph
    rendered: Mapping[str, Rendered]
    backlinks: Mapping[str, tuple[Target, ...]]
    markdown: MarkdownRenderer
    site: linkcheck.LinkSite
    built: Mapping[str, RenderedPage]
    extra: tuple[Output, ...]
    diagnostics: list[Diagnostic]


def _same(old: bytes | None, new: bytes) -> bool:
    """Whether an output is unchanged; reused pages are the very same object, so this is cheap."""
    return old is new or old == new


@contextlib.contextmanager
def _gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector: a build allocates many objects that all stay alive,
    and collections in the middle of it cost a third of an incremental rebuild."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _check_advisor_links(
    root: Path,
    advisor: Advisor,
    titles: Mapping[str, str],
    graph: graph_mod.PageGraph,
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
                locate = yamlsource.Positions((root / ADVISOR_PATH).read_text()).locate
            line, col = locate(("approaches", index, "learn", position))
            hint = did_you_mean(slug, titles) or "use the slug of a published explainer"
            diags.error("E302", f"unknown explainer '{slug}'", ADVISOR_PATH, line, col, hint)


def _check_links(
    graph: graph_mod.PageGraph,
    rendered: Mapping[str, Rendered],
    sources: list[tuple[str, str, tuple[Link, ...]]],
    config: SiteConfig,
    assets: Assets,
    built: Mapping[str, RenderedPage],
    diags: Diagnostics,
) -> linkcheck.LinkSite:
    ids: dict[str, frozenset[str] | None] = {url: page.ids for url, page in built.items()}
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
    if config.newsletter and config.newsletter.feed_url:
        feed = Link(config.newsletter.feed_url, config.newsletter.line)
        linkcheck.check_link(site, "/", feed, diags, CONFIG_PATH)
    return site
