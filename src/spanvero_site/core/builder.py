"""Build the whole site in memory: load, resolve, render, check. Writing is the caller's choice.

The build is a pure map from the site folder to a list of Outputs plus diagnostics, so tests and
the dev server can use it without touching the output folder.
"""

from __future__ import annotations

import datetime as dt
import functools
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, NamedTuple

from spanvero_site.core import cache as cache_mod
from spanvero_site.core import graph as graph_mod
from spanvero_site.core import linkcheck, pool
from spanvero_site.core import memo as memo_mod
from spanvero_site.core.assets import STATIC, Assets, collect_assets
from spanvero_site.core.charts import ChartDrawer
from spanvero_site.core.children import Forked
from spanvero_site.core.config import CONFIG_PATH, SiteConfig, read_config
from spanvero_site.core.dates import build_date
from spanvero_site.core.diagnostics import Diagnostic, Diagnostics, Severity
from spanvero_site.core.markdown import MarkdownRenderer, code_stylesheet
from spanvero_site.core.memo import FileMemo, MarkdownMemo, PageMemo, RenderedPage, tree_key
from spanvero_site.core.options import BuildOptions
from spanvero_site.core.pages import Link, Output, Page, Rendered, Target
from spanvero_site.core.paths import RESERVED_FOLDERS, file_folder_clashes, path_problem
from spanvero_site.core.persist import Persisted, context_digest
from spanvero_site.core.reads import Reads
from spanvero_site.core.render import TEMPLATES, Renderer, TemplateFailed, template_ids
from spanvero_site.core.resume import (
    LEFT_OUT,
    Basis,
    Resumable,
    SectionCopy,
    Since,
    bare,
    loaded_with,
)
from spanvero_site.core.resumefront import Resolved, rebuild_sections
from spanvero_site.core.section import (
    Contribution,
    Document,
    File,
    Input,
    LoadContext,
    Loaded,
    Section,
    SiteState,
    View,
)
from spanvero_site.core.unread import report_unread
from spanvero_site.core.writer import output_path

__all__ = ["BuildOptions", "BuildResult", "Builder", "build_date", "claim_urls"]


# Fewer pages to render Markdown for than this (those made anew after a front-matter edit whose
# body the Markdown memo does not hold) and the pages are rendered without workers.
_FRESH_PARALLEL_MIN = 8

# The cache saves this process's Builders have forked and not yet waited for (`_save`).
_SAVING: list[Forked] = []


def _wait_for_saves() -> None:
    """Wait until every cache save this process forked has ended, so the cache reads whole."""
    while _SAVING:
        _SAVING.pop().wait()


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
    cache_saved: Callable[[], None] = _wait_for_saves  # the cache's background save
    partial: bool = False  # outputs hold only what changed since the build resumed from
    # What a later process may resume from (`Builder.resume`): the edits a resumed build made
    # to the copy it resumed from (a `partial` result), or the copy of a full build, made when
    # called (by the child process that saves it, so not on the build's way).
    since: Since | None = None
    resumable: Callable[[], Resumable | None] | None = None


