"""How the one YAML loader reads numbers, booleans, nulls and merge keys, in data files and
front-matter alike."""

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


def _both(text: str) -> tuple[object, object]:
    """`text` read as a data file and as front-matter (as frontmatter.split loads it)."""
    return yamlsource.load(text), yamlsource.load(text, aliases=False, line_offset=1)


# Written in a file -> read as. YAML 1.2's core schema: only these six are booleans. PyYAML
# (YAML 1.1) read yes, no, on and off in every casing as booleans too, so the country code
# `no` was False; y and n it leaves as text, though the YAML 1.1 spec has them.
BOOLEANS = {
    **{word: True for word in ("true", "True", "TRUE")},
    **{word: False for word in ("false", "False", "FALSE")},
    **{word: word for word in ("yes", "Yes", "YES", "no", "No", "NO", "on", "On", "ON")},
    **{word: word for word in ("off", "Off", "OFF", "y", "Y", "n", "N", "tRUE", "fALSE")},
}


@pytest.mark.parametrize(("written", "read"), BOOLEANS.items())
def test_only_true_and_false_are_booleans_in_data_and_front_matter(
    written: str, read: object
) -> None:
    text = f"value: {written}\nlist: [{written}]\n{written}: key\n"
    for loaded in _both(text):
        assert loaded == {"value": read, "list": [read], read: "key"}
        assert type(loaded["value"]) is type(read)  # type: ignore[index]


def test_a_boolean_tag_on_a_yaml_1_1_word_is_refused_at_its_line() -> None:
    with pytest.raises(yamlsource.YamlError) as refused:
        yamlsource.load("a: 1\nb: !!bool yes\n")
    assert (refused.value.message, refused.value.line, refused.value.hint) == (
        "'yes' is not a boolean: only true and false are",
        2,
        "write true or false without the tag",
    )
    assert yamlsource.load("b: !!bool True\n") == {"b": True}


# YAML 1.2's core schema reads these as null, and PyYAML agrees; `nULL` and `none` are text.
NULLS = {"null": None, "Null": None, "NULL": None, "~": None, "": None}
NULLS |= {"nULL": "nULL", "none": "none", "None": "None", "'null'": "null", "'~'": "~"}


@pytest.mark.parametrize(("written", "read"), NULLS.items())
def test_nulls_are_yaml_1_2_s_and_pyyaml_s_alike(written: str, read: object) -> None:
    text = f"value: {written}\nlist:\n  - {written}\n"  # `[]` would be an empty list
    expected = {"value": read, "list": [read]}
    assert yaml.load(text, Loader=yaml.SafeLoader) == expected
    assert _both(text) == (expected, expected)


QUOTED = ["no", "Yes", "OFF", "on", "y", "N", "true", "False", "null", "~", "", "1e3", "0x1F"]


@pytest.mark.parametrize(
    "value",
    [*QUOTED, "017", "2026-11-05", "note", 1e-05, math.inf, 5, True, False, None],
)
def test_the_dumper_writes_what_the_loader_reads_back(value: object) -> None:
    """`prices add` writes a note or a price with it: a text such as '1e3', which YAML 1.1
    writes bare, is quoted so it is not read back as a number."""
    assert yamlsource.load(yaml.dump([value], Dumper=yamlsource.Dumper)) == [value]


@pytest.mark.parametrize("text", QUOTED)
def test_the_dumper_quotes_a_text_any_yaml_reader_would_take_for_another_value(text: str) -> None:
    """A note `no` is text to the loader; written bare, a YAML 1.1 reader (a linter, another
    tool) would still read it as false, and 1e3 as a number to the loader: all are quoted."""
    dumped = yaml.dump({"note": text}, Dumper=yamlsource.Dumper)
    assert dumped in (f"note: '{text}'\n", f'note: "{text}"\n')
    assert yaml.load(dumped, Loader=yaml.SafeLoader) == {"note": text}


@pytest.mark.parametrize(
    ("text", "line", "col", "message"),
    [
        (
            'a: 1\ntitle: "Unclosed\nb: 2\n',
            2,
            8,
            "this quoted value is not closed (the parser gave up at line 5: the YAML ends there)",
        ),
        (
            "tags: [a, b\nrelated: [c]\n",
            1,
            7,
            "this list in [ ] is not closed (the parser gave up at line 3: "
            "did not find expected ',' or ']')",
        ),
        (
            "gpus:\n  - {id: x\n  - {id: y}\n",
            2,
            5,
            "this mapping in { } is not closed (the parser gave up at line 4: "
            "did not find expected ',' or '}')",
        ),
    ],
)
def test_a_quote_or_bracket_left_open_is_reported_where_it_opened(
    text: str, line: int, col: int, message: str
) -> None:
    """The parser notices a missing quote, `]` or `}` lines later (often at the end); the
    error is placed at what was left open, and names the line where the parser gave up, in
    the file's own numbering (here with the front-matter's offset of one line)."""
    with pytest.raises(yamlsource.YamlError) as raised:
        yamlsource.load(text, line_offset=1)
    assert (raised.value.line, raised.value.col, raised.value.message) == (line, col, message)


def test_an_error_on_the_line_that_opened_it_keeps_the_parser_s_place() -> None:
    with pytest.raises(yamlsource.YamlError) as raised:
        yamlsource.load("tags: [a, b}\nx: 1\n")
    assert raised.value.line == 1
    assert "not closed" not in raised.value.message
