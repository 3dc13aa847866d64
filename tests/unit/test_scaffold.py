"""`spanvero new learn`: short titles, related candidates and YAML that survives any title."""

from __future__ import annotations

import datetime as dt

import pytest
import yaml

from spanvero_site.core.config import Checks, SiteConfig, Topic
from spanvero_site.core.pages import Page
from spanvero_site.scaffold import (
    explainer_text,
    related_candidates,
    short_title_for,
    tags_named_in,
)


@pytest.mark.parametrize(
    ("title", "short"),
    [
        ("What is a GPU-hour?", "GPU-hour"),
        ("What are embeddings?", "Embeddings"),
        ("What is LoRA?", "LoRA"),
        ("What is the KV cache, and why does a long context need memory?", "KV cache"),
        ("How do I read an API price sheet?", "Read an API price sheet"),
        ("Is a Mac good for running local models?", "Is a Mac good for running local models"),
        ("What is vLLM?", "vLLM"),
        (
            "What is the cheapest way to serve a seventy billion parameter model?",
            "Cheapest way to serve a seventy billion",
        ),
    ],
)
def test_short_title_keeps_acronyms_and_hyphens(title: str, short: str) -> None:
    assert short_title_for(title) == short


def test_tags_named_in_the_question() -> None:
    in_use = ["memory", "fine-tuning", "models", "costs", "rag"]
    assert tags_named_in("How much memory does fine-tuning a model need?", in_use) == [
        "fine-tuning",
        "memory",
        "models",
    ]
    assert tags_named_in("What is a GPU-hour?", in_use) == []


def _page(
    pid: str, title: str, *, tags: tuple[str, ...] = (), topic: str = "costs", draft: bool = False
) -> Page:
    return Page(
        id=pid,
        kind="explainer",
        source=f"content/learn/{pid}.md",
        url=f"/learn/{pid}/",
        title=title,
        short_title=title,
        answer="A.",
        body="",
        body_line=1,
        date=dt.date(2026, 1, 1),
        topic=topic,
        tags=tags,
        draft=draft,
    )


PAGES = (
    _page("gpu-hours", "What is a GPU-hour, and what is spot?", tags=("costs",)),
    _page("vram", "How much VRAM do I need?", tags=("memory",), topic="running"),
    _page("speed", "How fast will a model run on my GPU?", topic="running"),
    _page("lora", "What is LoRA?", tags=("fine-tuning",), topic="adapting"),
    _page("secret", "What does a GPU-hour cost, in secret?", tags=("costs",), draft=True),
)


def test_related_ranks_shared_tags_then_title_words_and_never_drafts() -> None:
    # gpu-hours shares "gpu" and "hour", speed shares "gpu"; the rest go to the topic first
    assert related_candidates("What is a GPU-hour?", [], "running", PAGES, 3) == [
        "gpu-hours",
        "speed",
        "vram",
    ]
    ranked = related_candidates("What is a GPU-hour?", [], "adapting", PAGES, 3)
    assert ranked == ["gpu-hours", "speed", "lora"]
    by_tag = related_candidates("Why is my card slow?", ["memory"], "costs", PAGES, 2)
    assert by_tag == ["vram", "gpu-hours"]
    assert "secret" not in related_candidates("GPU-hour secret cost", ["costs"], "", PAGES, 5)


CONFIG = SiteConfig(
    title="T",
    description="D",
    base_url="https://e.org/",
    language="en",
    nav=(),
    footer_tagline="",
    footer_copyright="",
    advisor_url=None,
    advisor_line=1,
    newsletter=None,
    topics=(Topic("start-here", "Start", "b"), Topic("costs", "Costs", "b")),
    allow_html=False,
    checks=Checks(),
)


@pytest.mark.parametrize(
    "title",
    [
        'Is "Q4" good enough: a test?',
        "C:\\models\\llama — where does it go?",
        "What's #1: 'yes' or no? - [maybe] {x} & *y* | z > w % @a `b`",
        "Ünïcödé and emoji 🤖: do they survive?",
        "null",
        "- 3",
    ],
)
def test_any_title_round_trips_through_yaml(title: str) -> None:
    text = explainer_text(title, config=CONFIG, pages=PAGES, today=dt.date(2026, 11, 28))
    front = yaml.safe_load(text.split("---\n")[1])
    assert front["title"] == title
    assert isinstance(front["short_title"], str) and front["short_title"]


def test_scaffold_front_matter_fields() -> None:
    text = explainer_text(
        "What is a GPU-hour?", config=CONFIG, pages=PAGES, today=dt.date(2026, 11, 28)
    )
    front = yaml.safe_load(text.split("---\n")[1])
    assert front == {
        "title": "What is a GPU-hour?",
        "short_title": "GPU-hour",
        "answer": "Write the honest short answer here, in one to three sentences.",
        "date": dt.date(2026, 11, 28),
        "topic": "start-here",
        "tags": [],
        "related": ["gpu-hours", "speed", "lora"],
        "draft": True,
    }
    assert "topic: start-here  # or: costs\n" in text
    assert "# tags in use: costs, fine-tuning, memory\n" in text