class Builder:
    """Builds one site folder from its sections, remembering its work between builds.

    A rebuild after any edit gives exactly the outputs of a fresh build (the tests check it);
    it is faster because unchanged sources are not re-read, unchanged bodies not re-rendered
    and pages whose view context is unchanged not passed through their templates again.
    `dev` serves assets under their plain names, so a stylesheet edit changes no page.
    """

    def __init__(
        self,
        root: Path,
        sections: Sequence[Section],
        options: BuildOptions | None = None,
        dev: bool = False,
    ):
        _check_order(sections)
        self.root = root
        self.sections = tuple(sections)
        self.options = options or BuildOptions()
        self.dev = dev
        self._files = FileMemo(self.options.workers)
        self._markdown = MarkdownMemo()
        self._pages = PageMemo()
        self._renderer: Renderer | None = None
        self._last: dict[str, bytes] | None = None
        self._state: _State | None = None
        self._invalidated: set[str] = set()
        self._persisted: Persisted | None = None
        self._stores: dict[str, object] = {}  # the store each memo last absorbed
        self._digests: dict[str, bytes] = {}  # context digests computed by this build's recall
        self._built: dict[str, _SectionBuild] = {}
        self._writes: list[Callable[[], None]] = []  # the persistent stores' pending writes
        self._loaded_before: dict[str, tuple[Diagnostic, ...]] = {}

    def invalidate(self, paths: Iterable[str]) -> None:
        """Forget what was loaded from these site-relative paths (the dev server's file events).

        File fingerprints already catch edits; this also catches two saves of the same size
        within one tick of the file system's clock. A section whose inputs hold the path forgets
        what it memoised, and so does every section that requires it.
        """
        for path in paths:
            self._invalidated.add(path)
            self._files.forget(path)
            stale = {s.name for s in self.sections if _reads(s, path)}
            for section in self.sections:
                if stale & set(section.requires):
                    stale.add(section.name)
            for name in stale:
                self._files.forget_prefix(f"{name}:")
            if path.startswith(f"{STATIC}/"):
                self._files.forget("assets")

    def build(self, today: dt.date | None = None) -> BuildResult:
        """Build now; `today` overrides the options' date (a long-running server's clock)."""
        started = time.perf_counter()
        changed, self._invalidated = self._invalidated, set()
        # What loading each changed source reported last time, taken before either fast path
        # loads it again: both drop exactly that from the last build's diagnostics.
        self._loaded_before = {rel: self._files.diagnostics(rel) for rel in changed}
        fast = self._rebuild_one_body(changed, today, started)
        if fast is None:
            fast = self._rebuild_one_page(changed, today, started)
        return fast if fast is not None else self._build_from_sources(today, started)

    def _build_from_sources(self, today: dt.date | None, started: float) -> BuildResult:
        self._state = None
        diags = Diagnostics()
        config = read_config(self.root, diags)  # a broken key has a fallback: the content is
        if self.options.base_url:  # checked in the same run
            config = config.with_base_url(self.options.base_url)
        outputs = self._run_sections(config, today or self.options.today, diags)
        if diags.has_errors(self.options.strict):
            self._state = None  # nothing is written; the summary still counts what was checked
            checked = sum(1 for o in outputs if o.path.endswith(".html"))
            return BuildResult((), diags, checked, time.perf_counter() - started)
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

    def _run_sections(self, config: SiteConfig, today: dt.date, diags: Diagnostics) -> list[Output]:
        root = self.root
        persisted = self._open_persisted()
        if persisted is not None:
            self._absorb("files", persisted.files(today), self._files.absorb)
        ctx = LoadContext(root, config, today, self.options.drafts, self._files)
        loaded: dict[str, Loaded] = {}
        for section in self.sections:
            needs = {name: loaded[name] for name in section.requires}
            loaded[section.name] = section.load(ctx, needs, diags)
        reads = [Input(CONFIG_PATH), *(read for s in self.sections for read in s.reads)]
        report_unread(root, reads, {d.path for d in diags.items}, diags)
        assets = self._files.get(
            "assets",
            tree_key(root / STATIC),
            lambda d: collect_assets(
                root, {"css/code.css": code_stylesheet().encode()}, hashed=not self.dev, diags=d
            ),
            diags,
        )
        self._files.forget_unused()
        parts = loaded.values()
        graph_diags = Diagnostics()
        graph = graph_mod.build_graph(
            [page for part in parts for page in part.pages],
            graph_diags,
            extra_targets=[target for part in parts for target in part.targets],
            unusable=[u for part in parts for u in part.unusable],
        )
        diags.extend(graph_diags.items)
        documents = offered_documents(loaded)
        markdown = _markdown_renderer(root, config)
        rendered = self._render_markdown(markdown, graph, documents, config)
        backlinks = graph_mod.backlinks(
            graph, {pid: rendered[pid].links for pid in graph.explainers}
        )
        contributions = self._build_sections(
            config, today, graph, rendered, backlinks, loaded, documents, diags
        )

        environment = (config, tuple(sorted(assets.urls.items())), tree_key(root / TEMPLATES))
        if not self._pages.use_environment(environment) or self._renderer is None:
            compiled = persisted.templates if persisted is not None else None
            self._renderer = Renderer(root, config, assets.urls, compiled)
        pages_store = persisted.pages(assets.urls) if persisted is not None else None
        if pages_store is not None:
            self._absorb("pages", pages_store, self._pages.absorb)
        self._renderer.check_syntax(diags)
        parts_built = contributions.values()
        views = [view for part in parts_built for view in part.views]
        files = [file for part in parts_built for file in part.files]
        claimed = claim_urls(views, files, diags, assets.outputs)
        shown = [v for v in views if claimed.get(v.url) is v]
        built = self._render(shown, diags)
        if persisted is not None and pages_store is not None:
            self._writes.append(persisted.files(today).changes(self._files.export()))
            self._writes.append(pages_store.changes(self._pages.export(built)))
        site_links = _check_links(graph, rendered, documents, config, assets, built, claimed, diags)
        outputs = _page_outputs(built, None)
        extra = _extra_outputs(assets, files, claimed)
        self._state = _State(
            today,
            config,
            ctx,
            loaded,
            graph,
            rendered,
            backlinks,
            markdown,
            site_links,
            built,
            {v.url: v for v in shown if v.url in built},
            frozenset(claimed),
            assets,
            outputs,
            extra,
            diags.items,
            tuple(graph_diags.items),
        )
        self._save()
        return [*outputs.values(), *extra]

    def _save(self) -> None:
        """Write what the persistent stores changed: in a forked child where the options allow
        forking (it then runs beside the caller's writing of the site, which waits for it with
        `BuildResult.cache_saved`), else here."""
        writes, self._writes = self._writes, []
        _wait_for_saves()
        if not writes:
            return

        def save() -> None:
            for write in writes:
                write()

        if self.options.workers > 1:
            _SAVING.append(Forked(save))
        else:
            save()

    def _open_persisted(self) -> Persisted | None:
        """The persistent memos, when the options ask for them and the cache folder is usable.
        A save still running in a child of this process (any Builder's) is waited for first,
        so what it writes is read whole."""
        _wait_for_saves()
        if self._persisted is None and self.options.cache:
            folder = cache_mod.cache_folder(self.root)
            if folder is not None:
                self._persisted = Persisted(folder, self.root, self.options, self.dev)
        return self._persisted

    def _absorb(
        self, name: str, store: cache_mod.ShardedStore, absorb: Callable[[Any], None]
    ) -> None:
        """Hand a memo what a store holds, once per store (a new key opens a new store)."""
        if self._stores.get(name) is not store:
            self._stores[name] = store
            absorb(store.load())

    def _build_sections(
        self,
        config: SiteConfig,
        today: dt.date,
        graph: graph_mod.PageGraph,
        rendered: Mapping[str, Rendered],
        backlinks: Mapping[str, tuple[Target, ...]],
        loaded: Mapping[str, Loaded],
        documents: tuple[Document, ...],
        diags: Diagnostics,
    ) -> dict[str, Contribution]:
        """Every section's contribution, in order, each from a `SiteState` holding only what
        its reuse key covers (see `_build_section`)."""
        contributions: dict[str, Contribution] = {}
        charts = offered_charts(loaded)
        for section in self.sections:
            site = SiteState.given(
                section,
                self.root,
                config,
                today,
                graph,
                rendered,
                backlinks,
                loaded,
                contributions,
                charts,
                documents,
            )
            contributions[section.name] = self._build_section(section, site, diags)
        return contributions

    def _build_section(self, section: Section, site: SiteState, diags: Diagnostics) -> Contribution:
        """The section's contribution, reused when everything it may read is as last time.

        A section can read only what its `SiteState` holds, and the state is built to hold no
        more than this key covers: the resolved site (config, date, graph, rendered Markdown,
        backlinks, the documents all sections offer), its own and its required sections'
        `Loaded`, the charts if it `draws_figures`, and the contributions before it if it
        `gathers`. When all are equal (earlier contributions: the very same objects), its build
        would give an equal result, so a data-file edit does not rebuild 4,000 explainer views.
        Otherwise a section whose last build was clean is asked to `rebuild` only the views
        that differ. A section that does not implement `rebuild` is watched while it builds
        (`Reads`): it is also reused while every page entry it looked up is unchanged, so a
        title edit does not rebuild the model pages.
        """
        names = (section.name, *section.requires)
        shared = (
            site.config,
            site.today,
            site.graph,
            site.rendered,
            site.backlinks,
            site.charts,
            site.documents,
        )
        before = tuple(site.contributions.values())
        last = self._built.get(section.name)
        if (
            last is not None
            and len(last.before) == len(before)
            and all(a is b for a, b in zip(last.before, before, strict=True))
            and all(_same_loaded(last.loaded[n], site.loaded[n]) for n in names)
            and (
                last.shared == shared
                or (last.reads is not None and last.reads.unchanged(last.site, site))
            )
        ):
            diags.extend(last.diagnostics)
            return last.contribution
        local = Diagnostics()
        contribution = None
        if last is not None and not section.gathers and not _has_error(last.diagnostics):
            contribution = section.rebuild(site, last.site, last.contribution, local)
        reads = None
        if contribution is None:
            local = Diagnostics()
            if type(section).rebuild is Section.rebuild:
                reads = Reads()
                contribution = section.build(reads.watching(site), local)
            else:
                contribution = section.build(site, local)
        diags.extend(local.items)
        loaded = {n: site.loaded[n] for n in names}
        self._built[section.name] = _SectionBuild(
            shared, loaded, before, contribution, tuple(local.items), site, reads
        )
        return contribution

    def _render_markdown(
        self,
        markdown: MarkdownRenderer,
        graph: graph_mod.PageGraph,
        documents: Sequence[Document],
        config: SiteConfig,
    ) -> dict[str, Rendered]:
        """Every graph page's body and every section document, rendered once (memoised)."""
        items = [(p.source, p.body, p.body_line) for p in graph.pages.values()]
        persisted = self._persisted
        if persisted is not None:
            self._absorb("markdown", persisted.markdown, self._markdown.absorb)
        self._markdown.prefill(
            markdown, items, graph.md_urls, config.base_path, self.options.workers
        )

        def render(body: str, source: str, body_line: int) -> Rendered:
            return self._markdown.render(
                markdown,
                body,
                source=source,
                body_line=body_line,
                resolve_md=graph.resolve_md,
                base_path=config.base_path,
            )

        rendered = {p.id: render(p.body, p.source, p.body_line) for p in graph.pages.values()}
        rendered.update({d.key: render(d.body, d.source, d.line) for d in documents})
        if persisted is not None and self._markdown.renders:
            sources = {p.source for p in graph.pages.values()} | {d.source for d in documents}
            self._writes.append(persisted.markdown.changes(self._markdown.export(sources)))
            # Saved now, not with the other stores at the end: the steps that follow until
            # the pages are rendered run on one core, so the save takes the idle one.
            self._save()
        return rendered

    def _reload_one(
        self, basis: Basis, rel: str
    ) -> tuple[Page, Section, Page | None, Diagnostics, set[Diagnostic]] | None:
        """What both one-page fast paths start from: after a clean build, one changed source
        that is a page some section owns, read again (the page is None when it fails)."""
        old_page = next((p for p in basis.graph.pages.values() if p.source == rel), None)
        if old_page is None or not (self.root / rel).is_file():
            return None
        owner = next((s for s in self.sections if old_page in basis.loaded[s.name].pages), None)
        if owner is None:
            return None
        old_loading = set(basis.loading(rel))
        loading = Diagnostics()
        page = owner.reload_page(basis.ctx, rel, loading)
        return old_page, owner, page, loading, old_loading

    def _reread(self, basis: Basis, rel: str) -> _Reread | None:
        """What both one-page front-matter paths start from: the page read again, still in
        its place in the site (`_stays`), the graph updated for it and its body rendered."""
        reloaded = self._reload_one(basis, rel)
        if reloaded is None:
            return None
        old_page, owner, page, loading, old_loading = reloaded
        if page is None or not _stays(page, old_page, self.options.drafts):
            return None
        graph_diags = Diagnostics()
        graph = graph_mod.replace_page(basis.graph, page, graph_diags)
        body = self._render_body(basis, page, graph)
        return _Reread(owner, page, loading, old_loading, graph, graph_diags, body)

    def _render_body(self, basis: Basis, page: Page, graph: graph_mod.PageGraph) -> Rendered:
        return self._render_text(basis, graph, page.body, page.source, page.body_line)

    def _render_text(
        self, basis: Basis, graph: graph_mod.PageGraph, text: str, source: str, line: int
    ) -> Rendered:
        """Markdown from `source` (starting at `line`) rendered as the fast paths render it."""
        return self._markdown.render(
            basis.markdown,
            text,
            source=source,
            body_line=line,
            resolve_md=graph.resolve_md,
            base_path=basis.config.base_path,
        )

    def _one_state(self, changed: set[str], today: dt.date | None) -> tuple[_State, str] | None:
        """The last clean build and the one source changed since, when there is just one and
        the date is the same."""
        state = self._state
        if state is None or len(changed) != 1 or (today or self.options.today) != state.today:
            return None
        return state, next(iter(changed))

    def _rebuild_one_body(
        self, changed: set[str], today: dt.date | None, started: float
    ) -> BuildResult | None:
        """The fast path for the commonest edit: one page's body, nothing else (`_edit_body`),
        on the state this Builder keeps."""
        last = self._one_state(changed, today)
        if last is None:
            return None
        state, rel = last
        edit = self._edit_body(state.basis(self._files, self._loaded_before), rel)
        if edit is None:
            return None
        page, view = edit.page, edit.view
        pages = {**state.built, view.url: edit.built}
        outputs = _page_outputs(pages, state)
        self._state = replace(
            state,
            loaded=loaded_with(state.loaded, edit.owner.name, page),
            graph=edit.graph,
            rendered={**state.rendered, page.id: edit.body},
            built=pages,
            views={**state.views, view.url: view},
            outputs=outputs,
            diagnostics=edit.diagnostics.items,
        )
        return self._result([*outputs.values(), *state.extra], edit.diagnostics, started)

    def resume(self, base: Resumable, since: Since, rel: str) -> BuildResult | None:
        """The one-page fast paths in a new process, from the copy of the last clean build the
        command line saved (`base` with the edits `since`), after an edit of the one source
        `rel` (the caller compared every input with those that build read). The result holds
        only the outputs that may have changed (`partial`) and what the next process resumes
        from: the edits to save beside the copy (`since`), or a new copy (`resumable`) when
        they cannot be told as edits. None when the edit needs the full build."""
        started = time.perf_counter()
        saved = base.patched(since)
        if saved.today != self.options.today:
            return None
        config = saved.config
        persisted = self._open_persisted()
        compiled = persisted.templates if persisted is not None else None
        self._renderer = Renderer(self.root, config, saved.assets, compiled)
        ctx = LoadContext(self.root, config, saved.today, self.options.drafts, self._files)
        basis = saved.basis(ctx, _markdown_renderer(self.root, config))
        edit = self._edit_body(basis, rel)
        if edit is None:
            return self._resume_front(base, saved, basis, rel, started)
        diags = edit.diagnostics
        after = saved.with_page(
            edit.owner.name, edit.page, edit.body, diags.items, edit.loading.items
        )
        output = Output(output_path(edit.view.url), edit.built.data)
        return _resumed(base, after, (output,), diags, started)

    def _resume_front(
        self, base: Resumable, saved: Resumable, basis: Basis, rel: str, started: float
    ) -> BuildResult | None:
        """The front-matter path (`_rebuild_one_page`) in a new process: the edited page stays
        where it was (same id, URL, aliases and anchors), every section says which of its views
        differ (`core/resumefront.py`), those views are made from fresh bodies and rendered,
        and the output is refused (None: the full build) unless every page's anchors and every
        URL are as the copy's, so no link elsewhere can break."""
        self._recall_bodies([rel])
        reread = self._reread(basis, rel)
        if reread is None:
            return None
        owner, page, loading, old_loading, graph, graph_diags, body = reread
        loaded = loaded_with(saved.loaded, owner.name, page)
        documents = offered_documents(loaded)
        now = Resolved(
            graph,
            {**saved.rendered, page.id: bare(body)},
            graph_mod.relink(
                saved.graph, graph, saved.backlinks, page.id, saved.hrefs[page.id], _hrefs(body)
            ),
            loaded,
            documents,
            offered_charts(loaded),
            offered_charts(saved.loaded),
            functools.cache(lambda: self._documents_again(basis, graph, documents)),
        )
        diags = Diagnostics()
        rebuilt = rebuild_sections(self.sections, self.root, saved, now, diags)
        if rebuilt is None or _routes(rebuilt.contributions) != _routes(rebuilt.before):
            return None
        sources = {p.url: p.source for p in graph.pages.values()}
        self._recall_bodies(sources[v.url] for _, v in rebuilt.fresh if v.url in sources)
        made = self._make_fresh(basis, now, rebuilt.fresh, page.id, body, diags)
        files = [f for name in rebuilt.changed for f in rebuilt.contributions[name].files]
        mark = LEFT_OUT.encode()
        if (
            made is None
            or page.url not in made
            or any(ids != saved.ids.get(url) for url, (_, ids) in made.items())
            or any(
                mark in data for data in (*(d for d, _ in made.values()), *(f.data for f in files))
            )
        ):
            return None
        _check_body(saved.site, page.url, body, diags, rel)
        sections = (copy.diagnostics for copy in saved.sections.values())
        diags.extend(
            _carried(saved.diagnostics, saved.graph_diagnostics, rel, old_loading, sections)
        )
        diags.extend([*loading.items, *graph_diags.items])
        if diags.has_errors(self.options.strict):
            return None
        edited = saved.with_page(owner.name, page, body, diags.items, loading.items)
        after = replace(
            edited,
            graph=replace(graph, pages={**graph.pages, page.id: edited.graph.pages[page.id]}),
            hrefs={**saved.hrefs, page.id: _hrefs(body)},
            backlinks=now.backlinks,
            ids={**saved.ids, **{url: ids for url, (_, ids) in made.items()}},
            sections=rebuilt.copies,
            graph_diagnostics=_regraphed(saved.graph_diagnostics, rel, graph_diags),
        )
        outputs = [Output(output_path(url), data) for url, (data, _) in sorted(made.items())]
        outputs += [Output(output_path(f.url), f.data) for f in files]
        return _resumed(base, after, tuple(outputs), diags, started)

    def _recall_bodies(self, sources: Iterable[str]) -> None:
        """Take these sources' rendered bodies from the persistent cache, when it has them:
        a new process that resumes needs only a few (the edited page, the pages that show its
        title), which cost a small shard's read each instead of a Markdown render. Each is
        still checked against the page's text and `.md` targets before use (`MarkdownMemo`)."""
        persisted = self._persisted
        if persisted is not None:
            self._markdown.absorb(persisted.markdown.load_some(sources))

    def _make_fresh(
        self,
        basis: Basis,
        now: Resolved,
        fresh: Sequence[tuple[Section, View]],
        page_id: str,
        body: Rendered,
        diags: Diagnostics,
    ) -> dict[str, tuple[bytes, frozenset[str]]] | None:
        """The pages of the views the sections made anew from bare bodies, rendered (bytes and
        element ids, by URL; what rendering reported goes to `diags`), each page's own view
        made again first from its fresh body (`Section.page_view`: it reads only that body).
        None when a page cannot be read again as it was, its section cannot make its view
        alone, or a template fails (the full build reports it). Every page takes a Markdown
        render and a template, so many go to the worker processes."""
        by_url = {page.url: pid for pid, page in now.graph.pages.items()}

        def make(
            item: tuple[Section, View],
        ) -> tuple[bytes, frozenset[str], list[Diagnostic]] | None:
            section, view = item
            pid = by_url.get(view.url)
            if pid is not None and view.source == now.graph.pages[pid].source:
                real = body if pid == page_id else self._body_again(basis, section, now, pid)
                if real is None:
                    return None
                site = SiteState.given(
                    section,
                    self.root,
                    basis.config,
                    basis.today,
                    now.graph,
                    {pid: real},
                    now.backlinks,
                    now.loaded,
                    {},
                    now.charts,
                    now.documents,
                )
                again = section.page_view(site, pid)
                if again is None or (again.url, again.template) != (view.url, view.template):
                    return None
                view = again
            assert self._renderer is not None
            local = Diagnostics()
            try:
                html = self._renderer.render(view.template, view.context, local)
            except TemplateFailed:
                return None
            return html.encode("utf-8"), linkcheck.ids_in(html), local.items

        to_render = sum(
            1
            for _, view in fresh
            if (pid := by_url.get(view.url)) is not None
            and not self._markdown.holds(now.graph.pages[pid].source)
        )
        workers = self.options.workers if to_render >= _FRESH_PARALLEL_MIN else 1
        pages = pool.fork_map(make, list(fresh), workers)
        made = {}
        for (_, view), page in zip(fresh, pages, strict=True):
            if page is None:
                return None
            data, ids, items = page
            diags.extend(items)
            made[view.url] = data, ids
        return made

    def _documents_again(
        self, basis: Basis, graph: graph_mod.PageGraph, documents: Sequence[Document]
    ) -> dict[str, Rendered]:
        """The sections' documents rendered again, for a section built again that shows them
        (from the cache where their text is as it was)."""
        self._recall_bodies(doc.source for doc in documents)
        return {
            doc.key: self._render_text(basis, graph, doc.body, doc.source, doc.line)
            for doc in documents
        }

    def _body_again(
        self, basis: Basis, section: Section, now: Resolved, page_id: str
    ) -> Rendered | None:
        """An unchanged page's body, read and rendered again (the copy keeps no HTML)."""
        page = now.graph.pages[page_id]
        again = section.reload_page(basis.ctx, page.source, Diagnostics())
        if again is None or replace(again, body="") != page:
            return None
        return self._render_body(basis, again, now.graph)

    def resumable(self) -> Resumable | None:
        """The copy of this Builder's last clean build that a new process can `resume` from
        (None after a failed build)."""
        state = self._state
        if state is None:
            return None
        ids = {url: page.ids for url, page in state.built.items()}
        paths = [*(o.path for o in state.outputs.values()), *(o.path for o in state.extra)]
        pages = sum(1 for path in paths if path.endswith(".html"))
        sections = {
            name: SectionCopy.of(last.contribution, last.diagnostics, last.reads)
            for name, last in self._built.items()
        }
        return Resumable.of(
            state.basis(self._files),
            state.rendered,
            ids,
            state.assets.urls,
            pages,
            sections,
            state.graph_diagnostics,
        )

    def _edit_body(self, basis: Basis, rel: str) -> _BodyEdit | None:
        """Rebuild the one page whose body `rel` changed, when nothing else can have changed.

        Taken only when the edit leaves the page's front-matter, links and anchors as they
        were, so no other page can show anything new; otherwise (None) the full incremental
        build runs. The page's view is made from the page and its fresh body alone (the
        `rendered` it is given holds nothing else), which is all a page view may read of the
        site's Markdown. Its result equals a full build's (the tests check it).
        """
        reloaded = self._reload_one(basis, rel)
        if reloaded is None:
            return None
        old_page, owner, page, loading, old_loading = reloaded
        if page is None or replace(page, body=old_page.body) != old_page:
            return None
        graph = replace(basis.graph, pages={**basis.graph.pages, page.id: page})
        body = self._render_body(basis, page, graph)
        if _hrefs(body) != basis.hrefs(page.id):
            return None
        site = SiteState.given(
            owner,
            self.root,
            basis.config,
            basis.today,
            graph,
            {page.id: body},
            basis.backlinks,
            basis.loaded,
            {},
            offered_charts(basis.loaded) if owner.draws_figures else {},
            offered_documents(basis.loaded),
        )
        view = owner.page_view(site, page.id)
        if view is None:
            return None
        diags = Diagnostics()
        built = self._render_one(view, diags)
        if built is None or built.ids != basis.ids(view.url):
            return None
        _check_body(basis.site, view.url, body, diags, rel)
        previous = [d for d in basis.diagnostics if d not in old_loading]
        diags.extend([*previous, *loading.items])
        if diags.has_errors(self.options.strict):
            return None
        return _BodyEdit(owner, page, graph, body, view, built, diags, loading)

    def _rebuild_one_page(
        self, changed: set[str], today: dt.date | None, started: float
    ) -> BuildResult | None:
        """The fast path for one page's front-matter edit (title, tags, related, date...).

        Taken when the last build was clean and the one changed source is still the same page
        (same id and URL, still built, same aliases, same headings): the graph and backlinks
        are updated for that page alone (`replace_page`, `relink`), each section is reused or
        asked to rebuild only the views that show the page (`Section.rebuild`), and only
        views that are not the very objects rendered last time go through their templates.
        Links are checked again wherever a URL or an element id may have changed. Anything
        else, or any error, falls back to the full build (None). Its result equals a full
        build's (the tests check it).
        """
        one = self._one_state(changed, today)
        if one is None:
            return None
        state, rel = one
        basis = state.basis(self._files, self._loaded_before)
        reread = self._reread(basis, rel)
        if reread is None:
            return None
        owner, page, loading, old_loading, graph, graph_diags, body = reread
        old_body = state.rendered[page.id]
        if body.headings != old_body.headings:
            return None  # anchors other pages may link to
        rendered = {**state.rendered, page.id: body} if body is not old_body else state.rendered
        backlinks = graph_mod.relink(
            state.graph, graph, state.backlinks, page.id, _hrefs(old_body), _hrefs(body)
        )
        loaded = loaded_with(state.loaded, owner.name, page)
        sections = [last.diagnostics for last in self._built.values()]  # before they rebuild
        diags = Diagnostics()
        documents = offered_documents(loaded)
        contributions = self._build_sections(
            state.config, state.today, graph, rendered, backlinks, loaded, documents, diags
        )
        parts_built = contributions.values()
        views = [view for part in parts_built for view in part.views]
        files = [file for part in parts_built for file in part.files]
        urls = [*(v.url for v in views), *(f.url for f in files)]
        if len(set(urls)) == len(urls) and state.routes.issuperset(urls):
            # the very URLs of the last clean build, each once: nothing to report
            claimed: dict[str, View | File] = {v.url: v for v in views}
            claimed.update({f.url: f for f in files})
        else:
            claimed = claim_urls(views, files, diags, state.assets.outputs)
        built: dict[str, RenderedPage] = {}
        shown: dict[str, View] = {}
        for view in views:
            if claimed.get(view.url) is not view:
                continue
            rendered_page = (
                state.built[view.url]
                if state.views.get(view.url) is view
                else self._render_one(view, diags)
            )
            if rendered_page is not None:
                built[view.url], shown[view.url] = rendered_page, view
        moved = set(claimed) != state.routes or any(
            url not in state.built or built[url].ids != state.built[url].ids
            for url, view in shown.items()
            if state.views.get(url) is not view
        )
        if moved:  # a URL or an anchor appeared or went: every link again
            site_links = _check_links(
                graph, rendered, documents, state.config, state.assets, built, claimed, diags
            )
        else:
            site_links = state.site
            _check_body(site_links, page.url, body, diags, rel)
        diags.extend(
            _carried(state.diagnostics, state.graph_diagnostics, rel, old_loading, sections)
        )
        diags.extend([*loading.items, *graph_diags.items])
        if diags.has_errors(self.options.strict):
            return None
        extra = _extra_outputs(state.assets, files, claimed)
        self._state = replace(
            state,
            loaded=loaded,
            graph=graph,
            rendered=rendered,
            backlinks=backlinks,
            site=site_links,
            built=built,
            views=shown,
            routes=frozenset(claimed),
            outputs=_page_outputs(built, state),
            extra=extra,
            diagnostics=diags.items,
            graph_diagnostics=_regraphed(state.graph_diagnostics, rel, graph_diags),
        )
        return self._result([*self._state.outputs.values(), *extra], diags, started)

    def _render(self, views: list[View], diags: Diagnostics) -> dict[str, RenderedPage]:
        """Each view through its template, unless the same context was rendered before: in
        this process (the page memo) or, with the persistent cache, in the last one (a saved
        page with an equal context digest).

        Many new pages are rendered on the worker processes first (they get the views by
        fork); a page that failed there is rendered again here, so its diagnostics are the same.
        """
        fresh = [v for v in views if self._pages.get(v.url, v.template, v.context) is None]
        self._digests = {}
        if self._persisted is not None:
            fresh = self._recall(fresh)
        if len(fresh) >= memo_mod.PARALLEL_MIN and self.options.workers > 1:
            for view, (data, ids, digest, items) in zip(
                fresh, pool.fork_map(self._render_fresh, fresh, self.options.workers), strict=True
            ):
                diags.extend(items)
                if data is not None:
                    made = RenderedPage(view.template, view.context, data, ids, digest)
                    self._pages.put(view.url, made)
        built: dict[str, RenderedPage] = {}
        for view in views:
            page = self._render_one(view, diags)
            if page is not None:
                built[view.url] = page
        self._pages.retain(set(built))
        self._digests = {}  # of this build's contexts: a later fast path computes its own
        return built

    def _recall(self, views: list[View]) -> list[View]:
        """The views still to render once the pages the last process saved from an equal
        context are taken. Digests are computed only for URLs the store holds (in parallel
        when there are many); a new page gets its digest where it is rendered."""
        known = [v for v in views if self._pages.stored(v.url)]
        if len(known) >= memo_mod.PARALLEL_MIN and self.options.workers > 1:
            digests = pool.fork_map(_digest_of, known, self.options.workers)
        else:
            digests = [_digest_of(view) for view in known]
        recalled: set[str] = set()
        for view, digest in zip(known, digests, strict=True):
            if digest is not None:
                self._digests[view.url] = digest
                if self._pages.recall(view.url, view.template, view.context, digest):
                    recalled.add(view.url)
        return [v for v in views if v.url not in recalled]

    def _page_digest(self, view: View) -> bytes | None:
        if self._persisted is None:
            return None
        if view.url in self._digests:
            return self._digests[view.url]
        return _digest_of(view)

    def _render_fresh(
        self, view: View
    ) -> tuple[bytes | None, frozenset[str], bytes | None, list[Diagnostic]]:
        """A page's bytes, element ids, context digest and diagnostics (no bytes if it
        failed), on a worker."""
        assert self._renderer is not None
        local = Diagnostics()
        try:
            html = self._renderer.render(view.template, view.context, local)
        except TemplateFailed:
            return None, frozenset(), None, local.items
        digest = self._page_digest(view)
        return html.encode("utf-8"), linkcheck.ids_in(html), digest, local.items

    def _render_one(self, view: View, diags: Diagnostics) -> RenderedPage | None:
        assert self._renderer is not None
        page = self._pages.get(view.url, view.template, view.context)
        if page is None:
            try:
                html = self._renderer.render(view.template, view.context, diags)
            except TemplateFailed:
                return None
            data = html.encode("utf-8")
            ids = linkcheck.ids_in(html)
            page = RenderedPage(view.template, view.context, data, ids, self._page_digest(view))
            self._pages.put(view.url, page)
        return page


