"""`spanvero new learn`: a draft explainer whose front-matter already passes `check --strict`.

The scaffold picks what an editor would otherwise have to look up: a short title made from the
question, the topic (the first in site.yaml unless `--topic` names another; the others are
listed in a comment), tags in use that the question names, and `related:` pre-filled with the
published explainers that share the most tags and title words, one more than
`checks.min_related` asks for so the editor trims rather than searches. Only the answer and the
body are left to write.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from spanvero_site.core.config import SiteConfig, load_config
from spanvero_site.core.diagnostics import Diagnostics, choose_from
from spanvero_site.core.pages import Page
from spanvero_site.core.schema import SLUG, slugify
from spanvero_site.reporting import Stopped
from spanvero_site.sections.learn.editorial import first_askers, question_key
from spanvero_site.sections.learn.loader import LEARN_DIR, RESERVED_SLUGS, load_pages
from spanvero_site.sections.learn.placeholders import ANSWER_PLACEHOLDER, BODY_PLACEHOLDER
from spanvero_site.stopped import UsageError

SHORT_TITLE_CHARS = 40
_EXISTS = "{} already exists; choose another title, or edit that explainer"

# Openings that carry no meaning in a Related list: "What is a GPU-hour?" is "GPU-hour".
_OPENINGS = re.compile(r"^(?:what\s+is|what\s+are|what's|how\s+do\s+i|how\s+to)\s+", re.I)
_ARTICLE = re.compile(r"^(?:a|an|the)\s+", re.I)
_STOPWORD_TEXT = (
    "a an and are can do does for how i in is it my of on or should the to what when which "
    "why will with you your"
)
_STOPWORDS = frozenset(_STOPWORD_TEXT.split())


@dataclass(frozen=True)
class Scaffold:
    """A new explainer: where it goes, its text, the tags no published page uses yet (each a
    W605 under --strict until a second page carries it) and the explainer that already asks
    its question (W607 once it is written), which `new` says up front."""

    source: str
    text: str
    new_tags: tuple[str, ...] = ()
    asked_by: Page | None = None  # an explainer that already asks this question (W607)


def short_title_for(title: str) -> str:
    """A few words for Related lists: the question's subject, acronyms and hyphens kept."""
    text = title.strip().rstrip("?").strip()
    subject = re.split(r",\s|\s[—–]\s|;\s", text, maxsplit=1)[0]
    stripped = _ARTICLE.sub("", _OPENINGS.sub("", subject)).strip()
    short = stripped or text
    if len(short) > SHORT_TITLE_CHARS:
        cut = short[: SHORT_TITLE_CHARS + 1]
        short = cut[: cut.rfind(" ")] if " " in cut else short[:SHORT_TITLE_CHARS]
    first = short.split(" ", 1)[0]
    if first.islower():  # "embeddings" → "Embeddings", but never "vLLM" → "VLLM"
        short = short[0].upper() + short[1:]
    return short.rstrip(" ,:;-")


def slug_for(title: str) -> str:
    """The file name: the question's words in lowercase, joined by hyphens."""
    return slugify(title)


def _words(text: str) -> set[str]:
    """Content words, lowercased, with a plural 's' dropped so "GPU-hours" meets "GPU-hour"."""
    words = re.findall(r"[a-z0-9]+", text.lower())
    return {w[:-1] if len(w) > 3 and w.endswith("s") else w for w in words} - _STOPWORDS


def tags_named_in(title: str, tags_in_use: Iterable[str]) -> list[str]:
    """The tags in use whose every word appears in the question ("memory", "fine-tuning")."""
    words = _words(title)
    return sorted(t for t in set(tags_in_use) if _words(t.replace("-", " ")) <= words)


def related_candidates(
    title: str, tags: Sequence[str], topic: str, pages: Sequence[Page], count: int
) -> list[str]:
    """The `count` published explainers that best fit: shared tags count twice a shared word.

    Ties, and the places no tag or word fills, go to pages of the same topic, then by weight
    and id, so the choice is stable.
    """
    words, tag_set = _words(title), set(tags)

    def score(page: Page) -> tuple[int, int, int, str]:
        theirs = _words(f"{page.title} {page.short_title} {page.id}")
        shared = 2 * len(tag_set & set(page.tags)) + len(words & theirs)
        return (-shared, page.topic != topic, page.weight, page.id)

    ranked = sorted((p for p in pages if p.kind == "explainer" and not p.draft), key=score)
    return [p.id for p in ranked[:count]]


def _yaml_string(text: str) -> str:
    """A double-quoted YAML scalar: JSON's escapes are YAML's, so `\\`, quotes and `:` are safe."""
    return json.dumps(text, ensure_ascii=False).replace("\u2028", "\\L").replace("\u2029", "\\P")


