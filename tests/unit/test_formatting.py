"""How numbers read on the page: the article before a number follows how it is spoken."""

from __future__ import annotations

import re

import pytest

from spanvero_site.core.formatting import indefinite, tokens, xml_attr, xml_text
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
