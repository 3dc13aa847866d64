"""What every page template is given: the common context, and JSON that cannot close <script>."""

from __future__ import annotations

import json
from typing import Any

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


def common(config: SiteConfig, url: str, title: str, description: str) -> dict[str, Any]:
    """The context every page template needs: title, description, canonical URL, nav section."""
    section = next(
        (item.url for item in config.nav if url.startswith(item.url) and item.url != "/"),
        None,
    )
    return {
        "title": title,
        "description": description,
        "canonical": url,
        "section": section,
        "code_css": False,
        "scripts": [],
        "styles": [],
        "wide": False,
        "og_type": "website",
        "robots": None,
        "json_ld": None,
    }


def trusted_html(html: str) -> Markup:
    """Mark HTML we rendered ourselves as safe for Jinja's autoescape."""
    return Markup(html)
