from __future__ import annotations

import datetime as dt

import pytest

from spanvero_site.core.diagnostics import Diagnostics
from spanvero_site.core.schema import (
    _RULES,
    Field,
    Source,
    base_url_problem,
    check,
    distinct,
    url_problem,
)
from spanvero_site.core.yamlsource import Positions, load

SCHEMA = {
    "title": Field("str", required=True, example="Hi"),
    "date": Field("date", required=True),
    "count": Field("int"),
    "kind": Field("str", choices=("a", "b")),
    "nested": Field("mapping", schema={"url": Field("url", required=True)}),
}


def run(text: str) -> tuple[dict, list[str]]:
    diags = Diagnostics()
    values = check(load(text), SCHEMA, Source("f.yaml", Positions(text).locate, None), diags)
    return values, [f"{d.line}:{d.code}:{d.message}" for d in diags.items]


def test_valid_values_come_back_typed() -> None:
    values, problems = run("title: Hi\ndate: 2026-01-02\ncount: 3\nkind: a\n")
    assert problems == []
    assert values == {"title": "Hi", "date": dt.date(2026, 1, 2), "count": 3, "kind": "a"}


def test_every_problem_is_reported_in_one_pass() -> None:
    text = "titel: Hi\ndate: 2026-13-01\ncount: three\nkind: c\nnested:\n  url: nope\n"
    _, problems = run(text)
    assert problems == [
        "1:E204:missing required key 'title'",
        "1:W205:unknown key 'titel'",
        "2:E206:'date' is not a real date: '2026-13-01'",
        "3:E203:'count' must be a whole number, not 'three'",
        "4:E208:'kind' has an unknown value 'c'",
        "6:E203:'nested.url' must be an http(s) URL, not 'nope'",
    ]


def test_a_key_written_without_a_value_is_said_at_its_own_line() -> None:
    """`answer:` with nothing after it is not a missing key (it is there) and not the text
    `''`: the editor is told the value is missing, at the key's line."""
    _, problems = run("count: 1\ntitle:\ndate: 2026-01-02\nkind: ''\nnested:\n  url:\n")
    assert problems == [
        "2:E204:required key 'title' has no value",
        "4:E203:'kind' is empty: it must be a text",
        "6:E204:required key 'nested.url' has no value",
    ]


def test_booleans_are_not_numbers() -> None:
    _, problems = run("title: Hi\ndate: 2026-01-02\ncount: true\n")
    assert problems == ["3:E203:'count' must be a whole number, not True"]


TEXTS = {"tags": Field("str_list", example="[a, b]")}


def texts(text: str) -> tuple[dict, list[str]]:
    diags = Diagnostics()
    values = check(load(text), TEXTS, Source("f.yaml", Positions(text).locate, None), diags)
    return values, [f"{d.line}:{d.col}:{d.code}:{d.message} / {d.hint}" for d in diags.items]


def test_a_bad_item_of_a_list_of_texts_is_named_at_its_own_line() -> None:
    values, problems = texts("tags:\n  - a\n  - ~\n  - 42\n  - [b]\n")
    assert values == {}
    assert problems == [
        "3:5:E203:'tags[1]' must be a text, not None / the item is empty (~, or a lone '-'): "
        "write a text there, or remove it",
        "4:5:E203:'tags[2]' must be a text, not 42 / put it in quotes if it is meant as text, "
        "e.g. tags: [a, b]",
        "5:5:E203:'tags[3]' must be a text, not a list / brackets inside the list make a list "
        "in it: write tags: [a, b]",
    ]


def test_an_item_repeated_in_a_list_of_texts_is_a_warning_at_the_repeat() -> None:
    values, problems = texts("tags: [a, b, a]\n")
    assert values == {"tags": ["a", "b", "a"]}  # `distinct` drops it where the list is used
    assert problems == [
        "1:14:W304:'a' is listed twice in tags / remove the repeat (the first is at 1:8)"
    ]
    assert distinct(values["tags"]) == (("a", "b"), (0, 1))


def test_positions_keeping_find_a_kept_item_where_it_was_written() -> None:
    text = "tags: [a, a, b]\n"
    kept = Positions(text).keeping({"tags": (0, 2)})
    assert kept.locate(("tags", 1)) == (1, 14)


# Every rule of every numeric domain, broken once, with the hint that names that rule.
BETWEEN = "it must be between -1,000,000,000,000,000 and 1,000,000,000,000,000"
NOT_NAN = (
    "NaN, infinity and numbers too large to hold (1e309 and up) are not numbers a page can show"
)
TOO_LARGE = "it is too large to calculate with"
DOMAIN_CASES = [
    ("int", "10000000000000001", BETWEEN),
    ("int", "-10000000000000001", BETWEEN),
    ("number", ".nan", NOT_NAN),
    ("number", "-.inf", NOT_NAN),
    ("number", "1" + "0" * 400, TOO_LARGE),
    ("count", "-1", "a count must be 1 or more"),
    ("count", "0", "a count must be 1 or more"),
    ("count", "10000000000000001", "it must be at most 1,000,000,000,000,000"),
    ("positive", ".inf", NOT_NAN),
    ("positive", "1" + "0" * 400, TOO_LARGE),
    ("positive", "0", "it must be above zero"),
    ("positive", "-2.5", "it must be above zero"),
    ("non_negative", ".nan", NOT_NAN),
    ("non_negative", "1" + "0" * 400, TOO_LARGE),
    ("non_negative", "-0.01", "it must be 0 or more"),
    ("fraction", ".nan", NOT_NAN),
    ("fraction", "1" + "0" * 400, TOO_LARGE),
    ("fraction", "0", "it must be above zero"),
    ("fraction", "-0.5", "it must be above zero"),
    ("fraction", "1.5", "it must be at most 1 (a share: 0.75 is 75%)"),
]


