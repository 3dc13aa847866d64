"""Read the Markdown sources under content/ and validate their front-matter into Pages."""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

from spanvero_site.core.cache import Stamp
from spanvero_site.core.config import SiteConfig
from spanvero_site.core.dates import in_the_future, is_future
from spanvero_site.core.diagnostics import Diagnostics, choose_from, excerpt
from spanvero_site.core.memo import FileMemo, file_key
from spanvero_site.core.pages import Page, Unusable
from spanvero_site.core.paths import path_problem
from spanvero_site.core.schema import SLUG, Field, Source, check, distinct, slugify
from spanvero_site.core.sources import load_markdown_page, read_text, split_front_matter
from spanvero_site.core.yamlsource import Positions
from spanvero_site.sections.learn.editorial import check_body
from spanvero_site.sections.learn.placeholders import check_placeholders

LEARN_DIR = "content/learn"
# The length past which an explainer is W215: about 1 MB of text, a hundred times a long
# explainer, and slow to parse (markdown-it-py's time grows with it: a 6 MB one took 45 s).
MAX_EXPLAINER_CHARS = 1_000_000

EXPLAINER_SCHEMA: dict[str, Field] = {
    "title": Field("str", required=True, example='"What is LoRA?"'),
    "short_title": Field("str", example="LoRA"),
    "answer": Field("str", required=True, example="One to three sentences that answer it."),
    "date": Field("date", required=True, example="2026-11-28"),
    "updated": Field("date", example="2026-11-28"),
    "topic": Field("str", example="adapting"),
    "weight": Field("int", example="10"),
    "tags": Field("str_list", example="[fine-tuning, lora]"),
    "related": Field("str_list", example="[fine-tuning, qlora, models/llama-3-1-8b]"),
    "aliases": Field("str_list", example="[/learn/old-name/]"),
    "draft": Field("bool", example="false"),
}

# Single Markdown pages outside /learn/ that this section builds: (source, page id, kind, URL);
# the home page is required.
HOME_PAGE = "content/index.md"
SECTION_PAGES = ((HOME_PAGE, "home", "home", "/"),)


@dataclass(frozen=True)
class LoadedPages:
    """The pages that loaded, and the sources that exist but are left out: those that did not
    load (already reported) and drafts outside a --drafts build."""

    pages: tuple[Page, ...]
    unusable: tuple[Unusable, ...]


def load_pages(
    root: Path,
    config: SiteConfig,
    diags: Diagnostics,
    today: dt.date,
    drafts: bool = False,
    memo: FileMemo | None = None,
) -> LoadedPages:
    """Every publishable Markdown page under `root`/content, sorted by source path.

    With a `memo` from an earlier build, only files whose mtime or size changed are re-read.
    `today` is the build's date: a page dated more than a day after it is reported (W213).
    That check is made here, not in the memoised load, so a new day re-reads no file.
    """
    memo = memo or FileMemo()
    pages: list[Page] = []
    unusable: list[Unusable] = []
    for rel, page_id, kind, url in SECTION_PAGES:
        key = file_key(root / rel)
        if key is None and rel == HOME_PAGE:
            diags.error(
                "E101",
                f"{HOME_PAGE} is missing: every site needs a home page",
                HOME_PAGE,
                1,
                1,
                hint="create it with 'title' and 'description' front-matter",
            )
        if key is not None:
            page = memo.get(
                rel, key, partial(load_markdown_page, root, rel, page_id, kind, url), diags
            )
            if page is not None:
                pages.append(page)
            else:
                unusable.append(Unusable(page_id, url, rel))
    for name, kind in _strays(root / LEARN_DIR):
        if kind == "file":  # what links to it is not also reported as unknown
            stem = name[: -len(".md")]
            unusable.append(Unusable(stem, f"/learn/{stem}/", f"{LEARN_DIR}/{name}"))
        diags.error(
            "E210",
            f"{kind} '{name}' in {LEARN_DIR}/ is not read",
            f"{LEARN_DIR}/{name}",
            1,
            1,
            hint="explainers are .md files directly in content/learn/: "
            + ("rename it to end in '.md'" if kind == "file" else "move its files up a level"),
        )
    jobs = []
    for name, file_stamp in _markdown_files(root / LEARN_DIR):
        rel = f"{LEARN_DIR}/{name}"
        topics_key = (file_stamp, config.known_topics)
        jobs.append((rel, topics_key, partial(load_explainer, root, rel, config)))
    memo.prefill(jobs)  # on the worker processes, when there are many
    for rel, memo_key, load in jobs:
        page = memo.get(rel, memo_key, load, diags)
        if page is None:
            stem = rel[len(LEARN_DIR) + 1 : -len(".md")]
            unusable.append(Unusable(stem, f"/learn/{stem}/", rel))
            continue
        check_loaded(page, today, drafts, diags)
        if drafts or not page.draft:
            pages.append(page)
        else:  # left out, but known: a link to it is told it is a draft, not that it is unknown
            unusable.append(Unusable(page.id, page.url, rel, draft=True))
    return LoadedPages(tuple(pages), tuple(unusable))


