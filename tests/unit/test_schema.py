from __future__ import annotations

import datetime as dt

from spanvero_site.core.diagnostics import Diagnostics
from spanvero_site.core.schema import Field, Source, check
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
    values = check(load(text), SCHEMA, Source("f.yaml", Positions(text).locate), diags)
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


def test_booleans_are_not_numbers() -> None:
    _, problems = run("title: Hi\ndate: 2026-01-02\ncount: true\n")
    assert problems == ["3:E203:'count' must be a whole number, not True"]
