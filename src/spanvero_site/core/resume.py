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
from dataclasses import dataclass, field, fields, is_dataclass, replace
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
    """The last clean build, as small as the one-page fast paths allow (see the module).

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
        if not since.pages and since.change is None:
            return self
        loaded = dict(self.loaded)
        for owner in {owner for owner, _ in since.pages.values()}:
            mine = {src: page for src, (name, page) in since.pages.items() if name == owner}
            part = loaded[owner]
            pages = tuple(mine.get(p.source, p) for p in part.pages)
            loaded[owner] = replace(part, pages=pages)
        fresh = {page.id: page for _, page in since.pages.values()}
        graph = replace(self.graph, pages={**self.graph.pages, **fresh})
        patched = replace(self, loaded=loaded, graph=graph)
        return patched if since.change is None else _applied(patched, since.change)

    def with_page(
        self,
        owner: str,
        page: Page,
        body: Rendered,
        diagnostics: Sequence[Diagnostic],
        loading: Sequence[Diagnostic],
    ) -> Resumable:
        """This copy with `page` (owned by section `owner`) read again, its body rendered as
        `body`, and the build's diagnostics now `diagnostics`: all a body edit changes, since
        its links, anchors and everything other pages show of it are as they were (a
        front-matter edit changes more, on top of this)."""
        page = replace(page, body="")
        said = {**self.loading, page.source: tuple(loading)}
        return replace(
            self,
            loaded=loaded_with(self.loaded, owner, page),
            graph=replace(self.graph, pages={**self.graph.pages, page.id: page}),
            rendered={**self.rendered, page.id: bare(body)},
            diagnostics=tuple(diagnostics),
            loading={source: items for source, items in said.items() if items},
        )


@dataclass(frozen=True)
class Whole:
    """A value that changed, kept whole."""

    value: object


@dataclass(frozen=True)
class Keys:
    """The entries of a mapping that changed, its keys and their order as they were."""

    changed: Mapping[Any, Change]


@dataclass(frozen=True)
class Items:
    """The items of a tuple that changed, by position, its length as it was."""

    changed: Mapping[int, Change]


@dataclass(frozen=True)
class Fields:
    """The fields of a record (a dataclass) that changed."""

    changed: Mapping[str, Change]


Change = Whole | Keys | Items | Fields


@dataclass(frozen=True)
class Since:
    """What resumed builds changed of a `Resumable` since it was saved, kept apart so that a
    resumed build saves these few records, not the whole copy again (kilobytes, against 9 MB
    that take a child process 0.2 s to write): each page read again (without its body, with
    the section that owns it), and every other change to the copy down to the entries,
    items and fields that differ (`between`)."""

    pages: Mapping[str, tuple[str, Page]] = field(default_factory=dict)  # by source
    change: Change | None = None  # of the copy, its pages left aside

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
        rest = replace(
            after, loaded=base.loaded, graph=replace(after.graph, pages=base.graph.pages)
        )
        return cls(pages, _delta(base, rest))


def _delta(old: object, new: object) -> Change | None:
    """How `new` differs from `old`, None when not at all: a mapping with the same keys in the
    same order by the entries that differ (in another order: whole), a tuple of the same
    length by its items, a record of the same type by its fields, anything else whole when it
    is not equal. Parts that are the same object are not looked into, so two copies that
    share all but a few entries compare in a few milliseconds."""
    if old is new:
        return None
    if isinstance(old, Mapping) and isinstance(new, Mapping):
        if list(old) != list(new):
            return Whole(new)  # equal mappings may still differ in order, which shows
        keys = {k: _delta(old[k], v) for k, v in new.items() if old[k] is not v}
        changed = {key: change for key, change in keys.items() if change is not None}
        return Keys(changed) if changed else None
    if type(old) is tuple and type(new) is tuple and len(old) == len(new):
        items = {
            i: _delta(a, b) for i, (a, b) in enumerate(zip(old, new, strict=True)) if a is not b
        }
        changed_items = {i: change for i, change in items.items() if change is not None}
        return Items(changed_items) if changed_items else None
    if is_dataclass(old) and type(old) is type(new) and all(f.init for f in fields(old)):
        names = {f.name: _delta(getattr(old, f.name), getattr(new, f.name)) for f in fields(old)}
        changed_fields = {name: change for name, change in names.items() if change is not None}
        return Fields(changed_fields) if changed_fields else None
    try:
        equal = bool(old == new)
    except Exception:  # a value that cannot say: kept whole
        equal = False
    return None if equal else Whole(new)


def _applied(value: Any, change: Change) -> Any:
    """`value` with `change` (from `_delta`) made."""
    if isinstance(change, Whole):
        return change.value
    if isinstance(change, Keys):
        return {**value, **{k: _applied(value[k], c) for k, c in change.changed.items()}}
    if isinstance(change, Items):
        return tuple(
            _applied(item, change.changed[i]) if i in change.changed else item
            for i, item in enumerate(value)
        )
    return replace(value, **{n: _applied(getattr(value, n), c) for n, c in change.changed.items()})


@dataclass(frozen=True)
class SectionCopy:
    """A section's last contribution without its views (`shell`), each view kept as a stub of
    URL, template and labels (`stubs`: plain tuples, which load ten times faster than
    4,000 views), what building it reported, and what it read of the site when it was
    watched (`core/reads.py`)."""

    shell: Contribution
    stubs: tuple[tuple[str, str, str, str, int], ...]
    diagnostics: tuple[Diagnostic, ...]
    reads: Reads | None

    @classmethod
    def of(
        cls, contribution: Contribution, diagnostics: Sequence[Diagnostic], reads: Reads | None
    ) -> SectionCopy:
        """The copy of one section's contribution: views as URL, template and labels only."""
        stubs = tuple((v.url, v.template, v.label, v.source, v.line) for v in contribution.views)
        return cls(replace(contribution, views=()), stubs, tuple(diagnostics), reads)

    def restored(self) -> Contribution:
        """The contribution with a view of no context for each stub: a view the section
        reuses when it rebuilds from it is this very object, one it makes anew is another."""
        views = tuple(
            View(u, template, {}, label, src, line) for u, template, label, src, line in self.stubs
        )
        return replace(self.shell, views=views)


def loaded_with(loaded: Mapping[str, Loaded], owner: str, page: Page) -> dict[str, Loaded]:
    """The sections' loaded inputs with one page of section `owner` read again, as a full load
    of the same files gives them (pages stay in their order)."""
    part = loaded[owner]
    pages = tuple(page if p.source == page.source else p for p in part.pages)
    return {**loaded, owner: replace(part, pages=pages)}


def bare(rendered: Rendered) -> Rendered:
    """A body as the copy keeps it: whether it has code, its figure requests, no HTML."""
    return replace(rendered, html=LEFT_OUT, headings=(), links=())