@dataclass(frozen=True)
class _State:
    """What the last clean build computed, kept for the one-body and one-page fast paths."""

    today: dt.date
    config: SiteConfig
    ctx: LoadContext
    loaded: Mapping[str, Loaded]
    graph: graph_mod.PageGraph
    rendered: Mapping[str, Rendered]
    backlinks: Mapping[str, tuple[Target, ...]]
    markdown: MarkdownRenderer
    site: linkcheck.LinkSite
    built: Mapping[str, RenderedPage]
    views: Mapping[str, View]  # the view each built page was rendered from
    routes: frozenset[str]  # every URL claimed
    assets: Assets
    outputs: Mapping[str, Output]  # each built page's output, by URL, in URL order
    extra: tuple[Output, ...]
    diagnostics: list[Diagnostic]
    graph_diagnostics: tuple[Diagnostic, ...]  # what build_graph reported

    def basis(
        self, files: FileMemo, before: Mapping[str, tuple[Diagnostic, ...]] | None = None
    ) -> Basis:
        """What the one-body fast path reads of this build (`files` said what each load
        reported, unless `before` says what it reported before `files` loaded it again)."""
        before = before or {}
        built, rendered = self.built, self.rendered
        return Basis(
            self.today,
            self.config,
            self.ctx,
            self.loaded,
            self.graph,
            lambda page_id: _hrefs(rendered[page_id]),
            self.backlinks,
            self.markdown,
            self.site,
            lambda url: built[url].ids if url in built else None,
            self.diagnostics,
            lambda source: before[source] if source in before else files.diagnostics(source),
        )


