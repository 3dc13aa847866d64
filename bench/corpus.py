"""A deterministic corpus of N explainers for benchmarks: the same N always gives the same files.

Each page has front-matter with tags and related links, headings, a list, a table, a code block
and links to other pages, like a real explainer, so timings reflect real work.
"""

from __future__ import annotations

import random
import shutil
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parent.parent
TAGS = ("costs", "memory", "fine-tuning", "rag", "inference", "hardware", "formats", "context")
WORDS = [
    "model",
    "tokens",
    "memory",
    "cache",
    "weights",
    "GPU",
    "bandwidth",
    "price",
    "rental",
    "API",
    "latency",
    "context",
    "quantized",
    "adapter",
    "retrieval",
    "prompt",
    "batch",
    "throughput",
    "overhead",
    "precision",
    "layer",
    "head",
    "budget",
    "workload",
]


def make_corpus(dest: Path, count: int, seed: int = 1) -> Path:
    """Write a site with `count` explainers into `dest` (replacing it) and return it."""
    rng = random.Random(seed)
    shutil.rmtree(dest, ignore_errors=True)
    slugs = [f"page-{i:05d}" for i in range(count)]
    write_frame(dest, slugs)
    content = dest / "content"
    for i, slug in enumerate(slugs):
        related = sorted({slugs[(i + k) % count] for k in (1, 2, 3, 5)} - {slug})
        tags = sorted(rng.sample(TAGS, 2))
        (content / "learn" / f"{slug}.md").write_text(_page(rng, i, slug, related, tags))
    return dest


def write_frame(dest: Path, slugs: list[str]) -> None:
    """Everything of a corpus site but its explainers: the shipped templates, static files,
    models, data and home page, and a site.yaml of its own.

    The corpus has none of the shipped explainers, so its site.yaml is the shipped one with
    every setting that names an explainer pointed at the corpus's own `slugs`, and without the
    advisor, whose rules in content/data/advisor.yaml cite the shipped explainers by slug.
    """
    for part in ("templates", "static"):
        shutil.copytree(REPO / part, dest / part)
    content = dest / "content"
    (content / "learn").mkdir(parents=True)
    shutil.copytree(REPO / "content" / "models", content / "models")
    shutil.copytree(
        REPO / "content" / "data", content / "data", ignore=shutil.ignore_patterns("advisor.yaml")
    )
    shutil.copyfile(REPO / "content" / "index.md", content / "index.md")
    site = yaml.safe_load((REPO / "content" / "site.yaml").read_text())
    site["nav"] = [item for item in site.get("nav", []) if item.get("url") != "/advisor/"]
    site["advisor_url"] = None
    models = site.get("models", {})
    if "explainers" in models:
        models["explainers"] = [slugs[i % len(slugs)] for i in range(len(models["explainers"]))]
    if "moe_explainer" in models:
        models["moe_explainer"] = slugs[-1]
    (content / "site.yaml").write_text(yaml.safe_dump(site, sort_keys=False, allow_unicode=True))
    (content / "calculator.md").write_text(
        "---\ntitle: Calculator\ndescription: Compare running costs.\n---\n\nPick a model.\n"
    )


def _sentence(rng: random.Random, n: int = 14) -> str:
    words = [rng.choice(WORDS) for _ in range(n)]
    return " ".join(words).capitalize() + "."


def _page(rng: random.Random, i: int, slug: str, related: list[str], tags: list[str]) -> str:
    paragraphs = "\n\n".join(" ".join(_sentence(rng) for _ in range(5)) for _ in range(3))
    return f"""---
title: "Question number {i}: how does {rng.choice(WORDS)} affect cost?"
short_title: Question {i}
answer: {_sentence(rng, 20)}
date: 2026-11-{1 + i % 27:02d}
topic: {("start-here", "costs", "adapting", "retrieval", "running")[i % 5]}
tags: [{", ".join(tags)}]
related: [{", ".join(related)}]
---

{paragraphs}

## Why it matters

{paragraphs}

- {_sentence(rng, 6)}
- {_sentence(rng, 6)} See [the next page]({related[0]}.md).
- {_sentence(rng, 6)} And [another](/learn/{related[1]}/#why-it-matters).

| Precision | Bits | Weights for 8B |
|---|---:|---:|
| bf16 | 16 | 16.1 GB |
| Q4_K_M | 4.84 | 4.9 GB |

```python
def weights_gb(params_b: float, bits: float) -> float:
    return params_b * bits / 8
```

## What to do next

{paragraphs} Compare on the [calculator](/calculator/) or [the models](/models/).
"""
