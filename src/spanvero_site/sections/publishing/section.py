"""Publishing behind the seam: sitemap.xml, robots.txt and _redirects from every other section."""

from __future__ import annotations

from spanvero_site.core.diagnostics import Diagnostics
from spanvero_site.core.section import Contribution, File, Section, SiteState
from spanvero_site.sections.publishing.outputs import (
    REDIRECTS,
    ROBOTS,
    SITEMAP,
    redirects,
    robots,
    sitemap,
)


class PublishingSection(Section):
    """Gathers the sitemap entries and redirects the sections before it contributed.

    It must come last in the site's list of sections: it reads their contributions.
    """

    name = "publishing"
    gathers = True

    def build(self, site: SiteState, diags: Diagnostics) -> Contribution:
        parts = site.contributions.values()
        entries = [entry for part in parts for entry in part.sitemap]
        moves = [move for part in parts for move in part.redirects]
        return Contribution(
            files=(
                File(SITEMAP, sitemap(site.config, entries).encode(), "the sitemap"),
                File(ROBOTS, robots(site.config).encode(), "robots.txt"),
                File(REDIRECTS, redirects(site.config, moves).encode(), "the redirects file"),
            )
        )