class _Reread(NamedTuple):
    """A page re-read for a one-page front-matter path (`Builder._reread`)."""

    owner: Section
    page: Page
    loading: Diagnostics  # what reading it again reported
    old_loading: set[Diagnostic]  # what reading it reported last time
    graph: graph_mod.PageGraph  # with the page replaced
    graph_diags: Diagnostics  # what resolving its `related:` reported
    body: Rendered


@dataclass(frozen=True)
class _BodyEdit:
    """The page the one-body fast path rebuilt, and what it reported."""

    owner: Section
    page: Page
    graph: graph_mod.PageGraph
    body: Rendered
    view: View
    built: RenderedPage
    diagnostics: Diagnostics  # the build's, this page's included
    loading: Diagnostics  # what reading the page again reported


@dataclass(frozen=True)
class _SectionBuild:
    """A section's last contribution and everything it was built from."""

    shared: tuple[object, ...]
    loaded: Mapping[str, Loaded]
    before: tuple[Contribution, ...]
    contribution: Contribution
    diagnostics: tuple[Diagnostic, ...]
    site: SiteState  # what it was built from
    reads: Reads | None  # what its build looked up, when watched


def _has_error(items: Iterable[Diagnostic]) -> bool:
    return any(d.severity is Severity.ERROR for d in items)