def _markdown_files(folder: Path) -> list[tuple[str, Stamp]]:
    """The .md files directly in `folder`, sorted by name, with their `Stamp`s.

    os.scandir rather than Path.glob: a rebuild lists thousands of files, and this is several
    times faster.
    """
    try:
        entries = list(os.scandir(folder))
    except FileNotFoundError:
        return []
    found = []
    for entry in entries:
        if entry.name.endswith(".md") and entry.is_file():
            found.append((entry.name, Stamp.of(entry.stat())))
    return sorted(found)


def _strays(folder: Path) -> list[tuple[str, str]]:
    """Entries of `folder` an editor may believe are explainers but are not read: subfolders
    and files named like Markdown in another case ('.MD'). Hidden entries are left alone."""
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return []
    strays = []
    for entry in sorted(entries, key=lambda e: e.name):
        if entry.name.startswith("."):
            continue
        if entry.is_dir():
            strays.append((entry.name, "folder"))
        elif entry.name.lower().endswith(".md") and not entry.name.endswith(".md"):
            strays.append((entry.name, "file"))
    return strays


# Slugs whose /learn/<slug>/ the learn section writes itself: an explainer cannot have them.
RESERVED_SLUGS = {"tags": "the index of tags"}


def load_explainer(root: Path, rel: str, config: SiteConfig, diags: Diagnostics) -> Page | None:
    """Read and validate one explainer; None (with diagnostics) when it cannot be built."""
    slug = Path(rel).stem
    if not SLUG.match(slug):
        suggestion = slugify(slug) or "my-question"
        diags.error(
            "E207",
            f"file name '{Path(rel).name}' is not a valid slug",
            rel,
            1,
            1,
            hint=f"use lowercase letters, digits and hyphens, e.g. rename it to '{suggestion}.md'",
        )
        return None
    if slug in RESERVED_SLUGS:
        diags.error(
            "E207",
            f"file name '{Path(rel).name}' is taken: /learn/{slug}/ is {RESERVED_SLUGS[slug]}",
            rel,
            1,
            1,
            hint=f"rename it, e.g. to '{slug}-explained.md'",
        )
        return None
    text = read_text(root, rel, diags)
    if text is None:
        return None
    return parse_explainer(rel, text, config, diags)


