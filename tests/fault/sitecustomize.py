"""Fault injection for the dev-server tests, loaded by Python at start-up via PYTHONPATH.

With SPANVERO_FAULT set, rendering a Markdown body that contains its value raises, standing in
for any bug in a stage; the server under test must report it and keep serving.
"""

from __future__ import annotations

import os

_MARKER = os.environ.get("SPANVERO_FAULT")

if _MARKER:
    from spanvero_site.core import markdown

    _render = markdown.MarkdownRenderer.render

    def _faulty_render(self, body, *args, **kwargs):  # type: ignore[no-untyped-def]
        if _MARKER in body:
            raise RuntimeError("injected fault")
        return _render(self, body, *args, **kwargs)

    markdown.MarkdownRenderer.render = _faulty_render  # type: ignore[method-assign]
