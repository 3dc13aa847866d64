"""How numbers read on the page: one place, so every template rounds the same way."""

from __future__ import annotations

import math

from spanvero_site.core.dates import long_day


def _fixed(value: float, digits: int) -> str:
    """`value` with `digits` decimals and thousands separators, halves rounded away from zero.

    Python's own formatting rounds exact halves to even, JavaScript's up; rounding first, the
    same way on both sides, keeps the calculator's text identical in both. A value that is not
    zero never reads as zero: one smaller than the last decimal shown reads as less than it
    ('<0.1', '-<0.1'), so a reader who sees 0 can trust it is nothing at all.
    """
    if value < 0:
        return f"-{_fixed(-value, digits)}"
    scale = 10**digits
    rounded = math.floor(value * scale + 0.5) / scale
    if rounded == 0 < value:
        return f"<{1 / scale:.{digits}f}"
    return f"{rounded:,.{digits}f}"


def _prefixed(symbol: str, number: str) -> str:
    """`symbol` ('$') before the digits of `number`, after its signs: '-$5', '<$0.01'."""
    digits = number.lstrip("-<")
    return f"{number[: len(number) - len(digits)]}{symbol}{digits}"


def gb(value: float) -> str:
    """Memory in GB: one decimal below 100 GB, whole numbers above."""
    return f"{_fixed(value, 1 if abs(value) < 100 else 0)} GB"


def gib(value: float) -> str:
    """Memory in GiB (2^30 bytes): one decimal below 100, whole numbers above."""
    return f"{_fixed(value, 1 if abs(value) < 100 else 0)} GiB"


def params(value_b: float) -> str:
    """A parameter count given in billions, e.g. '8.03B', '671B'."""
    return f"{value_b + 0.0:g}B"  # + 0.0: -0.0 is 0


def tokens(count: int) -> str:
    """A context length: '128K' for 131,072, '10M' for 10,485,760 (as the model's makers and
    the memory chart's axis write it, not '10,240K'), otherwise with separators."""
    if count >= 1024 * 1024 and count % (1024 * 1024) == 0:
        return f"{count // (1024 * 1024):,}M"
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
    """Dollars: cents below $100, whole dollars above; '<$0.01' for less than a cent."""
    return _prefixed("$", _fixed(value, 2) if abs(value) < 100 else _fixed(value, 0))


def kib(value_bytes: float) -> str:
    """A per-token cache size in KiB."""
    return f"{_fixed(value_bytes / 1024, 1 if value_bytes % 1024 else 0)} KiB"


def money(value: float | None) -> str:
    """A cost on the calculator: '—' when it does not apply, cents below $100."""
    return "—" if value is None else usd(value)


def amount(value: float | None) -> str:
    """Hours, tokens/s or millions of tokens: whole from 10, else one decimal ('2.5', '8',
    '<0.1')."""
    if value is None:
        return "—"
    if abs(value) >= 10:
        return _fixed(value, 0)
    text = _fixed(value, 1)
    return text[:-2] if text.endswith(".0") else text


def plain(value: float) -> str:
    """`value` exactly, in digits the calculator's form reads back: '20', '0.04', '0.00001'.

    For a number that is an input rather than a figure to read (a form field's value, a link
    into the calculator): shown rounded, 0.04 would become 0 or '<0.1' and the calculator would
    compute something else; in exponent notation ('1e-05') the field would show a reader a
    form nobody writes a price in.
    """
    text = repr(float(value) + 0.0)  # + 0.0: -0.0 is 0
    if "e" not in text:
        return text.removesuffix(".0")
    mantissa, exponent = text.split("e")
    sign, mantissa = ("-", mantissa[1:]) if mantissa.startswith("-") else ("", mantissa)
    whole, _, fraction = mantissa.partition(".")
    digits, point = whole + fraction, len(whole) + int(exponent)
    if point <= 0:
        return f"{sign}0.{'0' * -point}{digits}"
    if point >= len(digits):
        return f"{sign}{digits}{'0' * (point - len(digits))}"
    return f"{sign}{digits[:point]}.{digits[point:]}"


def signed_percent(percent: float, digits: int = 1) -> str:
    """A price's move in percent, always signed: '+12.5%', '-0.3%', '-<0.1%' (never '-0.0%')."""
    if percent == 0:
        return f"{_fixed(0, digits)}%"
    return f"{'+' if percent > 0 else '-'}{_fixed(abs(percent), digits)}%"


def percent(fraction: float) -> str:
    """A share (0.78) as a whole percent: '78%', '<1%' for a share too small to round to 1."""
    return f"{_fixed(fraction * 100, 0)}%"


TEMPLATE_FILTERS = {
    "gb": gb,
    "gib": gib,
    "params": params,
    "tokens": tokens,
    "usd": usd,
    "kib": kib,
    "money": money,
    "amount": amount,
    "plain": plain,
    "signed_percent": signed_percent,
    "percent": percent,
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