def parse_explainer(rel: str, text: str, config: SiteConfig, diags: Diagnostics) -> Page | None:
    """Validate the explainer at `rel` from its text alone (pure, so tests need no files)."""
    if len(text) > MAX_EXPLAINER_CHARS:
        diags.warning(
            "W215",
            f"explainer is {len(text):,} characters long, more than the "
            f"{MAX_EXPLAINER_CHARS:,} an explainer may hold",
            rel,
            1,
            1,
            "split it into shorter explainers that name each other under 'related:': a page "
            "this long is slow to build and to load, and too long to read",
        )
    fm = split_front_matter(rel, text, diags)
    if fm is None:
        return None
    # Its dates are checked against each build's day by `check_future` (W213), outside this
    # memoised load: an entry that depended on the day would expire every day.
    source = Source(rel, lambda at: fm.line_of(*at), today=None)
    before = diags.error_count
    meta = check(fm.meta, EXPLAINER_SCHEMA, source, diags)
    # A list that repeats an item (W304) is used without the repeat, so no tag is shown twice;
    # the positions follow, so a later message about an item still names its own line.
    kept: dict[str, tuple[int, ...]] = {}
    for key in _LISTS:
        meta[key], kept[key] = distinct(meta.get(key, ()))
    positions = fm.positions.keeping(kept)
    _check_updated(meta, rel, positions, diags)
    topic = meta.get("topic")
    topics = config.known_topics  # None: site.yaml's topics are broken (reported there)
    topic_ids = [t.id for t in topics or ()]
    if topic is not None and topics is not None and topic not in topic_ids:
        line, col = fm.line_of("topic")
        hint = choose_from(
            topic,
            topic_ids,
            "topics in site.yaml: ",
            "site.yaml has no topics: add one, or remove 'topic:'",
        )
        diags.error("E208", f"unknown topic '{topic}'", rel, line, col, hint)
    for index, tag in enumerate(meta.get("tags", [])):
        if not SLUG.match(tag):
            line, col = positions.locate(("tags", index))
            diags.error(
                "E208",
                f"tag '{tag}' is not a valid slug",
                rel,
                line,
                col,
                _slug_hint(tag),
            )
    for index, alias in enumerate(meta.get("aliases", [])):
        problem = path_problem(alias)
        if problem is None and not alias.endswith("/"):
            problem = "it must end with '/'"
        if problem is not None:
            line, col = positions.locate(("aliases", index))
            diags.error(
                "E208",
                f"alias {excerpt(repr(alias), 80)} is not a plain site path: {problem}",
                rel,
                line,
                col,
                "write an old URL of this page as a path that starts and ends with '/', "
                "e.g. /learn/old-name/",
            )
    if diags.error_count > before:
        return None
    slug = Path(rel).stem
    return Page(
        id=slug,
        kind="explainer",
        source=rel,
        url=f"/learn/{slug}/",
        title=meta["title"],
        short_title=meta.get("short_title", meta["title"]),
        answer=meta["answer"].strip(),
        body=fm.body,
        body_line=fm.body_line,
        date=meta["date"],
        updated=meta.get("updated"),
        topic=topic,
        weight=meta.get("weight", 0),
        draft=meta.get("draft", False),
        tags=meta["tags"],
        related=meta["related"],
        aliases=meta["aliases"],
        positions=positions,
    )


# The front-matter lists in which an item means nothing twice.
_LISTS = ("tags", "related", "aliases")


def _check_updated(
    meta: dict[str, Any], rel: str, positions: Positions, diags: Diagnostics
) -> None:
    """An update before the page was written (W212): real dates, but one of them is wrong."""
    date, updated = meta.get("date"), meta.get("updated")
    if date is not None and updated is not None and updated < date:
        line, col = positions.locate(("updated",))
        diags.warning(
            "W212",
            f"'updated' ({updated}) is earlier than 'date' ({date})",
            rel,
            line,
            col,
            "'updated' is the day of the last real change, on or after 'date': fix the one "
            "that is wrong, or remove 'updated'",
        )


def check_loaded(page: Page, today: dt.date, drafts: bool, diags: Diagnostics) -> None:
    """The checks each build makes of a loaded explainer outside the memoised load (a full
    build and a one-page reload alike): its dates against the build's, and, when the build
    shows it, the text `spanvero new` left in it, and a published page with no body."""
    check_future(page, today, diags)
    if drafts or not page.draft:
        check_placeholders(page, diags)
    check_body(page, diags)


def check_future(page: Page, today: dt.date, diags: Diagnostics) -> None:
    """A date more than a day after the build's (W213; feeds and the sitemap would tell
    readers the page is new). Made on each build's loaded pages, outside the memoised load,
    whose entries would otherwise expire every day."""
    for key in ("date", "updated"):
        value = getattr(page, key)
        if value is not None and is_future(value, today):
            line, col = page.line_of(key)
            diags.warning(
                "W213",
                in_the_future(key, value, today),
                page.source,
                line,
                col,
                f"write the day it was {'written' if key == 'date' else 'last changed'}, "
                "e.g. today's date",
            )


def _slug_hint(written: str) -> str:
    """How to write a tag as a slug, with the slug of what was written when it has one."""
    slug = slugify(written)
    rule = "use lowercase letters, digits and hyphens"
    return f"{rule}, e.g. '{slug}'" if slug and SLUG.match(slug) else rule
