"""How numbers read on the page: one place, so every template rounds the same way."""

from __future__ import annotations

import math

from spanvero_site.core.dates import long_day


def _fixed(value: float, digits: int) -> str:
    """`value` with `digits` decimals and thousands separators, halves rounded up.

    Python's own formatting rounds exact halves to even, JavaScript's away from zero; rounding
    first, the same way on both sides, keeps the calculator's text identical in both.
    """
    scale = 10**digits
    return f"{math.floor(value * scale + 0.5) / scale:,.{digits}f}"


def gb(value: float) -> str:
    """Memory in GB: one decimal below 100 GB, whole numbers above."""
    return f"{_fixed(value, 1)} GB" if value < 100 else f"{_fixed(value, 0)} GB"


def gib(value: float) -> str:
    """Memory in GiB (2^30 bytes): one decimal below 100, whole numbers above."""
    return f"{_fixed(value, 1)} GiB" if value < 100 else f"{_fixed(value, 0)} GiB"


def params(value_b: float) -> str:
    """A parameter count given in billions, e.g. '8.03B', '671B'."""
    return f"{value_b:g}B"


def tokens(count: int) -> str:
    """A context length: '128K' for 131,072, '8K' for 8,192, otherwise with separators."""
    if count >= 1024 and count % 1024 == 0:
        return f"{count // 1024:,}K"
    return f"{count:,}"


def indefinite(numeral: str) -> str:
    """`numeral` ('8K', '4,096', '11K', '1.5 GiB') after the article its spoken form takes.

    The article follows the sound, not the letter: "an 8K context" (eight), "an 11K" (eleven),
    "an 18K" (eighteen), "an 80K" (eighty), "an 800" (eight hundred), but "a 128K" (one
    hundred...) and "a 4K". The number is spoken from its first group of up to three digits
    (the one before a thousands separator), so 8,192 is "eight thousand..." and 11,000 is
    "eleven thousand".
    """
    digits = numeral.lstrip("$").split(",")[0].split(".")[0]
    lead = "".join(c for c in digits if c.isdigit())
    if not lead:
        raise ValueError(f"not a numeral: {numeral!r}")
    group = int(lead)
    vowel = str(group).startswith("8") or group in (11, 18)
    return f"{'an' if vowel else 'a'} {numeral}"


def rate(low: float, high: float) -> str:
    """An estimated range of tokens per second, e.g. '95–133'."""
    if high < 10:
        return f"{_fixed(low, 1)}–{_fixed(high, 1)}"
    return f"{_fixed(low, 0)}–{_fixed(high, 0)}"


def usd(value: float) -> str:
    """Dollars: cents below $100, whole dollars above."""
    return f"${_fixed(value, 2)}" if value < 100 else f"${_fixed(value, 0)}"


def kib(value_bytes: float) -> str:
    """A per-token cache size in KiB."""
    return (
        f"{value_bytes / 1024:,.1f} KiB" if value_bytes % 1024 else f"{value_bytes / 1024:,.0f} KiB"
    )


def money(value: float | None) -> str:
    """A cost on the calculator: '—' when it does not apply, cents below $100."""
    if value is None:
        return "—"
    if 0 < value < 0.005:
        return "<$0.01"
    return usd(value)


def amount(value: float | None) -> str:
    """Hours, tokens/s or millions of tokens: whole from 10, else one decimal ('2.5', '8')."""
    if value is None:
        return "—"
    if value >= 10:
        return _fixed(value, 0)
    text = _fixed(value, 1)
    return text[:-2] if text.endswith(".0") else text


TEMPLATE_FILTERS = {
    "gb": gb,
    "gib": gib,
    "params": params,
    "tokens": tokens,
    "usd": usd,
    "kib": kib,
    "money": money,
    "amount": amount,
    "indefinite": indefinite,
    "day": long_day,
}


def xml_text(value: str) -> str:
    """`value` escaped for XML text: &, < and >.

    Written here rather than taken from `xml.sax.saxutils`, whose import pulls in
    `urllib.request` and `http.client` (15 ms of every run that renders a page)."""
    return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def xml_attr(value: str) -> str:
    """`value` escaped for an XML attribute in double quotes: &, <, > and both quotes."""
    return xml_text(value).replace('"', "&quot;").replace("'", "&apos;")
