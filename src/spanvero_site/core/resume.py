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

A front-matter edit (a title, tags, `related:`) changes what other pages show, so the copy also
keeps each section's last contribution with its views' contexts left out (`SectionCopy`: URL
and template are enough to tell a view reused from one made anew), what it reported and, for a
section that was watched, which entries of the site it read. Each body is kept `bare`, its
HTML replaced by `LEFT_OUT`: a section asked to rebuild from the copy tells which views differ
by which bodies are the same objects, without reading any HTML; the views it makes anew are
made again from fresh bodies, or refused if the mark shows in what they render.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, fields, replace
from typing import Any, NamedTuple

from spanvero_site.core import graph as graph_mod
from spanvero_site.core.config import SiteConfig
from spanvero_site.core.diagnostics import Diagnostic
from spanvero_site.core.linkcheck import LinkSite
from spanvero_site.core.markdown import MarkdownRenderer
from spanvero_site.core.pages import Page, Rendered, Target
from spanvero_site.core.reads import Reads
from spanvero_site.core.section import Contribution, LoadContext, Loaded, View

# What a body's HTML reads as in the copy: a view rendered from it shows this, and is refused.
LEFT_OUT = "\x00spanvero: a body the resumable copy left out\x00"


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

    Pages keep every field but `body` (empty), and each rendered body only its figure requests
    and whether it has code (`bare`), and its links' targets (`hrefs`): the fast path compares
    the edited page with its old self and the old body's links with the new, and renders
    only the pages whose views changed, from fresh bodies. (Headings and links as objects
    would make the copy three times slower to load; every page rendered again is checked to
    have the anchors it had.)
    """

    today: dt.date
    config: SiteConfig
    loaded: Mapping[str, Loaded]
    graph: graph_mod.PageGraph
    rendered: Mapping[str, Rendered]  # each graph page's body, `bare`
    hrefs: Mapping[str, tuple[str, ...]]  # the targets of each graph page's body links
    backlinks: Mapping[str, tuple[Target, ...]]
    site: LinkSite
    ids: Mapping[str, frozenset[str]]
    assets: Mapping[str, str]  # asset name to URL, for the templates
    diagnostics: tuple[Diagnostic, ...]
    loading: Mapping[str, tuple[Diagnostic, ...]]  # only the sources whose load said something
    pages: int  # HTML pages the build made, for the summary line
    sections: Mapping[str, SectionCopy]  # by section name
    graph_diagnostics: tuple[Diagnostic, ...]  # what resolving the page graph reported

    @classmethod
    def of(
        cls,
        basis: Basis,
        rendered: Mapping[str, Rendered],
        ids: Mapping[str, frozenset[str]],
        assets: Mapping[str, str],
        pages: int,
        sections: Mapping[str, SectionCopy],
        graph_diagnostics: Sequence[Diagnostic],
    ) -> Resumable:
        """The resumable copy of a clean build, Markdown left out."""
        stripped = {
            id(p): replace(p, body="") for part in basis.loaded.values() for p in part.pages
        }

        def strip(page: Page) -> Page:
            return stripped.get(id(page)) or replace(page, body="")

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
            {pid: bare(rendered[pid]) for pid in basis.graph.pages},
            {pid: basis.hrefs(pid) for pid in basis.graph.pages},
            basis.backlinks,
            basis.site,
            dict(ids),
            dict(assets),
            tuple(basis.diagnostics),
            {source: items for source, items in said.items() if items},
            pages,
            dict(sections),
            tuple(graph_diagnostics),
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
        """This copy with the edits resumed builds made since it was saved."""
        if not since.pages and not since.changed and not since.graph:
            return self
        loaded = dict(self.loaded)
        for owner in {owner for owner, _ in since.pages.values()}:
            mine = {src: page for src, (name, page) in since.pages.items() if name == owner}
            part = loaded[owner]
            pages = tuple(mine.get(p.source, p) for p in part.pages)
            loaded[owner] = replace(part, pages=pages)
        fresh = {page.id: page for _, page in since.pages.values()}
        graph = {name: _applied(getattr(self.graph, name), d) for name, d in since.graph.items()}
        graph["pages"] = {**self.graph.pages, **fresh}
        changed = {name: _applied(getattr(self, name), d) for name, d in since.changed.items()}
        return replace(self, loaded=loaded, graph=replace(self.graph, **graph), **changed)

    def with_page(
        self,
        owner: str,
        page: Page,
        body: Rendered,
        diagnostics: Sequence[Diagnostic],
        loading: Sequence[Diagnostic],
    ) -> Resumable:
        """This copy after a body edit: `page` (owned by section `owner`) read again, its body
        rendered as `body`. Only its record, its body, its load diagnostics and the build's
        diagnostics change, since its links, anchors and everything other pages show of it
        are as they were."""
        page = replace(page, body="")
        part = self.loaded[owner]
        pages = tuple(page if p.source == page.source else p for p in part.pages)
        said = {**self.loading, page.source: tuple(loading)}
        return replace(
            self,
            loaded={**self.loaded, owner: replace(part, pages=pages)},
            graph=replace(self.graph, pages={**self.graph.pages, page.id: page}),
            rendered={**self.rendered, page.id: bare(body)},
            diagnostics=tuple(diagnostics),
            loading={source: items for source, items in said.items() if items},
        )


@dataclass(frozen=True)
class Whole:
    """A field's new value, kept whole."""

    value: object