def _resumed(
    base: Resumable,
    after: Resumable,
    outputs: tuple[Output, ...],
    diags: Diagnostics,
    started: float,
) -> BuildResult:
    """A resumed build's result: the outputs that may have changed, and what the next process
    resumes from, as edits to the copy `base` when they can be told apart, else a new copy."""
    since = Since.between(base, after)
    seconds = time.perf_counter() - started
    whole = None if since is not None else (lambda: after)
    return BuildResult(
        outputs, diags, after.pages, seconds, partial=True, since=since, resumable=whole
    )


def _carried(
    previous: Iterable[Diagnostic],
    graph_diagnostics: Iterable[Diagnostic],
    rel: str,
    old_loading: set[Diagnostic],
    sections: Iterable[Iterable[Diagnostic]],
) -> list[Diagnostic]:
    """Of the last build's diagnostics, those a one-page front-matter edit of `rel` leaves
    standing: not what reading the page or resolving its `related:` reported, nor any
    section's (each reports again, or is reused with what it reported)."""
    dropped = old_loading | {d for d in graph_diagnostics if d.path == rel}
    for items in sections:
        dropped.update(items)
    return [d for d in previous if d not in dropped]


def _regraphed(
    previous: Iterable[Diagnostic], rel: str, now: Diagnostics
) -> tuple[Diagnostic, ...]:
    """What resolving the graph reports after `rel` was read again: the others' as before."""
    return (*(d for d in previous if d.path != rel), *now.items)


