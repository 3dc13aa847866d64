from __future__ import annotations

import pytest

from spanvero_site.core.frontmatter import FrontMatterError, split


def test_split_returns_meta_body_and_body_line() -> None:
    fm = split("---\ntitle: Hi\nrelated:\n  - a\n  - b\n---\nBody\n")
    assert fm.meta == {"title": "Hi", "related": ["a", "b"]}
    assert fm.body == "Body\n"
    assert fm.body_line == 7
    assert fm.line_of("title") == (2, 1)
    assert fm.line_of("related", 1) == (5, 5)


def test_dates_stay_text_for_our_own_validation() -> None:
    assert split("---\ndate: 2026-11-28\n---\n").meta == {"date": "2026-11-28"}


@pytest.mark.parametrize(
    ("text", "code", "line"),
    [
        ("# No front-matter\n", "E201", 1),
        ("---\ntitle: open\n", "E201", 1),
        ("---\ntitle: a\ntags: [x\n---\n", "E202", 3),  # where the list opened
        ("---\n- a list\n---\n", "E202", 2),
    ],
)
def test_errors_carry_file_lines(text: str, code: str, line: int) -> None:
    with pytest.raises(FrontMatterError) as exc:
        split(text)
    assert (exc.value.code, exc.value.line) == (code, line)


def test_empty_front_matter_is_an_empty_mapping() -> None:
    assert split("---\n---\nx").meta == {}
