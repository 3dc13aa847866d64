"""Spanvero's site: its sections, in build order, for the generic builder in core/."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from spanvero_site.core.builder import Builder, BuildOptions, BuildResult
from spanvero_site.core.cache import Resumed
from spanvero_site.core.resume import Resumable, Since
from spanvero_site.core.section import Section
from spanvero_site.sections.advisor.section import AdvisorSection
from spanvero_site.sections.calculator.section import CalculatorSection
from spanvero_site.sections.learn.section import LearnSection
from spanvero_site.sections.models.section import ModelsSection
from spanvero_site.sections.prices.section import PricesSection
from spanvero_site.sections.publishing.section import PublishingSection

# Adding a section: write sections/<name>/section.py with a Section subclass, add one line here.
SECTIONS: tuple[Section, ...] = (
    LearnSection(),
    ModelsSection(),
    PricesSection(),
    CalculatorSection(),
    AdvisorSection(),
    PublishingSection(),  # last: it gathers the others' sitemap entries and redirects
)


def site_builder(root: Path, options: BuildOptions | None = None, dev: bool = False) -> Builder:
    """A Builder for a Spanvero site folder, remembering its work between builds."""
    return Builder(root, SECTIONS, options, dev)


def build(
    root: Path,
    options: BuildOptions | None = None,
    resumed: Resumed | None = None,
    keep: bool = False,
) -> BuildResult:
    """Build the Spanvero site under `root` once; no outputs when any error (or strict warning).

    `resumed` (the command line's saved copy of the last clean build, and the one source
    changed since) lets an edit of one page rebuild only the pages that show it (a `partial`
    result) when its URL and anchors stay; any other edit builds the whole site. `keep` asks
    for the copy a later build may resume from (the result's `resumable`, made when called)."""
    if resumed is not None and isinstance(resumed.base, Resumable):
        since = resumed.since if isinstance(resumed.since, Since) else Since()
        try:
            result = site_builder(root, options).resume(resumed.base, since, resumed.rel)
        except Exception:  # a shortcut that fails leaves the work to the full build (the
            result = None  # tests see it: they check that each edit resumed)
        if result is not None:
            return result
    builder = site_builder(root, options)
    result = builder.build()
    return replace(result, resumable=builder.resumable) if keep else result