def _flow_list(items: Sequence[str]) -> str:
    return "[" + ", ".join(items) + "]"


def explainer_text(
    title: str,
    *,
    config: SiteConfig,
    pages: Sequence[Page],
    today: dt.date,
    topic: str | None = None,
    tags: Sequence[str] = (),
) -> str:
    """The scaffold's text for `title` (pure: everything it reads is passed in)."""
    topic_ids = [t.id for t in config.topics]
    chosen_topic = topic or (topic_ids[0] if topic_ids else None)
    in_use = sorted({tag for page in pages for tag in page.tags})
    chosen_tags = list(tags) or tags_named_in(title, in_use)
    count = config.checks.min_related + 1
    related = related_candidates(title, chosen_tags, chosen_topic or "", pages, count)
    lines = [
        "---",
        f"title: {_yaml_string(title)}",
        f"short_title: {_yaml_string(short_title_for(title))}",
        "answer: >-",
        f"  {ANSWER_PLACEHOLDER}",
        f"date: {today.isoformat()}",
    ]
    if chosen_topic:
        others = ", ".join(t for t in topic_ids if t != chosen_topic)
        lines.append(f"topic: {chosen_topic}" + (f"  # or: {others}" if others else ""))
    lines.append(f"tags: {_flow_list(chosen_tags)}")
    if in_use:
        lines.append(f"# tags in use: {', '.join(in_use)}")
    lines += [
        f"related: {_flow_list(related)}  # best matches by tags and title words; trim them",
        "draft: true",
        "---",
        "",
        BODY_PLACEHOLDER,
        "",
    ]
    return "\n".join(lines)


def scaffold_explainer(
    root: Path,
    title: str,
    *,
    today: dt.date,
    topic: str | None = None,
    tags: Sequence[str] = (),
) -> Scaffold:
    """Plan a new explainer under `root`; a UsageError says why the request cannot
    be met, `Stopped` that site.yaml must be fixed first."""
    title = title.strip()
    if any(ord(c) < 32 or ord(c) == 127 for c in title):
        raise UsageError("the title must be one line without control characters")
    slug = slug_for(title)
    if not slug:
        raise UsageError("the title has no letters or digits to make a slug")
    if slug in RESERVED_SLUGS:
        raise UsageError(
            f"its page would be /learn/{slug}/, which is {RESERVED_SLUGS[slug]}; "
            "ask the question in more words"
        )
    diags = Diagnostics()
    config = load_config(root, diags)
    if config is None:  # its topics and limits are what the new page must meet
        raise Stopped(diags.items, "refused: nothing written (content/site.yaml must load first)")
    limit = config.checks.max_title_chars
    if len(title) > limit:
        raise UsageError(
            f"the title is {len(title)} characters, over the {limit} that "
            "checks.max_title_chars allows; ask the question in fewer words and put the "
            "detail in the answer"
        )
    topic_ids = [t.id for t in config.topics]
    if topic is not None and topic not in topic_ids:
        hint = choose_from(
            topic, topic_ids, "topics in site.yaml: ", "site.yaml has no topics: add one first"
        )
        raise UsageError(f"unknown topic '{topic}'; {hint}")
    for tag in tags:
        if not SLUG.match(tag):
            raise UsageError(f"tag '{tag}' is not a slug (lowercase letters, digits, '-')")
    tags = list(dict.fromkeys(tags))  # `--tag x --tag x` means x once (twice would be W304)
    source = f"{LEARN_DIR}/{slug}.md"
    if (root / source).exists():
        raise UsageError(_EXISTS.format(source))
    everything = load_pages(root, config, Diagnostics(), today, drafts=True).pages
    _refuse_a_taken_url(f"/learn/{slug}/", everything)
    pages = [page for page in everything if not page.draft]
    text = explainer_text(title, config=config, pages=pages, today=today, topic=topic, tags=tags)
    in_use = {tag for page in pages for tag in page.tags}
    asked = first_askers(p for p in everything if p.kind == "explainer").get(question_key(title))
    return Scaffold(source, text, tuple(t for t in tags if t not in in_use), asked)


def _refuse_a_taken_url(url: str, pages: Iterable[Page]) -> None:
    """A new page's address must be its own: one an explainer (a draft too) keeps as an alias
    would be written twice (E301) by the first build after `new`."""
    for page in pages:
        if url in page.aliases:
            line = page.line_of("aliases", page.aliases.index(url))[0]
            raise UsageError(
                f"its page would be {url}, which {page.source}:{line} keeps as an alias; "
                "ask the question in other words, or edit that explainer"
            )
