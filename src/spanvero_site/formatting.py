"""How numbers read on the page: one place, so every template rounds the same way."""

from __future__ import annotations


def gb(value: float) -> str:
    """Memory in GB: one decimal below 100 GB, whole numbers above."""
    return f"{value:,.1f} GB" if value < 100 else f"{value:,.0f} GB"


def params(value_b: float) -> str:
    """A parameter count given in billions, e.g. '8.03B', '671B'."""
    return f"{value_b:g}B"


def tokens(count: int) -> str:
    """A context length: '128K' for 131,072, '8K' for 8,192, otherwise with separators."""
    if count >= 1024 and count % 1024 == 0:
        return f"{count // 1024:,}K"
    return f"{count:,}"


def rate(low: float, high: float) -> str:
    """An estimated range of tokens per second, e.g. '95–133'."""
    if high < 10:
        return f"{low:.1f}–{high:.1f}"
    return f"{low:,.0f}–{high:,.0f}"


def usd(value: float) -> str:
    """Dollars: cents below $100, whole dollars above."""
    return f"${value:,.2f}" if value < 100 else f"${value:,.0f}"


def kib(value_bytes: float) -> str:
    """A per-token cache size in KiB."""
    return (
        f"{value_bytes / 1024:,.1f} KiB" if value_bytes % 1024 else f"{value_bytes / 1024:,.0f} KiB"
    )


FILTERS = {"gb": gb, "params": params, "tokens": tokens, "usd": usd, "kib": kib}
