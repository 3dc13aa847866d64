"""What every page template is given: the common context, and JSON that cannot close <script>."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, TypedDict

from markupsafe import Markup

from spanvero_site.core.config import SiteConfig

_JSON_ESCAPES = {
    "<": "\\u003c",
    ">": "\\u003e",
    "&": "\\u0026",
    "\u2028": "\\u2028",
    "\u2029": "\\u2029",
}


def embed_json(data: Any) -> Markup:
    """JSON for a <script type="application/json"> block that no value can break out of."""
    text = json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    for char, escape in _JSON_ESCAPES.items():
        text = text.replace(char, escape)
    return Markup(text)  # safe: every '<', '>' and '&' is escaped above


class PageContext(TypedDict):
    """What base.html reads: every page template's context starts with these keys."""

    title: str
    description: str
    # The address search engines should list the page under, also its og:url; None on a page
    # they should not list, which base.html marks robots "noindex" (a canonical link asks
    # them to index it, so the one key says both).
    canonical: str | None
    section: str | None  # the nav entry this page belongs to, highlighted in the header
    code_css: bool  # whether the page has highlighted code and needs its stylesheet
    scripts: list[str]
    wide: bool
    og_type: str
    json_ld: Markup | None


def common(
    config: SiteConfig,
    url: str,
    title: str,
    description: str,
    *,
    code_css: bool = False,
    scripts: Sequence[str] = (),
    wide: bool = False,
    og_type: str = "website",
    indexed: bool = True,
    json_ld: Markup | None = None,
) -> PageContext:
    """The context every page template needs: title, description, canonical URL, nav section.

    `indexed` False (a draft, the search page, the 404 page, a step of the advisor's walks)
    asks search engines not to list the page, and so gives it no canonical address either:
    the two are one choice, so no page can say both "index this URL" and "do not".
    """
    section = next(
        (item.url for item in config.nav if url.startswith(item.url) and item.url != "/"),
        None,
    )
    return PageContext(
        title=title,
        description=description,
        canonical=url if indexed else None,
        section=section,
        code_css=code_css,
        scripts=list(scripts),
        wide=wide,
        og_type=og_type,
        json_ld=json_ld,
    )


@dataclass(frozen=True, slots=True)
class TrustedHtml:
    """HTML we rendered ourselves, which Jinja's autoescape prints as it is (`__html__`).

    Not `Markup(html)`: that copies the string, and a body (20 KB a page on the peer corpus)
    would be held twice for the whole build, once in the rendered Markdown and once in the
    page's context. Jinja makes its own short-lived Markup when it prints this.
    """

    html: str

    def __html__(self) -> str:
        return self.html

    # Pickled (a page's context digest) as UTF-8 bytes, for the reason `Rendered` gives.
    def __getstate__(self) -> bytes:
        return self.html.encode("utf-8")

    def __setstate__(self, state: bytes) -> None:
        object.__setattr__(self, "html", state.decode("utf-8"))


def trusted_html(html: str) -> TrustedHtml:
    """Mark HTML we rendered ourselves as safe for Jinja's autoescape."""
    return TrustedHtml(html)
