"""A link into /advisor/ while the advisor cannot be made waits on the file that failed.

The advisor is made of advisor.yaml, the models and the GPUs. When one of them fails, an
`#anchor` on /advisor/ cannot be checked, and the hint of that file's error says so: the file
that failed, never advisor.yaml when advisor.yaml is fine (invalid_advisor_waits_on_gpus holds
the exact diagnostics for a gpus.yaml that does not parse).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from spanvero_site.cli import main
from tests.conftest import BASE_SITE, SITES, assemble_site

LINK = "content/calculator.md:8 (anchor '#advisor')"
BROKEN = "id: [\n"


def _linking_site(tmp_path: Path) -> Path:
    """The basic site, with its calculator's text linking to /advisor/#advisor."""
    site = assemble_site(tmp_path / "site", BASE_SITE)
    calculator = SITES / "invalid_advisor_waits_on_gpus" / "content" / "calculator.md"
    (site / "content" / "calculator.md").write_text(calculator.read_text("utf-8"), "utf-8")
    return site


def _failed_check(site: Path, capsys: pytest.CaptureFixture[str]) -> str:
    capsys.readouterr()
    assert main(["--root", str(site), "check"]) == 1
    return capsys.readouterr().err


@pytest.mark.parametrize(
    ("broken", "cause"),
    [
        (("content/data/advisor.yaml",), "content/data/advisor.yaml"),
        (("content/data/gpus.yaml",), "content/data/gpus.yaml"),
        # no model loads: the first that failed is named
        (
            ("content/models/deepseek-v3.yaml", "content/models/llama-3-1-8b.yaml"),
            "content/models/deepseek-v3.yaml",
        ),
    ],
)
def test_a_link_into_the_advisor_waits_on_the_file_that_failed(
    tmp_path: Path, broken: tuple[str, ...], cause: str, capsys: pytest.CaptureFixture[str]
) -> None:
    site = _linking_site(tmp_path)
    for path in broken:
        (site / path).write_text(BROKEN, encoding="utf-8")
    err = _failed_check(site, capsys)
    lines = err.splitlines()
    at = next(i for i, line in enumerate(lines) if line.startswith(f"{cause}:"))
    assert "until this file loads: " + LINK in lines[at + 1]
    assert err.count(LINK) == 1
    assert "until content/data/advisor.yaml loads" not in err


def test_without_any_model_and_none_failed_a_link_into_the_advisor_is_broken(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """No source failed, so there is none to wait on: the advisor has nothing to answer with
    and is not built (as the calculator is not), and a link to it is a broken link, not one
    let through unchecked (it was, and with no error in the run the build wrote it)."""
    site = _linking_site(tmp_path)
    for model in (site / "content" / "models").iterdir():
        model.unlink()
    err = _failed_check(site, capsys)
    assert "content/calculator.md:8:1: error[E401]: broken link '/advisor/#advisor'" in err
    assert "content/data/advisor.yaml loads" not in err