def _hrefs(body: Rendered) -> tuple[str, ...]:
    """Where a body's links point."""
    return tuple(link.href for link in body.links)


def _stays(page: Page, old: Page, drafts: bool) -> bool:
    """Whether a page read again keeps its place in the site: same id, kind, URL and aliases,
    and not a draft the build leaves out (the one-page front-matter paths)."""
    same = ("id", "kind", "url", "aliases")
    return (
        page != old
        and all(getattr(page, name) == getattr(old, name) for name in same)
        and not (page.draft and not drafts)
    )


def _routes(contributions: Mapping[str, Contribution]) -> list[str] | None:
    """Every URL the contributions claim, sorted; None when one is claimed twice."""
    urls = sorted(
        url
        for part in contributions.values()
        for url in (*(v.url for v in part.views), *(f.url for f in part.files))
    )
    return None if len(set(urls)) != len(urls) else urls


def _page_outputs(built: Mapping[str, RenderedPage], last: _State | None) -> dict[str, Output]:
    """Each page's Output in URL order; one whose page is as last time keeps its Output."""
    outputs = last.outputs if last is not None else {}
    pages = last.built if last is not None else {}
    return {
        url: outputs[url]
        if pages.get(url) is page and url in outputs
        else Output(output_path(url), page.data)
        for url, page in sorted(built.items())
    }


