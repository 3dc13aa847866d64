"""What the one-body fast path reads of the last clean build, and the small copy of it a new
process can start from.

`spanvero serve` keeps its last build in memory, so a body edit re-renders one page (the
Builder's `_State`). A new `spanvero build` process has no memory: restoring the whole state
costs more than a full rebuild of the unchanged parts (hundreds of MB of views and pages). So
after a clean build the command line saves a `Resumable`: the page graph, each section's
loaded inputs, the backlinks, the link targets and every page's element ids, with every
Markdown source and every rendered body left out (a few MB instead of a hundred). That is
enough because a page view reads, of all the site's Markdown, only its own page's body
(`Section.page_view`, tested for every section that offers one), and the fast path gives it
the edited page read afresh.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import NamedTuple

from spanvero_site.core import graph as graph_mod
from spanvero_site.core.config import SiteConfig
from spanvero_site.core.diagnostics import Diagnostic
from spanvero_site.core.linkcheck import LinkSite
from spanvero_site.core.markdown import MarkdownRenderer
from spanvero_site.core.pages import Page, Target
from spanvero_site.core.section import LoadContext, Loaded


class Basis(NamedTuple):
    """What the one-body fast path reads of the last clean build, wherever it is kept: the
    dev server's state in memory or a `Resumable` in a new process."""

    today: dt.date
    config: SiteConfig
    ctx: LoadContext
    loaded: Mapping[str, Loaded]
    graph: graph_mod.PageGraph
    hrefs: Callable[[str], tuple[str, ...]]  # the links of a page's rendered body, by page id
    backlinks: Mapping[str, tuple[Target, ...]]
    markdown: MarkdownRenderer
    site: LinkSite
    ids: Callable[[str], frozenset[str] | None]  # a built page's element ids, by URL
    diagnostics: Sequence[Diagnostic]
    loading: Callable[[str], tuple[Diagnostic, ...]]  # what loading a source reported


@dataclass(frozen=True)
class Resumable:
    """The last clean build, as small as the one-body fast path allows (see the module).

    Pages keep every field but `body` (empty), and of each rendered body only its links'
    targets are kept: the fast path compares the edited page with its old self and the old
    body's links with the new, and renders only the edited page, from its own fresh body.
    """

    today: dt.date
    config: SiteConfig
    loaded: Mapping[str, Loaded]
    graph: graph_mod.PageGraph
    hrefs: Mapping[str, tuple[str, ...]]
    backlinks: Mapping[str, tuple[Target, ...]]
    site: LinkSite
    ids: Mapping[str, frozenset[str]]
    assets: Mapping[str, str]  # asset name to URL, for the templates
    diagnostics: tuple[Diagnostic, ...]
    loading: Mapping[str, tuple[Diagnostic, ...]]  # only the sources whose load said something
    pages: int  # HTML pages the build made, for the summary line

    @classmethod
    def of(
        cls,
        basis: Basis,
        ids: Mapping[str, frozenset[str]],
        assets: Mapping[str, str],
        pages: int,
    ) -> Resumable:
        """The resumable copy of a clean build, Markdown left out."""
        bare = {id(p): replace(p, body="") for part in basis.loaded.values() for p in part.pages}

        def strip(page: Page) -> Page:
            return bare.get(id(page)) or replace(page, body="")

        graph = replace(basis.graph, pages={pid: strip(p) for pid, p in basis.graph.pages.items()})
        loaded = {
            name: replace(part, pages=tuple(strip(p) for p in part.pages))
            for name, part in basis.loaded.items()
        }
        said = {p.source: basis.loading(p.source) for p in basis.graph.pages.values()}
        return cls(
            basis.today,
            basis.config,
            loaded,
            graph,
            {pid: basis.hrefs(pid) for pid in basis.graph.pages},
            basis.backlinks,
            basis.site,
            dict(ids),
            dict(assets),
            tuple(basis.diagnostics),
            {source: items for source, items in said.items() if items},
            pages,
        )

    def basis(self, ctx: LoadContext, markdown: MarkdownRenderer) -> Basis:
        """The fast path's view of this copy, with a new process's load context and renderer."""
        return Basis(
            self.today,
            self.config,
            ctx,
            self.loaded,
            self.graph,
            self.hrefs.__getitem__,
            self.backlinks,
            markdown,
            self.site,
            self.ids.get,
            self.diagnostics,
            lambda source: self.loading.get(source, ()),
        )

    def patched(self, since: Since) -> Resumable:
        """This copy with the edits the fast path made since it was saved."""
        if not since.pages:
            return self
        loaded = dict(self.loaded)
        for owner in {owner for owner, _ in since.pages.values()}:
            mine = {src: page for src, (name, page) in since.pages.items() if name == owner}
            part = loaded[owner]
            pages = tuple(mine.get(p.source, p) for p in part.pages)
            loaded[owner] = replace(part, pages=pages)
        fresh = {page.id: page for _, page in since.pages.values()}
        said = {**self.loading, **since.loading}
        return replace(
            self,
            loaded=loaded,
            graph=replace(self.graph, pages={**self.graph.pages, **fresh}),
            diagnostics=self.diagnostics if since.diagnostics is None else since.diagnostics,
            loading={source: items for source, items in said.items() if items},
        )


@dataclass(frozen=True)
class Since:
    """The fast path's edits since a `Resumable` was saved, kept apart so that a resumed build
    saves these few records, not the whole copy again: each page it read again (without its
    body, with the section that owns it), what reading it reported, and the diagnostics of
    the last build."""

    pages: Mapping[str, tuple[str, Page]] = field(default_factory=dict)  # by source
    loading: Mapping[str, tuple[Diagnostic, ...]] = field(default_factory=dict)
    diagnostics: tuple[Diagnostic, ...] | None = None  # None: the copy's own

    def after(
        self,
        owner: str,
        page: Page,
        diagnostics: Sequence[Diagnostic],
        loading: Sequence[Diagnostic],
    ) -> Since:
        """These edits and one more: `page` (owned by section `owner`) read again. Only its
        front-matter record, its load diagnostics and the build's diagnostics can change,
        since its links, anchors and everything other pages show of it are as they were."""
        return Since(
            {**self.pages, page.source: (owner, replace(page, body=""))},
            {**self.loading, page.source: tuple(loading)},
            tuple(diagnostics),
        )
