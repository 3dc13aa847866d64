"""A block left open is said at the line that opened it, whatever Jinja reached instead of its
end; other syntax errors are left to Jinja's own message."""

from __future__ import annotations

import jinja2
import pytest

from spanvero_site.core.templateblocks import Unclosed, unclosed_block

ENV = jinja2.Environment()


def _unclosed(source: str) -> Unclosed | None:
    with pytest.raises(jinja2.TemplateSyntaxError) as raised:
        ENV.from_string(source)
    return unclosed_block(ENV, raised.value)


def test_an_if_left_open_inside_a_block_is_found_where_it_opened() -> None:
    source = "{% block main %}\n{% if a %}\n<p>x</p>\n\n{% endblock %}\n"
    found = _unclosed(source)
    assert found == Unclosed("if", 2, ("endblock", 5))
    assert (
        found is not None
        and found.describe() == "{% if %} is not closed before {% endblock %} at line 5"
    )
    assert found.hint() == (
        "add {% endif %} where this if ends, before line 5 (or correct {% endblock %} there)"
    )


def test_a_for_left_open_at_the_end_of_the_file_is_found_where_it_opened() -> None:
    found = _unclosed("a\n{% for x in y %}\n{{ x }}\nb\n")
    assert found == Unclosed("for", 2, None)
    assert found.describe() == "{% for %} is not closed before the end of the template"
    assert found.hint() == "add {% endfor %} where this for ends, in this file"


def test_closed_blocks_of_the_same_kind_are_not_the_open_one() -> None:
    source = (
        "{% if a %}\n{% if b %}x{% endif %}\n{% for i in j %}{% if c %}y{% endif %}{% endfor %}\n"
    )
    assert _unclosed(source) == Unclosed("if", 1, None)


def test_the_wrong_end_is_reported_at_the_block_it_interrupts() -> None:
    found = _unclosed("{% for x in y %}\n{% if x %}\n{{ x }}\n{% endfor %}\n")
    assert found == Unclosed("if", 2, ("endfor", 4))


def test_a_set_with_a_value_opens_no_block_but_a_block_set_does() -> None:
    assert _unclosed("{% set a = 1 %}\n{% set b %}\nx\n") == Unclosed("set", 2, None)
    found = _unclosed("{% set b %}x{% endset %}\n{% set a = 1 %}\n{% with %}\n")
    assert found is not None and (found.tag, found.line) == ("with", 3)


def test_an_end_on_the_line_that_failed_is_not_counted_before_it() -> None:
    """Jinja stops at the first unexpected end; an earlier tag on that line still counts."""
    found = _unclosed("{% if a %}\n{% for x in y %}{% if b %}{% endif %}{% endif %}\n")
    assert found == Unclosed("for", 2, ("endif", 2))


@pytest.mark.parametrize(
    "source",
    ["{{ a b }}", "{% endif %}", "{% frobnicate %}", "{% if %}{% endif %}"],
)
def test_other_syntax_errors_are_left_to_jinja(source: str) -> None:
    assert _unclosed(source) is None
