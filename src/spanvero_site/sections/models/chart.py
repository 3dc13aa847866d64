"""The memory-against-context chart of a model page: total memory at 4-bit and 16-bit as the
context grows, with common GPU memory sizes drawn across it.

Every figure comes from `costs.memory_need`, so the chart, its table and the page agree.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from markupsafe import Markup

from spanvero_site.core.charts import Level, Series, line_chart
from spanvero_site.core.formatting import gib
from spanvero_site.data import costs
from spanvero_site.data.records import Gpu, Model

PRECISIONS = (("q4_k_m", "4-bit (Q4_K_M)"), ("bf16", "16-bit (bf16)"))
FIRST_CONTEXT = 1024
MAX_LEVELS = 3


def tokens_label(tokens: float) -> str:
    """Tokens as a short axis label: 1K, 32K, 1M."""
    if tokens >= 1024 * 1024:
        return f"{tokens / (1024 * 1024):g}M"
    if tokens >= 1000:
        return f"{tokens / 1024:g}K"
    return f"{tokens:g}"


def memory_curves(model: Model) -> dict[str, Any]:
    """Contexts from 1K tokens, doubling up to the model's maximum, and the total memory in GiB
    at each precision for one sequence at each context."""
    contexts = []
    context = FIRST_CONTEXT
    while context < model.context_length:
        contexts.append(context)
        context *= 2
    contexts.append(model.context_length)
    return {
        "contexts": contexts,
        "rows": [
            {
                "context": c,
                **{key: costs.memory_need(model, key, c).total_gib for key, _ in PRECISIONS},
            }
            for c in contexts
        ],
    }


def memory_chart(model: Model, curves: dict[str, Any], gpus: Sequence[Gpu]) -> Markup:
    """The SVG chart of `memory_curves`, with up to three GPU sizes within its range."""
    rows = curves["rows"]
    series = [
        Series(key, label, tuple((r["context"], r[key]) for r in rows)) for key, label in PRECISIONS
    ]
    top = max(r["bf16"] for r in rows)
    sizes = sorted({g.usable_gib for g in gpus if g.usable_gib <= top * 1.1})
    spaced: list[float] = []
    for size in reversed(sizes):  # the largest first; labels need room between lines
        if len(spaced) < MAX_LEVELS and all(abs(size - kept) >= top * 0.12 for kept in spaced):
            spaced.append(size)
    levels = [Level(size, f"{size:g} GiB usable") for size in sorted(spaced)]
    first, last = rows[0], rows[-1]
    desc = (
        f"At 4-bit {model.name} needs {gib(first['q4_k_m'])} with a "
        f"{tokens_label(first['context'])} context and {gib(last['q4_k_m'])} at its full "
        f"{tokens_label(last['context'])}; at 16-bit, {gib(first['bf16'])} and "
        f"{gib(last['bf16'])}. The table below lists every point."
    )
    return line_chart(
        chart_id="memory-chart",
        title=f"Memory {model.name} needs against context length",
        desc=desc,
        series=series,
        x_label="Context length in tokens (log scale)",
        y_label="Memory (GiB)",
        x_format=tokens_label,
        y_format=lambda gb: f"{gb:g}",
        levels=levels,
        log_x=True,
        x_ticks=_every_other(curves["contexts"]),
    )


def _every_other(contexts: Sequence[int]) -> list[int]:
    """At most seven context ticks: every second doubling when there are more, always the last."""
    if len(contexts) <= 7:
        return list(contexts)
    picked = list(contexts[::2])
    return picked if picked[-1] == contexts[-1] else [*picked[:-1], contexts[-1]]
