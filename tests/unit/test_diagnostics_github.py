"""`--format github`: each diagnostic as a GitHub Actions workflow command, escaped."""

from __future__ import annotations

from spanvero_site.core.diagnostics import Diagnostic, Severity, format_github


def test_annotations_carry_file_line_col_and_code() -> None:
    items = [
        Diagnostic(
            "content/learn/a.md", 9, 5, Severity.ERROR, "E302", "unknown id 'x'", "did 'y'?"
        ),
        Diagnostic("content/site.yaml", 3, 1, Severity.WARNING, "W205", "unknown key 'navv'"),
    ]
    assert format_github(items) == (
        "::error file=content/learn/a.md,line=9,col=5,title=E302::unknown id 'x'%0Ahint: did 'y'?\n"
        "::warning file=content/site.yaml,line=3,col=1,title=W205::unknown key 'navv'"
    )


def test_properties_and_message_are_escaped() -> None:
    item = Diagnostic("content/learn/a,b:c.md", 1, 1, Severity.ERROR, "E202", "50% off:\r\nyes")
    assert format_github([item], prefix="site/") == (
        "::error file=site/content/learn/a%2Cb%3Ac.md,line=1,col=1,title=E202::50%25 off:%0D%0Ayes"
    )
