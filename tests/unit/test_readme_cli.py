"""The README's command synopsis and options table say exactly what `spanvero --help` says."""

from __future__ import annotations

import argparse
import re
from pathlib import Path

import pytest

from spanvero_site.cli import _parser, summary_line
from spanvero_site.core.diagnostics import Diagnostics

README_PATH = Path(__file__).resolve().parents[2] / "README.md"
README = README_PATH.read_text(encoding="utf-8")


def _synopsis() -> dict[str, str]:
    """The README's synopsis lines, by command: 'build', or 'prices add rental' when nested."""
    block = README.split("## Command line\n", 1)[1].split("```\n", 2)[1]
    commands = _commands()
    lines = {}
    for line in block.splitlines():
        words = re.sub(r"\[[^\]]*\]", "", line).split()  # drop the bracketed options
        assert words[0] == "spanvero", line
        named = [" ".join(words[1:n]) for n in range(len(words), 1, -1)]
        lines[next((name for name in named if name in commands), words[1])] = line
    return lines


def _commands() -> dict[str, argparse.ArgumentParser]:
    """Every command a user runs, by its words; nested sub-commands one by one."""
    found: dict[str, argparse.ArgumentParser] = {}

    def walk(words: str, parser: argparse.ArgumentParser) -> None:
        nested = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
        if not nested:
            found[words] = parser
        for name, sub in (nested[0].choices if nested else {}).items():
            walk(f"{words} {name}".strip(), sub)

    walk("", _parser())
    return found


def _options(parser: argparse.ArgumentParser) -> dict[str, argparse.Action]:
    return {
        max(action.option_strings, key=len): action
        for action in parser._actions
        if action.option_strings and "--help" not in action.option_strings
    }


def test_synopsis_names_every_command() -> None:
    assert sorted(_synopsis()) == sorted(_commands())


@pytest.mark.parametrize("command", sorted(_commands()))
def test_synopsis_line_has_exactly_the_commands_options(command: str) -> None:
    line = _synopsis()[command]
    parser = _commands()[command]
    written = set(re.findall(r"(--[a-z][a-z-]*)", line))
    has = set(_options(parser))
    if "[--root DIR]" in line:
        written.discard("--root")
    else:
        assert command == "explain", f"{command}: --root applies to it; show it"
    assert written == has, f"README synopsis of '{command}' differs from `spanvero {command} -h`"
    for option, action in _options(parser).items():
        if action.choices:
            assert f"{option} {'|'.join(action.choices)}" in line, option
    positionals = [a for a in parser._actions if not a.option_strings and a.dest != "help"]
    for action in positionals:
        for choice in action.choices or ():
            assert f" {choice} " in line, choice


def _form(option: str, action: argparse.Action) -> str:
    """How the README writes an option: as `--help` does, choices joined by '|', `...` when
    it repeats, in brackets unless it is required."""
    if action.nargs == 0:
        text = option
    else:
        value = (
            "|".join(action.choices) if action.choices else action.metavar or action.dest.upper()
        )
        text = f"{option} {value}"
    text = text if action.required else f"[{text}]"
    return f"{text}..." if isinstance(action, argparse._AppendAction) else text


@pytest.mark.parametrize("command", sorted(_commands()))
def test_synopsis_writes_each_option_as_help_does(command: str) -> None:
    """Same metavar (`--out DIR`, not a default or another name), and brackets exactly on the
    optional ones, so the synopsis says what to type and what may be left out."""
    line = _synopsis()[command]
    for option, action in _options(_commands()[command]).items():
        form = _form(option, action)
        assert re.search(re.escape(form) + r"(?=\s|$)", line), (
            f"{command}: want {form!r} in {line!r}"
        )
    root = _options(_parser())["--root"]
    if "--root" in line:
        assert line.startswith(f"spanvero {_form('--root', root)} "), line