def _markdown_renderer(root: Path, config: SiteConfig) -> MarkdownRenderer:
    """The site's Markdown renderer: its raw-HTML setting, and heading ids that keep clear of
    the ids the templates give their own elements."""
    return MarkdownRenderer(
        allow_html=config.allow_html, reserved_ids=template_ids(root / TEMPLATES)
    )


def _digest_of(view: View) -> bytes | None:
    return context_digest(view.template, view.context)


def offered_documents(loaded: Mapping[str, Loaded]) -> tuple[Document, ...]:
    """Every section's documents (Markdown shown inside its pages), in build order."""
    return tuple(doc for part in loaded.values() for doc in part.documents)


def offered_charts(loaded: Mapping[str, Loaded]) -> dict[str, ChartDrawer]:
    """Every chart the sections offer for figure blocks, by name (sections in build order)."""
    return {name: draw for part in loaded.values() for name, draw in part.charts.items()}


def _same_loaded(old: Loaded, new: Loaded) -> bool:
    """Whether a section's loaded inputs are unchanged: the same `key` (or, left unset, the
    very same data object, which the file memo hands out only while its files are unchanged)
    and equal pages, targets, documents and unusable sources."""
    if old is new:
        return True
    if type(old.key) is object or type(new.key) is object:
        if old.data is not new.data:
            return False
    elif old.key != new.key or old.data != new.data:
        return False
    return (old.pages, old.targets, old.documents, old.unusable) == (
        new.pages,
        new.targets,
        new.documents,
        new.unusable,
    )


def _check_order(sections: Sequence[Section]) -> None:
    """Section names are unique and each requires only sections listed before it (a bug if not)."""
    seen: set[str] = set()
    for section in sections:
        missing = [name for name in section.requires if name not in seen]
        if section.name in seen or missing:
            raise ValueError(f"section '{section.name}' is repeated or requires {missing} first")
        seen.add(section.name)


def _reads(section: Section, path: str) -> bool:
    """Whether a site-relative path is one of the section's inputs or lies inside one."""
    return any(path == rel or path.startswith(f"{rel}/") for rel in section.inputs)


