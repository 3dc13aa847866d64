"""How numbers read on the page: no figure that is not zero reads as zero, and the article
before a number follows how it is spoken."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest

from spanvero_site.core.formatting import (
    TEMPLATE_FILTERS,
    amount,
    gib,
    indefinite,
    kib,
    money,
    plain,
    rate,
    signed_percent,
    tokens,
    xml_attr,
    xml_text,
)
from spanvero_site.sections.calculator.chart import money_label, sentence_volume, volume_label
from tests.conftest import REPO


@pytest.mark.parametrize(
    ("count", "expected"),
    [
        (8192, "an 8K"),
        (4096, "a 4K"),
        (11264, "an 11K"),  # eleven
        (18432, "an 18K"),  # eighteen
        (81920, "an 80K"),  # eighty
        (16384, "a 16K"),
        (131072, "a 128K"),  # one hundred and twenty-eight
        (1024, "a 1K"),
        (800, "an 800"),  # eight hundred
        (8000, "an 8,000"),  # eight thousand
        (11000, "an 11,000"),  # eleven thousand
        (1100, "a 1,100"),  # one thousand one hundred
        (180, "a 180"),  # one hundred and eighty
        (1, "a 1"),
        (1048576, "a 1M"),  # Llama 4 Maverick's context, not 'a 1,024K'
        (8388608, "an 8M"),
        (10485760, "a 10M"),  # Llama 4 Scout's, not 'a 10,240K'
        (1048576 + 1024, "a 1,025K"),
    ],
)
def test_the_article_before_a_context_follows_how_the_number_is_spoken(
    count: int, expected: str
) -> None:
    assert indefinite(tokens(count)) == expected


@pytest.mark.parametrize(
    ("numeral", "expected"),
    [("8.5 GiB", "an 8.5 GiB"), ("1.5", "a 1.5"), ("$8", "an $8"), ("18B", "an 18B")],
)
def test_decimals_and_units_read_from_their_whole_part(numeral: str, expected: str) -> None:
    assert indefinite(numeral) == expected


def test_a_word_is_not_a_numeral() -> None:
    with pytest.raises(ValueError, match="not a numeral: 'GPU'"):
        indefinite("GPU")


def test_no_template_writes_its_own_article_before_a_value() -> None:
    """A fixed "a" or "an" before `{{ ... }}` is right for some values only ("a 8K context"):
    templates choose it with the `indefinite` filter instead."""
    fixed = re.compile(r"\b(?:a|an)\s+\{\{", re.IGNORECASE)
    found = [
        f"{path.relative_to(REPO)}:{number}: {line.strip()[:80]}"
        for path in sorted((REPO / "templates").rglob("*.html"))
        for number, line in enumerate(path.read_text().splitlines(), 1)
        if fixed.search(line)
    ]
    assert found == []


@pytest.mark.parametrize(
    "value", ["plain", "a & b < c > d", "&amp; stays escaped once", "\"quoted\" and 'single'", ""]
)
def test_the_xml_escapes_match_the_standard_librarys(value: str) -> None:
    from xml.sax.saxutils import escape

    assert xml_text(value) == escape(value)
    assert xml_attr(value) == escape(value, {'"': "&quot;", "'": "&apos;"})


# Below every formatter's last decimal, at its rounding edge, and tiny negatives.
TINY = (1e-12, 1e-9, 1.5e-7, 0.004, 0.0049, 0.0499999, 0.049)
# Not figures to read: `indefinite` takes a numeral, `day` a date, `tokens` a whole count (below
# 1 it is no count), and `plain` writes an input back exactly.
NOT_FIGURES = {"indefinite", "day", "tokens", "plain"}
FIGURES: dict[str, Callable[[float], str]] = {
    **{name: f for name, f in TEMPLATE_FILTERS.items() if name not in NOT_FIGURES},
    "rate": lambda value: rate(value, value),
    "signed_percent(0)": lambda value: signed_percent(value, 0),
    "money_label": money_label,
    "volume_label": volume_label,
    "sentence_volume": sentence_volume,
}
# A zero, whatever its sign, currency, unit or range: '0', '$0.00', '-0.0%', '0.0 GiB', '0–0'.
ZERO = re.compile(r"[-+]?\$?0(\.0*)?(%| ?[A-Za-z]+)?")


def reads_as_zero(text: str) -> bool:
    return all(ZERO.fullmatch(part) for part in text.split("–"))


@pytest.mark.parametrize("name", sorted(FIGURES))
@pytest.mark.parametrize("value", [*TINY, *(-v for v in TINY)])
def test_no_figure_that_is_not_zero_reads_as_zero(name: str, value: float) -> None:
    """A reader who sees '0 hours' or '0.0 GiB' for something that is not nothing stops
    trusting the other figures: below the last decimal shown, a figure reads '<0.1'."""
    text = FIGURES[name](value)
    assert not reads_as_zero(text), f"{name}({value}) = {text!r}"


@pytest.mark.parametrize("name", sorted(FIGURES))
def test_zero_reads_as_zero_and_never_as_minus_zero(name: str) -> None:
    for value in (0.0, -0.0):
        text = FIGURES[name](value)
        assert reads_as_zero(text), f"{name}({value}) = {text!r}"
        assert not text.startswith("-"), f"{name}({value}) = {text!r}"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (0.004, ("<0.1", "<0.1 GiB", "<$0.01", "<0.1 KiB")),
        (0.05, ("0.1", "0.1 GiB", "$0.05", "<0.1 KiB")),
        (2.25, ("2.3", "2.3 GiB", "$2.25", "<0.1 KiB")),
        (-0.004, ("-<0.1", "-<0.1 GiB", "-<$0.01", "-<0.1 KiB")),
        (1234.5, ("1,235", "1,235 GiB", "$1,235", "1.2 KiB")),
    ],
)
def test_a_figure_below_its_last_decimal_reads_as_less_than_it(
    value: float, expected: tuple[str, str, str, str]
) -> None:
    assert (amount(value), gib(value), money(value), kib(value)) == expected


def test_a_price_move_is_signed_and_never_minus_zero() -> None:
    assert [signed_percent(v) for v in (12.46, -0.33, -0.01, 0.0)] == [
        "+12.5%",
        "-0.3%",
        "-<0.1%",
        "0.0%",
    ]
    assert [signed_percent(v, 0) for v in (-0.33, 0.4, -2.5)] == ["-<1%", "+<1%", "-3%"]


@pytest.mark.parametrize(
    "value", [20.0, 8.0, 0.04, 1e-05, 1.5e-7, 1e-12, 1234567.5, 0.1729, 1e16, 0.1 + 0.2]
)
def test_an_input_is_written_back_exactly_in_plain_digits(value: float) -> None:
    text = plain(value)
    assert float(text) == value
    assert re.fullmatch(r"[0-9]+(\.[0-9]+)?", text), text


def test_chart_labels_write_tiny_values_in_plain_digits() -> None:
    assert (money_label(0.00005), volume_label(1e-05), money_label(1500)) == (
        "$0.00005",
        "0.00001M",
        "$1.5k",
    )