@pytest.mark.parametrize(("kind", "written", "rule"), DOMAIN_CASES)
def test_a_number_outside_its_domain_is_told_the_rule_it_broke(
    kind: str, written: str, rule: str
) -> None:
    schema = {"value": Field(kind, example="3")}
    text = f"value: {written}\n"
    diags = Diagnostics()
    check(load(text), schema, Source("f.yaml", Positions(text).locate, None), diags)
    [found] = diags.items
    assert (found.code, found.hint) == ("E209", f"write it like: value: 3; {rule}")


def test_a_field_without_an_example_is_still_told_the_rule() -> None:
    """site.yaml's `checks.max_price_age_days: -1` once got the NaN hint."""
    diags = Diagnostics()
    text = "days: -1\n"
    check(
        load(text), {"days": Field("count")}, Source("f.yaml", Positions(text).locate, None), diags
    )
    [found] = diags.items
    assert found.message == "'days' must be a positive whole number, not -1"
    assert found.hint == "a count must be 1 or more"


def test_every_numeric_kind_has_its_rules_tested() -> None:
    """A kind added to the schema without a case here would have an untested hint."""
    assert {kind for kind, _, _ in DOMAIN_CASES} == set(_RULES) - {"slug"}


def test_a_date_past_the_build_s_day_is_e709_at_any_depth() -> None:
    schema = {
        "as_of": Field("date"),
        "price": Field("mapping", schema={"date": Field("date")}),
    }
    text = "as_of: 2026-11-29\nprice:\n  date: 2026-11-30\n"
    diags = Diagnostics()
    today = dt.date(2026, 11, 28)
    values = check(load(text), schema, Source("f.yaml", Positions(text).locate, today), diags)
    # A day ahead is already today east of UTC; two days ahead is nowhere yet.
    assert [f"{d.line}:{d.col}:{d.code}:{d.message}" for d in diags.items] == [
        "3:3:E709:'price.date' (2026-11-30) is in the future (the build's date is 2026-11-28)"
    ]
    assert values["as_of"] == dt.date(2026, 11, 29)


FLAGS = {"draft": Field("bool", example="false"), "note": Field("str")}


def flags(text: str) -> tuple[dict, list[str]]:
    diags = Diagnostics()
    values = check(load(text), FLAGS, Source("f.yaml", Positions(text).locate, None), diags)
    return values, [f"{d.line}:{d.code}:{d.message} / {d.hint}" for d in diags.items]


@pytest.mark.parametrize(("written", "meant"), [("yes", "true"), ("No", "false"), ("ON", "true")])
def test_a_yaml_1_1_boolean_word_in_a_true_or_false_field_says_to_write_true_or_false(
    written: str, meant: str
) -> None:
    """YAML 1.2 reads `yes` as text, as the loader does: the field says what to write."""
    assert flags(f"draft: {written}\n") == (
        {},
        [
            f"1:E203:'draft' must be true or false, not '{written}' / write draft: {meant} "
            f"('{written}' is text: only true and false are booleans)"
        ],
    )


def test_a_yaml_1_1_boolean_word_in_a_text_field_is_the_text() -> None:
    assert flags("draft: false\nnote: off\n") == ({"draft": False, "note": "off"}, [])
    _, problems = flags("note: true\n")
    assert problems == [
        "1:E203:'note' must be a text, not True / YAML reads true and false as booleans: put "
        "the text in quotes"
    ]


@pytest.mark.parametrize(
    ("url", "problem"),
    [
        ("https://example.org/a?b=c#d", None),
        ("http://127.0.0.1:8080/", None),
        ("ftp://example.org/", "it must start with https:// or http://"),
        ("https://example.org/a b", "it contains a space, a tab or a line break"),
        ("https://example.org/\tb", "it contains a space, a tab or a line break"),
        ("https://exa\x7fmple.org/", "it contains a space, a tab or a line break"),
        ("https:///path", "it names no host after the //"),
        ("https://", "it names no host after the //"),
        ("https://example.org:port/", "it is not a valid URL"),
        ("https://[::1/", "it is not a valid URL"),
    ],
)
def test_a_source_url_is_one_a_browser_opens_as_written(url: str, problem: str | None) -> None:
    found = url_problem(url)
    assert found == problem if problem is None else (found or "").startswith(problem)


@pytest.mark.parametrize(
    ("url", "problem"),
    [
        ("https://example.org/", None),
        ("https://example.org", None),
        ("http://127.0.0.1:8080/docs/", None),
        ("https://example.org/docs", None),
        ("https://example.org/docs/?lang=en", "it must not carry a query"),
        ("https://example.org/docs/#top", "it must not carry a query"),
        ("https://example.org/docs/?", "it must not carry a query"),
        ("https://example.org/a/../b/", "its path must be a plain folder path"),
        ("https://example.org//docs/", "its path must be a plain folder path"),
        ("https://example.org/a b/", "it contains a space, a tab or a line break"),
        ("example.org/", "it must start with https:// or http://"),
    ],
)
def test_a_base_url_is_a_folder_every_page_address_is_written_after(
    url: str, problem: str | None
) -> None:
    """One rule for site.yaml's base_url and --base-url: a URL a browser opens, ending in a
    folder, so that no query or #fragment lands in the middle of every published address."""
    found = base_url_problem(url)
    assert found == problem if problem is None else (found or "").startswith(problem)