def claim_urls(
    views: Sequence[View],
    files: Sequence[File],
    diags: Diagnostics,
    static: Sequence[Output] = (),
) -> dict[str, View | File]:
    """Every URL the build writes, from the views and files themselves, so routes and output
    can never disagree; two claims on one output file are an error at the claim that has a
    source. The `static` files (assets) claim their paths too, though only views and files
    are returned: without them an alias onto a static file reached the writer, which could
    only report it as an internal error."""
    claims: list[tuple[str, str, str, int, View | File | None]] = [
        (v.url, v.label or f"the page {v.url}", v.source, v.line, v) for v in views
    ]
    claims += [(f.url, f.label or f"the file {f.url}", "", 0, f) for f in files]
    claims += [(f"/{s.path}", f"the static file /{s.path}", "", 0, None) for s in static]
    claimed: dict[str, View | File] = {}
    # Each output file's first claim, by the file's name in lower case: '/a/' and '/a/index.html'
    # are one file, and so are '/Learn/X/' and '/learn/x/' on macOS and Windows.
    first_claim: dict[str, tuple[str, str, str, int]] = {}
    for url, label, source, line, item in sorted(claims, key=lambda c: bool(c[2])):
        file = _file_of(url)
        first = first_claim.get(file.casefold())
        if first is None:
            if item is not None:
                claimed[url] = item
            first_claim[file.casefold()] = (url, label, source, line)
            continue
        case = _file_of(first[0]) != file
        diags.error(
            "E301",
            f"output path '{url}' is written twice{' (in another case)' if case else ''}: "
            f"by {label} and by {first[1]}",
            # two static files (Logo.png, logo.png) have no source line: the file itself
            source or first[2] or url.lstrip("/"),
            line or first[3] or 1,
            1,
            "rename the file or change the alias so every page has its own URL"
            + (", not only in the case of its letters" if case else ""),
        )
    _claim_folders(first_claim, diags)
    _keep_out_of_reserved(first_claim, diags)
    return claimed


def _keep_out_of_reserved(
    claims: Mapping[str, tuple[str, str, str, int]], diags: Diagnostics
) -> None:
    """A claim with a source (a page, an alias) inside a folder another part of spanvero
    writes after the build is an error at that source: the writer would otherwise meet it
    as a clash it can only report as an internal error, or the index would sit among pages."""
    for file, (url, _, source, line) in sorted(claims.items()):
        for folder, owner in RESERVED_FOLDERS.items():
            if source and file.startswith(folder):
                diags.error(
                    "E301",
                    f"output path '{url}' is inside /{folder}, which {owner} writes",
                    source,
                    line or 1,
                    1,
                    f"choose an address outside /{folder}",
                )


def _file_of(url: str) -> str:
    """The file `url` is written to, or `url` itself when it cannot be written (reported
    where it is made)."""
    return output_path(url) if path_problem(url) is None else url


def _claim_folders(claims: Mapping[str, tuple[str, str, str, int]], diags: Diagnostics) -> None:
    """A URL that needs another's file to be a folder ('/sitemap.xml/' under '/sitemap.xml')
    is an error at the claim that has a source, like two claims on one URL. `claims` maps
    each output file, in lower case, to its first claim (url, label, source, line)."""
    written = sorted(file for file, claim in claims.items() if path_problem(claim[0]) is None)
    for file, other in file_folder_clashes(written):
        (url, _, source, line), first = claims[other], claims[file]
        diags.error(
            "E301",
            f"output path '{url}' needs '{first[0]}' to be a folder, "
            f"but {first[1]} writes it as a file",
            source or first[2],
            line or first[3] or 1,
            1,
            "change the alias so it does not start with the path of another page or file",
        )


def _same(old: bytes | None, new: bytes) -> bool:
    """Whether an output is unchanged; reused pages are the very same object, so this is cheap."""
    return old is new or old == new


def _extra_outputs(
    assets: Assets, files: Sequence[File], claimed: Mapping[str, View | File]
) -> tuple[Output, ...]:
    """The outputs besides pages: the assets, and each section file that won its URL."""
    written = (Output(output_path(f.url), f.data) for f in files if claimed.get(f.url) is f)
    return (*assets.outputs, *written)


def _check_body(
    site: linkcheck.LinkSite, page_url: str, body: Rendered, diags: Diagnostics, source: str
) -> None:
    """Report what one rendered body holds that is wrong: its broken links, and Markdown that
    would not reach every reader as written (E403, W404, W405)."""
    linkcheck.check_links(site, page_url, body.links, diags, source)
    for problem in body.problems:
        report = diags.warning if problem.code.startswith("W") else diags.error
        report(problem.code, problem.message, source, problem.line, problem.col, problem.hint)


def _check_links(
    graph: graph_mod.PageGraph,
    rendered: Mapping[str, Rendered],
    documents: Sequence[Document],
    config: SiteConfig,
    assets: Assets,
    built: Mapping[str, RenderedPage],
    claimed: Mapping[str, View | File],
    diags: Diagnostics,
) -> linkcheck.LinkSite:
    """Check every internal link of the site's sources against the pages and files built.

    A page whose template failed has no ids to check an anchor against; its failure is
    already reported at the template, so anchors on it are let through (None), not reported
    as broken in every source that links to it."""
    ids: dict[str, frozenset[str] | None] = {url: page.ids for url, page in built.items()}
    for url, claim in claimed.items():
        if url not in ids:
            ids[url] = None if isinstance(claim, View) else frozenset()
    ids.update({url: frozenset() for url in assets.urls.values()})
    ids.update({u.url: None for u in graph.unusable if not u.draft})
    headings = {
        graph.pages[pid].url: tuple(h.id for h in rendered[pid].headings) for pid in graph.pages
    }
    drafts = {u.url: u for u in graph.unusable if u.draft}
    failed = {u.url: u.source for u in graph.unusable if not u.draft}
    site = linkcheck.LinkSite(ids, headings, dict(graph.md_urls), drafts, failed)
    sources = [(p.url, p.source, rendered[p.id]) for p in graph.pages.values()]
    sources += [(d.url, d.source, rendered[d.key]) for d in documents]
    for page_url, source, body in sources:
        _check_body(site, page_url, body, diags, source)
    for item in config.nav:
        linkcheck.check_link(site, "/", Link(item.url, item.line), diags, CONFIG_PATH)
    if config.advisor_url:
        line = config.advisor_line
        linkcheck.check_link(site, "/", Link(config.advisor_url, line), diags, CONFIG_PATH)
    if config.newsletter and config.newsletter.feed_url:
        feed = Link(config.newsletter.feed_url, config.newsletter.line)
        linkcheck.check_link(site, "/", feed, diags, CONFIG_PATH)
    return site