@dataclass(frozen=True)
class Keys:
    """A mapping's entries that changed, its keys as they were (so its order is too)."""

    changed: Mapping[Any, Any]


@dataclass(frozen=True)
class Since:
    """What resumed builds changed of a `Resumable` since it was saved, kept apart so that a
    resumed build saves these few records, not the whole copy again (a few kB, against 8 MB
    that take a child process 0.2 s to write): each page read again (without its body, with
    the section that owns it), and of every other field of the copy and of its graph only the
    entries that are not the very objects the copy holds (`between`)."""

    pages: Mapping[str, tuple[str, Page]] = field(default_factory=dict)  # by source
    changed: Mapping[str, Whole | Keys] = field(default_factory=dict)  # by Resumable field
    graph: Mapping[str, Whole | Keys] = field(default_factory=dict)  # by PageGraph field

    @classmethod
    def between(cls, base: Resumable, after: Resumable) -> Since | None:
        """The edits that make `after` of `base` (`base.patched(since)` equals `after`); None
        when they are not a few pages read again (a page added, a section's data changed)."""
        pages: dict[str, tuple[str, Page]] = {}
        if after.loaded.keys() != base.loaded.keys():
            return None
        for name, part in after.loaded.items():
            old = base.loaded[name]
            if part is old:
                continue
            if replace(part, pages=old.pages) != old or len(part.pages) != len(old.pages):
                return None
            for new, was in zip(part.pages, old.pages, strict=True):
                if new is not was:
                    if new.source != was.source:
                        return None
                    pages[new.source] = (name, new)
        fresh = {page.id: page for _, page in pages.values()}
        if {**base.graph.pages, **fresh}.keys() != after.graph.pages.keys():
            return None
        skip = {"loaded", "graph"}
        return cls(
            pages,
            _changes(base, after, [f.name for f in fields(base) if f.name not in skip]),
            _changes(
                base.graph, after.graph, [f.name for f in fields(base.graph) if f.name != "pages"]
            ),
        )


def _changes(old: object, new: object, names: Sequence[str]) -> dict[str, Whole | Keys]:
    """Of these fields of two records, those that are not the same object: a mapping with the
    same keys by its changed entries, anything else whole."""
    found: dict[str, Whole | Keys] = {}
    for name in names:
        a, b = getattr(old, name), getattr(new, name)
        if a is b:
            continue
        if isinstance(a, Mapping) and isinstance(b, Mapping) and a.keys() == b.keys():
            found[name] = Keys({k: v for k, v in b.items() if v is not a[k]})
        else:
            found[name] = Whole(b)
    return found


def _applied(value: Any, change: Whole | Keys) -> Any:
    if isinstance(change, Whole):
        return change.value
    return {**value, **change.changed}


@dataclass(frozen=True)
class SectionCopy:
    """A section's last contribution, each view's context left out (`View.context` empty: a
    view the section reuses is this very object, one it makes anew is another), what building
    it reported, and what it read of the site when it was watched (`core/reads.py`)."""

    contribution: Contribution
    diagnostics: tuple[Diagnostic, ...]
    reads: Reads | None

    @classmethod
    def of(
        cls, contribution: Contribution, diagnostics: Sequence[Diagnostic], reads: Reads | None
    ) -> SectionCopy:
        """The copy of one section's contribution: views as URL, template and labels only."""
        stubs = tuple(
            View(v.url, v.template, {}, v.label, v.source, v.line) for v in contribution.views
        )
        return cls(replace(contribution, views=stubs), tuple(diagnostics), reads)


def bare(rendered: Rendered) -> Rendered:
    """A body as the copy keeps it: whether it has code, its figure requests, no HTML."""
    return replace(rendered, html=LEFT_OUT, headings=(), links=())
