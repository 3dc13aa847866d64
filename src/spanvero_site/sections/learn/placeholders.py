"""The text `spanvero new learn` leaves for the editor to replace, and the check that they did.

The scaffold writes these sentences into a draft's answer and body; the loader reports a page
that still holds one, so the instructions to the editor can never be published as the answer
to a reader's question. One module owns the sentences so the two cannot drift apart.
"""

from __future__ import annotations

from spanvero_site.core.diagnostics import Diagnostics
from spanvero_site.core.pages import Page

ANSWER_PLACEHOLDER = "Write the honest short answer here, in one to three sentences."
BODY_PLACEHOLDER = "Explain the reasoning here, with concrete numbers where they help."


def check_placeholders(page: Page, diags: Diagnostics) -> None:
    """Report each scaffold sentence still in a page the build includes (E214; W214 in a draft).

    Called only for pages the build shows, so a draft left out of a build without --drafts
    never fails `check --strict`. A draft is still being written, so it is only warned about
    (fatal under --strict, as in `check --strict --drafts`); a published page would show
    readers the instruction itself.
    """
    found: list[tuple[str, tuple[int, int]]] = []
    if ANSWER_PLACEHOLDER in page.answer:
        found.append(("answer", page.line_of("answer")))
    if BODY_PLACEHOLDER in page.body:  # lines are looked for only when there is one to report
        for offset, text in enumerate(page.body.split("\n")):
            column = text.find(BODY_PLACEHOLDER)
            if column >= 0:
                found.append(("body", (page.body_line + offset, column + 1)))
    report = diags.warning if page.draft else diags.error
    for where, (line, col) in found:
        report(
            "W214" if page.draft else "E214",
            f"the {where} still holds the text `spanvero new` left for you to replace",
            page.source,
            line,
            col,
            f"replace it with the explainer's {where}"
            + (
                "" if page.draft else ", or keep the page a draft (draft: true) until it is written"
            ),
        )
