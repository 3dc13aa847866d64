"""Editorial checks: warnings that keep explainers useful to readers, at the file line to fix."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Iterable, Mapping

from spanvero_site.core.config import Checks
from spanvero_site.core.diagnostics import Diagnostics
from spanvero_site.core.graph import PageGraph
from spanvero_site.core.pages import Page, Target


def check_explainers(
    graph: PageGraph,
    backlinks: Mapping[str, tuple[Target, ...]],
    checks: Checks,
    diags: Diagnostics,
) -> None:
    """Warn about long titles and answers, thin Related lists, questions asked twice, orphans
    and one-page tags.

    A warning never merely follows from an error reported for the same value: a `related:` id
    that does not resolve is already an error (E302, a draft, a source that failed), so the
    Related list and the links between pages are judged as they will be once it is fixed.
    """
    for page_id in graph.explainers:
        page = graph.pages[page_id]
        if len(page.title) > checks.max_title_chars:
            line, col = page.line_of("title")
            diags.warning(
                "W601",
                f"title is {len(page.title)} characters, over {checks.max_title_chars}",
                page.source,
                line,
                col,
                "shorten the question; put detail in the answer",
            )
        if len(page.answer) > checks.max_answer_chars:
            line, col = page.line_of("answer")
            diags.warning(
                "W602",
                f"answer is {len(page.answer)} characters, over {checks.max_answer_chars}",
                page.source,
                line,
                col,
                "keep the short answer to one to three sentences",
            )
        listed = sum(1 for ref in page.related if ref != page_id)  # itself: W303, to remove
        if listed < checks.min_related:
            line, col = page.line_of("related") if page.related else page.line_of("title")
            diags.warning(
                "W603",
                f"only {_count(listed, 'related page')}, fewer than {checks.min_related}",
                page.source,
                line,
                col,
                "add explainers a reader would want next to 'related:'",
            )
    _check_questions_asked_twice((graph.pages[pid] for pid in graph.explainers), diags)
    failed = sorted(
        {u.source for u in graph.unusable if not u.draft and u.url == f"/learn/{u.id}/"}
    )
    # Orphans and lone tags are judged on all explainers, which are not all there: one that
    # failed may be the one that links to another or shares its tag (a model, the advisor or
    # the calculator that failed cannot: only explainers link and tag). And an unknown
    # `related:` id (E302) may be meant for the very page that looks an orphan. Each skip is
    # said in the hint of the error that causes it, so the editor knows these checks are
    # still to come.
    for source in failed:
        diags.unchecked_site(source, _SITE_WIDE)
    unknown = _unknown_related(graph)
    for source in unknown:
        diags.unchecked_site(source, _ORPHANS, _UNTIL_KNOWN)
    if failed:
        return
    for page_id in graph.explainers if not unknown else ():
        page = graph.pages[page_id]
        # A published page cannot link to a draft (the link breaks without --drafts), so a
        # draft is judged an orphan only once it is published.
        if not backlinks.get(page_id) and not page.draft:
            diags.warning(
                "W604",
                "no other explainer links to this page (orphan)",
                page.source,
                1,
                1,
                f"add '{page_id}' to the 'related:' of a page on the same subject, "
                "or link to it from a body",
            )
    for tag, ids in graph.tags.items():
        if len(ids) == 1:
            page = graph.pages[ids[0]]
            line, col = page.line_of("tags", page.tags.index(tag))
            diags.warning(
                "W605",
                f"tag '{tag}' is used by this page only",
                page.source,
                line,
                col,
                "use an existing tag, or tag a second page with it",
            )


_ORPHANS = "orphans (W604)"
_SITE_WIDE = f"{_ORPHANS} and tags used by one page only (W605)"
_UNTIL_KNOWN = (
    "lists only ids that exist in related: (an unknown id may be meant for a page that "
    "looks an orphan)"
)


def question_key(title: str) -> str:
    """What a title asks, for telling two explainers that ask the same question apart from
    two that merely look alike: its words, case-folded, without punctuation ("What is a
    GPU-hour?" and "what is a GPU hour" ask the same)."""
    return " ".join(re.findall(r"[^\W_]+", unicodedata.normalize("NFKC", title).casefold()))


def first_askers(pages: Iterable[Page]) -> dict[str, Page]:
    """Each question's first explainer, by `question_key`: the earliest dated, then by file
    name. The one a later page asking it again is told to merge into."""
    first: dict[str, Page] = {}
    for page in sorted(pages, key=_asked_order):
        first.setdefault(question_key(page.title), page)
    return first


def _asked_order(page: Page) -> tuple[object, str]:
    return (page.date or _NO_DATE, page.source)


def _check_questions_asked_twice(explainers: Iterable[Page], diags: Diagnostics) -> None:
    """W607 on every explainer that asks a question an earlier one already asks: readers get
    two pages, two search results and two feed entries under one title, and neither is the
    whole answer."""
    pages = list(explainers)  # first_askers orders them; the collector sorts what is said
    first = first_askers(pages)
    for page in pages:
        earlier = first[question_key(page.title)]
        if earlier is page:
            continue
        line, col = page.line_of("title")
        earlier_line = earlier.line_of("title")[0]
        diags.warning(
            "W607",
            f"{earlier.source}:{earlier_line} already asks this question: "
            f"'{_excerpt(earlier.title)}'",
            page.source,
            line,
            col,
            f"merge this page into {earlier.source} (and add /learn/{page.id}/ to its "
            "'aliases:'), or ask a different question",
        )


def _excerpt(title: str) -> str:
    return title if len(title) <= _EXCERPT_CHARS else title[: _EXCERPT_CHARS - 1] + "…"


_EXCERPT_CHARS = 80
_NO_DATE = dt.date.min


def _unknown_related(graph: PageGraph) -> list[str]:
    """The sources of the explainers whose `related:` lists an id that names nothing (E302).

    An id left out of the build is not one: a draft, or a page whose source failed, is the
    page it names, never one that looks an orphan (a failed explainer holds back the orphans
    on its own)."""
    left_out = {u.id for u in graph.unusable}
    return [
        graph.pages[pid].source
        for pid in graph.explainers
        if any(r not in graph.targets and r not in left_out for r in graph.pages[pid].related)
    ]


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def check_body(page: Page, diags: Diagnostics) -> None:
    """Warn about a published explainer with no body (W606): readers would get only the answer.

    Made where the page is read (`loader.check_loaded`), never from the page graph: a build that
    resumes from the last one's copy holds every other page without its body, so a check made
    there would find every body empty.
    """
    if not page.body.strip() and not page.draft:
        diags.warning(
            "W606",
            "the page has no body below its front-matter, so readers get only the short answer",
            page.source,
            page.body_line,
            1,
            "write the explanation below the closing '---', or mark the page 'draft: true' "
            "until it is written",
        )
