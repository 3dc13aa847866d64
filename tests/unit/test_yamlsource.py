"""How the one YAML loader reads numbers and merge keys, in data files and front-matter alike."""

from __future__ import annotations

import math

import pytest
import yaml

from spanvero_site.core import yamlsource

# Written in a file -> read as. YAML 1.2's decimal numbers, as editors write them: PyYAML
# (YAML 1.1) read the first three as text ("must be a number, not '1e308'"), `017` as octal
# 15, and `0x1F`, `0o17`, `1_000`, `1:30` as numbers no reader sees written.
NUMBERS = {
    "1e308": 1e308,
    "1e3": 1000.0,
    "5E-1": 0.5,
    "1.5e+3": 1500.0,
    ".5": 0.5,
    "+5": 5,
    "-3": -3,
    "017": 17,
    "0x1F": "0x1F",
    "0o17": "0o17",
    "0b101": "0b101",
    "1_000": "1_000",
    "1:30": "1:30",
    "2026-11-05": "2026-11-05",
}


@pytest.mark.parametrize(("written", "read"), NUMBERS.items())
def test_numbers_are_decimal_in_data_and_front_matter(written: str, read: object) -> None:
    data = yamlsource.load(f"value: {written}\n")["value"]
    # as frontmatter.split loads it
    front = yamlsource.load(f"value: {written}\n", aliases=False, line_offset=1)["value"]
    assert data == front == read
    assert type(data) is type(read)


@pytest.mark.parametrize("written", [".inf", "-.inf", "1e309", "-2e400"])
def test_infinity_and_overflow_are_infinite_floats_for_the_schema_to_refuse(written: str) -> None:
    assert math.isinf(yamlsource.load(f"value: {written}\n")["value"])


def test_nan_is_a_float_for_the_schema_to_refuse() -> None:
    assert math.isnan(yamlsource.load("value: .nan\n")["value"])


def test_a_merge_key_is_refused_in_a_data_file_at_its_line() -> None:
    """A merged-in figure would silently carry another entry's source and as_of."""
    text = (
        "history:\n"
        "  - &first\n"
        "    usd_per_hour: 2.99\n"
        "    source: https://cloud-a.example/pricing\n"
        "  - <<: *first\n"
        "    usd_per_hour: 2.69\n"
    )
    with pytest.raises(yamlsource.YamlError) as refused:
        yamlsource.load(text)
    assert (refused.value.message, refused.value.line) == (
        "merge keys (<<) are not allowed here",
        5,
    )
    assert refused.value.hint == "write the keys out in this mapping instead of merging them in"


@pytest.mark.parametrize("value", ["1e3", "017", "0x1F", "2026-11-05", 1e-05, math.inf, 5, True])
def test_the_dumper_writes_what_the_loader_reads_back(value: object) -> None:
    """`prices add` writes a note or a price with it: a text such as '1e3', which YAML 1.1
    writes bare, is quoted so it is not read back as a number."""
    assert yamlsource.load(yaml.dump([value], Dumper=yamlsource.Dumper)) == [value]