def _table() -> dict[str, str]:
    """The options table: each option of a row's first cell, with that cell."""
    table = README.split("| option | meaning |", 1)[1].split("\n\n", 1)[0]
    return {
        option: cell.replace("\\|", "|") + " | " + meaning
        for cell, meaning in re.findall(r"^\| (.*?) \| (.*) \|$", table, re.M)
        for option in re.findall(r"--[a-z-]+", cell)
    }


def _every_option() -> dict[str, list[argparse.Action]]:
    """Every option of every command (one option may differ by command: `--format`)."""
    every: dict[str, list[argparse.Action]] = {"--root": [_options(_parser())["--root"]]}
    for parser in _commands().values():
        for option, action in _options(parser).items():
            every.setdefault(option, []).append(action)
    return every


def test_options_table_writes_each_option_as_help_does() -> None:
    rows = _table()
    for option, actions in _every_option().items():
        cell = rows[option].split(" | ", 1)[0]
        for action in actions:
            if action.choices:
                written = re.findall(rf"`{option} ([a-z|-]+)`", cell)
                assert any(set(action.choices) <= set(w.split("|")) for w in written), option
            else:
                form = _form(option, action).strip("[]").removesuffix("...").removesuffix("]")
                assert f"`{form}`" in cell, f"the options table writes {option} unlike `--help`"


def test_options_table_states_every_default_the_code_has() -> None:
    """A default the parser fills in (`--port 8000`) is the one the table gives."""
    rows = _table()
    for option, actions in _every_option().items():
        for action in actions:
            if action.default not in (None, False, "", [], argparse.SUPPRESS):
                row = rows[option]
                assert "default" in row and f"`{action.default}`" in row, (
                    f"{option}: the table does not give its default {action.default!r}"
                )


def test_options_table_explains_every_option() -> None:
    table = README.split("| option | meaning |", 1)[1].split("\n\n", 1)[0]
    first_cells = re.findall(r"^\| (.*?) \| ", table, re.M)
    described_options = {opt for cell in first_cells for opt in re.findall(r"--[a-z-]+", cell)}
    every = {"--root"} | {opt for parser in _commands().values() for opt in _options(parser)}
    assert described_options == every


def test_readme_summary_line_has_the_form_a_build_prints() -> None:
    example = re.search(r"`(spanvero build: [^`]*)`", README.split("Exit codes:", 1)[1])
    assert example, "the README shows no summary line after 'Exit codes:'"
    match = re.fullmatch(
        r"spanvero build: ok: built (\d+) pages, wrote (\d+) files, 0 errors, 0 warnings "
        r"in (\d+\.\d\d) s",
        example.group(1),
    )
    assert match, example.group(1)
    pages, files, seconds = int(match.group(1)), int(match.group(2)), float(match.group(3))
    assert summary_line("build", False, pages, Diagnostics(), seconds, files) == example.group(1)


def _install_paragraphs() -> str:
    return README.split("What each one installs:", 1)[1].split("\nArguments after", 1)[0]


def _name(requirement: str) -> str:
    return re.split(r"[\[<>=!~ ]", requirement, maxsplit=1)[0].lower().replace("_", "-")


def test_readme_names_every_python_dependency_build_py_installs() -> None:
    import tomllib

    project = tomllib.loads((README_PATH.parent / "pyproject.toml").read_text())["project"]
    text = _install_paragraphs().lower()
    base, test = text.split("`python3 build.py test`", 1)
    for requirement in project["dependencies"]:
        assert _name(requirement) in base, requirement
    for requirement in project["optional-dependencies"]["test"]:
        assert _name(requirement) in test, requirement


def test_readme_names_every_debian_package_build_py_installs() -> None:
    script = (README_PATH.parent / "build.py").read_text()
    packages = set(re.findall(r'^\s+"([a-z0-9-]+)": (?:CHROMIUM|shutil)', script, re.M))
    packages |= set(re.findall(r'apt\.install\(\["([a-z0-9-]+)"\]\)', script))
    assert packages >= {"chromium", "npm", "python3-venv"}  # the scan finds them at all
    for package in packages:
        assert f"`{package}`" in _install_paragraphs(), package
