"""The one seam between the builder and the parts of a site: what a section is given and returns.

A section (explainers, the model catalogue, the calculator, ...) loads and validates its own
inputs, and later turns the resolved site into views and files. The builder owns the loop and
passes plain data both ways, so no section writes into shared state or reaches into another's
files: what one section needs of another it names in `requires` and receives as that section's
`Loaded.data`. This is Pelican's generator shape without its shared context and signals.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Hashable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from spanvero_site.core.charts import ChartDrawer
from spanvero_site.core.config import SiteConfig
from spanvero_site.core.diagnostics import Diagnostics
from spanvero_site.core.graph import PageGraph
from spanvero_site.core.memo import FileMemo, file_key, tree_key
from spanvero_site.core.pages import Page, Rendered, Target, Unusable


@dataclass(frozen=True)
class Input:
    """One source a section reads: a file, or (with `suffix`) the files directly in a folder
    whose names end in it, which are `what` ("explainers").

    Declared, not discovered, so the builder can tell an editor about every entry under
    content/ that no section reads (W211) and name what would be read instead.
    """

    path: str
    suffix: str = ""
    what: str = ""


@dataclass(frozen=True)
class View:
    """One page to render: its URL, template and context, and who asked for it.

    `label`, `source` and `line` name the page in a collision message ("written twice: by page
    content/learn/tags.md and by the tag index"); a generated page has no source.
    """

    url: str
    template: str
    context: Mapping[str, Any]  # a TypedDict named after the template (ExplainerContext, ...)
    label: str = ""
    source: str = ""
    line: int = 0


@dataclass(frozen=True)
class File:
    """One output that is not a template page (a feed, robots.txt): its URL and bytes."""

    url: str
    data: bytes
    label: str = ""


@dataclass(frozen=True)
class Document:
    """Markdown that a section shows inside one of its pages (a model's notes).

    Rendered with the pages, so its links are checked from `url` and reported at `source`.
    """

    key: str
    body: str
    source: str
    line: int
    url: str


@dataclass(frozen=True)
class Loaded:
    """What a section's load step hands to the rest of the build.

    `data` is the section's own value (a catalogue, a rules file), given to the sections that
    require it; `pages` join the page graph; `targets` are ids a `related:` list may name;
    `unusable` are sources that tried to define a page or id but are left out: they failed to
    load (already reported, so references to them add no second error), are drafts (references
    say so), or are pages this section cannot make because a source it needs failed. `key`
    fingerprints everything `data` was made from; a section that requires this one puts it in
    its own memo keys, so it redoes its work exactly when this one's inputs changed. Left
    unset, it equals nothing, so dependents always redo their work. `charts` are the charts
    this section can draw for a ```figure block on any page, by name (`cost-vs-volume`): like
    `targets`, offered to the whole site, so a page asks for a chart by name and no section
    imports another's drawing code.
    """

    data: Any = None
    key: Hashable = field(default_factory=object)
    pages: tuple[Page, ...] = ()
    targets: tuple[Target, ...] = ()
    documents: tuple[Document, ...] = ()
    unusable: tuple[Unusable, ...] = ()
    charts: Mapping[str, ChartDrawer] = field(default_factory=dict)


@dataclass(frozen=True)
class Contribution:
    """What a section adds to the built site: pages, other files, sitemap entries, redirects.

    `sitemap` lists (URL, last changed) for pages search engines should see; `redirects` lists
    (old URL, new URL) for the static host's redirect file.
    """

    views: tuple[View, ...] = ()
    files: tuple[File, ...] = ()
    sitemap: tuple[tuple[str, dt.date | None], ...] = ()
    redirects: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class LoadContext:
    """What every section's load step may read: the site folder, its settings and the date."""

    root: Path
    config: SiteConfig
    today: dt.date
    drafts: bool
    memo: FileMemo

    def fingerprint(self, *paths: str) -> Hashable:
        """A cheap key that changes when any of these site-relative files or folders changes."""
        keys: list[Hashable] = []
        for rel in paths:
            path = self.root / rel
            keys.append(tree_key(path) if path.is_dir() else file_key(path))
        return tuple(keys)


@dataclass(frozen=True)
class SiteState:
    """The resolved site every section builds its views from.

    `rendered` holds the Markdown of every graph page (by page id) and every section document
    (by document key). `loaded` holds only the section's own `Loaded` and those it `requires`:
    the builder reuses a section's contribution while exactly these are unchanged, so a section
    cannot read what that check does not see. What sections offer to all others is here whole:
    every section's `documents`, and, for a section that `draws_figures`, the `charts` (by name,
    in build order; empty for any other section).
    `contributions` are those of the sections built before this one when the section
    `gathers` from the others (sitemap, redirects), and empty otherwise.
    """

    root: Path
    config: SiteConfig
    today: dt.date
    graph: PageGraph
    rendered: Mapping[str, Rendered]
    backlinks: Mapping[str, tuple[Target, ...]]
    loaded: Mapping[str, Loaded]
    contributions: Mapping[str, Contribution]
    charts: Mapping[str, ChartDrawer]
    documents: tuple[Document, ...]

    @classmethod
    def given(
        cls,
        section: Section,
        root: Path,
        config: SiteConfig,
        today: dt.date,
        graph: PageGraph,
        rendered: Mapping[str, Rendered],
        backlinks: Mapping[str, tuple[Target, ...]],
        loaded: Mapping[str, Loaded],
        earlier: Mapping[str, Contribution],
        charts: Mapping[str, ChartDrawer],
        documents: tuple[Document, ...],
    ) -> SiteState:
        """The state `section` is given of the site: of `loaded` only its own and its required
        sections' inputs, the contributions before it (`earlier`) only if it gathers, the
        charts only if it draws figures."""
        return cls(
            root,
            config,
            today,
            graph,
            rendered,
            backlinks,
            {name: loaded[name] for name in (section.name, *section.requires)},
            earlier if section.gathers else {},
            charts if section.draws_figures else {},
            documents,
        )

    def data(self, section: str) -> Any:
        """The loaded value of a section this one requires."""
        return self.loaded[section].data


class Section:
    """One part of the site behind the builder's seam; subclasses override what they need.

    `reads` declares what the section reads (`Input`s); their paths are its `inputs`: an edit to
    one of them makes the dev server rebuild it, and forgets what the section memoised. Anything
    under content/ that no section declares is reported (W211), so a section that reads a file
    it does not declare shows up as a warning on its own input. `requires` names the
    sections whose `Loaded` this one reads; they are loaded and built before it. `gathers` says
    that `build` reads the contributions of the sections before it (the sitemap does); any
    other section is given none, so the builder need not rebuild it when one of those changes.
    Likewise only a section that `draws_figures` is given the charts the sections offer.
    """

    name: str = ""
    reads: tuple[Input, ...] = ()
    requires: tuple[str, ...] = ()
    gathers: bool = False
    draws_figures: bool = False

    @property
    def inputs(self) -> tuple[str, ...]:
        """The site-relative files and folders the section reads."""
        return tuple(read.path for read in self.reads)

    def load(self, ctx: LoadContext, needs: Mapping[str, Loaded], diags: Diagnostics) -> Loaded:
        """Read and validate this section's inputs, reporting every problem to `diags`."""
        return Loaded()

    def build(self, site: SiteState, diags: Diagnostics) -> Contribution:
        """The section's views and files for the resolved site (cross-checks report here)."""
        return Contribution()

    def reload_page(self, ctx: LoadContext, source: str, diags: Diagnostics) -> Page | None:
        """Re-read one of this section's page sources, for the one-body fast path (or None)."""
        return None

    def page_view(self, site: SiteState, page_id: str) -> View | None:
        """The view of one of this section's graph pages, for the fast path (or None): the view
        `build` makes of it. `site.rendered` holds only this page's body, and the graph's
        other pages may have no `body`: of the site's Markdown a page view reads only its own
        page, so a new process can resume from a copy of the build without the rest
        (`core/resume.py`)."""
        return None

    def rebuild(
        self, site: SiteState, before: SiteState, last: Contribution, diags: Diagnostics
    ) -> Contribution | None:
        """This section's contribution for `site`, given `last`, built from `before` without
        an error; the builder asks when the section cannot be reused as it is.

        A section that can tell which of its views differ between the two states (a title
        edit changes a handful of 4,000 explainer pages) rebuilds only those and reuses the
        others, the very same View objects, so they are not rendered again. The result, and
        what it reports to `diags`, must equal `build(site, diags)`. None (the default, or when
        it cannot tell): the builder calls `build`, watching which pages it reads.
        """
        return None
