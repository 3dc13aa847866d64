"""No command prints a control character from the site's files raw, in any format.

A content file named with a tab, an ESC or a line break, or a provider's name and a source URL
holding them, reached the terminal as written: the line an editor jumps from broke in two, a
colour escape repainted the terminal, and `--format github` tools read a half annotation. Each
command that prints text from the site's files (or from its command line) runs here against
such a site, in each of its formats: every line printed must show each character as itself
and keep the shape its readers parse.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from spanvero_site.cli import main
from tests.conftest import assemble_site

FILE_NAMES = "invalid_control_characters_in_file_names"
CLOUD_A = "https://cloud-a.example/pricing"


@pytest.fixture
def site(tmp_path: Path) -> Path:
    """The basic site with three explainers named with a tab, an ESC and a line break, and a
    provider whose name holds them too. (A source URL that holds them is an error, E203, whose
    message shows the URL: `test_a_refused_source_url_is_shown_printable`.)"""
    root = assemble_site(tmp_path / "site", "basic", FILE_NAMES)
    prices = root / "content" / "data" / "prices.yaml"
    text = prices.read_text(encoding="utf-8")
    text = text.replace("provider_name: Cloud A", r'provider_name: "Cloud\tA\e[2J\nX"')
    prices.write_text(text, encoding="utf-8")
    return root


def _run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, list[str], str]:
    capsys.readouterr()
    code = main(argv)
    out, err = capsys.readouterr()
    lines = (out + err).splitlines()
    unprintable = [line for line in lines if not line.isprintable()]
    assert not unprintable, f"{argv}: printed raw: {unprintable}"
    return code, lines, out


@pytest.mark.parametrize("command", ["check", "prices stale"])
def test_text_keeps_one_line_per_diagnostic_and_price(
    site: Path, command: str, capsys: pytest.CaptureFixture[str]
) -> None:
    words = command.split() + (["--older-than", "26"] if command == "prices stale" else [])
    _, lines, _ = _run(["--root", str(site), *words], capsys)
    for line in lines:
        assert line.startswith(("content/", "  hint: ", "  https://", "spanvero ")), line
    shown = [line for line in lines if line.startswith("content/learn/")]
    if command == "check":
        assert [line.split(":")[0] for line in shown] == [
            r"content/learn/esc\x1b[31mred.md",
            r"content/learn/new\nline.md",
            r"content/learn/tab\there.md",
        ]
    else:
        assert r"rental Cloud\tA\x1b[2J\nX: NVIDIA H100 SXM (on-demand)" in "\n".join(lines)
        assert f"  {CLOUD_A}" in lines


@pytest.mark.parametrize("fmt", ["text", "github", "json"])
def test_a_refused_source_url_is_shown_printable(
    tmp_path: Path, fmt: str, capsys: pytest.CaptureFixture[str]
) -> None:
    root = assemble_site(tmp_path / "site", "basic")
    prices = root / "content" / "data" / "prices.yaml"
    text = prices.read_text(encoding="utf-8")
    prices.write_text(
        text.replace(f"source: {CLOUD_A}", rf'source: "{CLOUD_A}\e[0m\u2028"'), encoding="utf-8"
    )
    code, lines, out = _run(["--root", str(root), "check", "--format", fmt], capsys)
    assert code == 1
    if fmt == "json":
        lines = [d["code"] + " " + d["message"] for d in json.loads(out)["diagnostics"]]
    assert any("E203" in line and r"\x1b[0m\u2028" in line for line in lines), lines


@pytest.mark.parametrize("command", ["check", "prices stale"])
def test_github_prints_one_annotation_a_line(
    site: Path, command: str, capsys: pytest.CaptureFixture[str]
) -> None:
    words = command.split() + (["--older-than", "26"] if command == "prices stale" else [])
    *_, out = _run(["--root", str(site), *words, "--format", "github"], capsys)
    annotations = out.splitlines()
    assert annotations and all(line.startswith("::") for line in annotations), annotations
    if command == "check":
        assert r"::error file=content/learn/tab\there.md,line=1" in out


@pytest.mark.parametrize("command", ["check", "prices stale"])
def test_json_is_printable_and_keeps_the_names_exact(
    site: Path, command: str, capsys: pytest.CaptureFixture[str]
) -> None:
    words = command.split() + (["--older-than", "26"] if command == "prices stale" else [])
    *_, out = _run(["--root", str(site), *words, "--format", "json"], capsys)
    document = json.loads(out)
    if command == "check":
        paths = {d["path"] for d in document["diagnostics"]}
        assert {"content/learn/tab\there.md", "content/learn/new\nline.md"} <= paths
    else:
        assert "Cloud\tA\x1b[2J\nX: NVIDIA H100 SXM (on-demand)" in {
            s["label"] for s in document["stale"]
        }


def test_prices_add_shows_the_change_printable(
    site: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    argv = ["--root", str(site), "prices", "add", "rental", "--dry-run"]
    argv += ["--gpu", "h100-sxm", "--provider", "cloud-a", "--tier", "on-demand"]
    argv += ["--usd-per-hour", "2.49", "--as-of", "2026-11-27", "--source", CLOUD_A]
    code, lines, _ = _run([*argv, "--note", "read\tat \x1b[1mnoon\x1b[0m"], capsys)
    assert code == 0
    assert r'+         note: "read\tat \e[1mnoon\e[0m"' in lines


def test_a_usage_error_quoting_a_folder_is_printable(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "site\x1b[2J\nnext"
    for output in ("text", "json", "github"):
        code, lines, _ = _run(["--root", str(folder), "build", "--format", output], capsys)
        assert code == 2
        assert any(r"site\x1b[2J\nnext" in line for line in lines)
