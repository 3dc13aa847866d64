"""Which views a front-matter edit changes, asked of every section from the resumable copy of
the last clean build (`core/resume.py`), in a new process that holds no other page's HTML.

Each section is, in the order a full build takes:
- reused whole when none of its inputs changed and everything its last build read of the site
  (`core/reads.py`) is as it was;
- asked to `rebuild` from its copy when it can tell which of its views differ: the views it
  reuses are the copy's very stubs, the others are made anew;
- built again when it was watched and read no page's rendered Markdown (its views are all
  new; the sections' documents, a few short notes, are rendered again for it);
- otherwise not resumable: the caller builds the whole site.

Sections see bodies `bare` (no HTML, headings or links: whether a body changed shows in
whether it is the same object). So a view made anew is not yet final: the caller makes each
page's own view again from that page's fresh body (`Section.page_view`), and refuses any view
whose output shows `LEFT_OUT`. A view that is not a page's own must not show another page's
headings or links either: the mark cannot catch that, and none does (the tests compare
every resumed output with a fresh build).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from spanvero_site.core import graph as graph_mod
from spanvero_site.core.charts import ChartDrawer
from spanvero_site.core.diagnostics import Diagnostics, Severity
from spanvero_site.core.pages import Rendered, Target
from spanvero_site.core.reads import Reads
from spanvero_site.core.resume import Resumable, SectionCopy
from spanvero_site.core.section import Contribution, Document, Loaded, Section, SiteState, View


@dataclass(frozen=True)
class Resolved:
    """The site after the edit, as the sections see it, and as they saw it before."""

    graph: graph_mod.PageGraph
    rendered: Mapping[str, Rendered]  # bare, the edited page's included
    backlinks: Mapping[str, tuple[Target, ...]]
    loaded: Mapping[str, Loaded]
    documents: tuple[Document, ...]
    charts: Mapping[str, ChartDrawer]
    charts_before: Mapping[str, ChartDrawer]
    documents_rendered: Callable[[], Mapping[str, Rendered]]  # the documents' bodies, made anew


@dataclass(frozen=True)
class Rebuilt:
    """Every section's contribution after the edit, the copies to save for the next process,
    and the views made anew (by the section that made them)."""

    contributions: dict[str, Contribution]
    before: dict[str, Contribution]  # as the copy holds them, views without contexts
    copies: dict[str, SectionCopy]
    fresh: list[tuple[Section, View]]
    changed: set[str]  # the sections not reused as they were


def rebuild_sections(
    sections: Sequence[Section],
    root: Path,
    saved: Resumable,
    now: Resolved,
    diags: Diagnostics,
) -> Rebuilt | None:
    """Each section's contribution to the site `now`, from the copy `saved` (see the module);
    None when a section cannot be resumed."""
    contributions: dict[str, Contribution] = {}
    old: dict[str, Contribution] = {}
    copies: dict[str, SectionCopy] = {}
    fresh: list[tuple[Section, View]] = []
    changed: set[str] = set()
    for section in sections:
        copy = saved.sections.get(section.name)
        if copy is None:
            return None
        names = (section.name, *section.requires)
        config, today = saved.config, saved.today
        site = SiteState.given(
            section, root, config, today, now.graph, now.rendered, now.backlinks, now.loaded,
            contributions, now.charts, now.documents,
        )  # fmt: skip
        before = SiteState.given(
            section, root, config, today, saved.graph, saved.rendered, saved.backlinks,
            saved.loaded, old, now.charts_before, now.documents,
        )  # fmt: skip
        last = old[section.name] = copy.restored()
        same = all(site.loaded[n] is before.loaded[n] for n in names)
        earlier = all(contributions[n] is old[n] for n in contributions)
        local = Diagnostics()
        if same and (earlier or not section.gathers) and _reusable(copy, before, site):
            contributions[section.name], copies[section.name] = last, copy
            diags.extend(copy.diagnostics)
            continue
        reads = None
        contribution = None
        if type(section).rebuild is not Section.rebuild and not section.gathers:
            if any(d.severity is Severity.ERROR for d in copy.diagnostics):
                return None
            contribution = section.rebuild(site, before, last, local)
        elif copy.reads is not None and not copy.reads.read_bodies(now.graph.pages):
            reads = Reads()
            if copy.reads.keys["rendered"]:
                site = replace(site, rendered={**now.rendered, **now.documents_rendered()})
            contribution = section.build(reads.watching(site), local)
            if reads.read_bodies(now.graph.pages):
                return None  # it reads a page's Markdown now: the copy has none
        if contribution is None:
            return None
        kept = {id(view) for view in last.views}
        fresh.extend((section, v) for v in contribution.views if id(v) not in kept)
        contributions[section.name] = contribution
        copies[section.name] = SectionCopy.of(contribution, local.items, reads)
        changed.add(section.name)
        diags.extend(local.items)
    return Rebuilt(contributions, old, copies, fresh, changed)


def _reusable(copy: SectionCopy, before: SiteState, site: SiteState) -> bool:
    """Whether the section's last contribution holds for `site`: its build was watched and
    nothing it read differs (a section watched reads nothing outside its `SiteState`)."""
    return copy.reads is not None and copy.reads.unchanged(before, site)
