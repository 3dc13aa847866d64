"""The command line: exit codes, output formats, --out, --drafts, --base-url and `new`."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from spanvero_site.cli import main, summary_line
from spanvero_site.core.diagnostics import Diagnostics
from tests.conftest import assemble_site


@pytest.fixture
def site(tmp_path: Path) -> Path:
    return assemble_site(tmp_path / "site", "basic")


def test_build_writes_site_and_prints_summary(
    site: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--root", str(site), "build"]) == 0
    summary = capsys.readouterr().err.strip().splitlines()[-1]
    assert summary.startswith("spanvero build: ok: built ") and " files, " in summary
    assert "0 errors, 0 warnings" in summary
    assert (site / "_site" / "learn" / "lora-basics" / "index.html").is_file()


def test_check_writes_nothing(site: Path) -> None:
    assert main(["--root", str(site), "check"]) == 0
    assert not (site / "_site").exists()


def test_out_option_and_replacing_old_output(site: Path, tmp_path: Path) -> None:
    out = tmp_path / "public"
    out.mkdir()  # an empty folder may be used
    assert main(["--root", str(site), "build", "--out", str(out)]) == 0
    (out / "stale.html").write_text("old")  # a file the next build no longer makes
    assert main(["--root", str(site), "build", "--out", str(out)]) == 0
    assert not (out / "stale.html").exists()
    assert (out / "index.html").is_file()


def test_usage_errors_exit_2(site: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["--root", str(site), "build", "--format", "xml"])
    assert exc.value.code == 2
    with pytest.raises(SystemExit) as exc:
        main(["frobnicate"])
    assert exc.value.code == 2
    assert main(["--root", str(site / "nowhere"), "build"]) == 2
    assert "no content/ folder" in capsys.readouterr().err


def test_json_format_lists_diagnostics(site: Path, capsys: pytest.CaptureFixture[str]) -> None:
    page = site / "content" / "learn" / "vram-basics.md"
    page.write_text(page.read_text().replace("related: [lora-basics,", "related: [lora-basic,"))
    assert main(["--root", str(site), "check", "--format", "json"]) == 1
    report = json.loads(capsys.readouterr().out)
    assert report["summary"]["ok"] is False
    assert report["diagnostics"][0] == {
        "path": "content/learn/vram-basics.md",
        "line": 8,
        "col": 11,
        "severity": "error",
        "code": "E302",
        "message": "unknown related id 'lora-basic'",
        "hint": "did you mean 'lora-basics'?" + ORPHANS_WAIT,
    }


# Said in the hint of a misspelled `related:` id: the orphans are judged once it is fixed.
ORPHANS_WAIT = (
    "; orphans (W604) are not checked on any page until this file lists only ids that exist "
    "in related: (an unknown id may be meant for a page that looks an orphan)"
)


def test_new_scaffolds_a_draft_that_passes_strict_once_written(
    site: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--root", str(site), "new", "learn", "What is a GPU-hour?"]) == 0
    assert capsys.readouterr().out.startswith("created content/learn/what-is-a-gpu-hour.md (")
    created = site / "content" / "learn" / "what-is-a-gpu-hour.md"
    text = created.read_text()
    assert 'short_title: "GPU-hour"\n' in text
    assert "topic: basics  # or: memory\n" in text
    assert "related: [lora-basics, prompting-first, vram-basics]  #" in text
    assert main(["--root", str(site), "check", "--strict"]) == 0  # drafts are left out
    # Until the editor replaces the scaffold's two instructions, the draft says so (W214)...
    capsys.readouterr()
    assert main(["--root", str(site), "check", "--strict", "--drafts"]) == 1
    assert [line for line in capsys.readouterr().err.splitlines() if "W214" in line] == [
        "content/learn/what-is-a-gpu-hour.md:4:1: warning[W214]: the answer still holds the "
        "text `spanvero new` left for you to replace",
        "content/learn/what-is-a-gpu-hour.md:14:1: warning[W214]: the body still holds the "
        "text `spanvero new` left for you to replace",
    ]
    # ...and once the answer and body are written, it passes.
    _write_answer_and_body(created)
    assert main(["--root", str(site), "check", "--strict", "--drafts"]) == 0
    assert ", 0 errors, 0 warnings in " in capsys.readouterr().err
    assert main(["--root", str(site), "new", "learn", "What is a GPU-hour?"]) == 2
    assert capsys.readouterr().err == (
        "spanvero: error: content/learn/what-is-a-gpu-hour.md already exists; choose another "
        "title, or edit that explainer\n"
    )


def _write_answer_and_body(page: Path) -> None:
    """Do what the editor does after `new`: replace the two instructions with real text."""
    page.write_text(
        page.read_text()
        .replace("Write the honest short answer here, in one to three sentences.", "An hour.")
        .replace("Explain the reasoning here", "One GPU rented for one hour")
    )


def test_new_takes_topic_and_tags(site: Path, capsys: pytest.CaptureFixture[str]) -> None:
    argv = ["--root", str(site), "new", "learn", "Why is my GPU slow?", "--topic", "memory"]
    assert main([*argv, "--tag", "memory", "--tag", "fine-tuning", "--tag", "memory"]) == 0
    assert "note:" not in capsys.readouterr().out  # both tags are in use
    created = site / "content" / "learn" / "why-is-my-gpu-slow.md"
    text = created.read_text()
    assert "topic: memory  # or: basics\n" in text
    assert "tags: [memory, fine-tuning]\n" in text  # a repeated --tag is written once
    assert "related: [lora-basics, vram-basics, prompting-first]  #" in text  # most shared tags
    _write_answer_and_body(created)
    assert main(["--root", str(site), "check", "--strict", "--drafts"]) == 0


def test_new_says_which_tags_no_other_page_has(
    site: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    argv = ["--root", str(site), "new", "learn", "What is a GPU-hour?", "--tag", "gpu-hours"]
    assert main([*argv, "--tag", "memory"]) == 0
    assert capsys.readouterr().out.splitlines()[1:] == [
        "note: no published page has the tag 'gpu-hours' yet; check --strict reports it "
        "(W605) until a second page has it"
    ]


def test_new_warns_when_an_explainer_already_asks_the_question(
    site: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Another slug, the same question (case and punctuation aside): written, but said up
    front, naming the file, and reported by check as W607 until one page is left."""
    assert main(["--root", str(site), "new", "learn", "how much VRAM do I need"]) == 0
    assert capsys.readouterr().out.splitlines()[1:] == [
        "warning: content/learn/vram-basics.md:2 already asks this question ('How much VRAM do "
        "I need?'); merge what you meant to write into it, or ask a different question (check "
        "reports it, W607)"
    ]
    _write_answer_and_body(site / "content" / "learn" / "how-much-vram-do-i-need.md")
    assert main(["--root", str(site), "check", "--strict", "--drafts"]) == 1
    assert [line for line in capsys.readouterr().err.splitlines() if "W" in line] == [
        "content/learn/how-much-vram-do-i-need.md:2:1: warning[W607]: "
        "content/learn/vram-basics.md:2 already asks this question: 'How much VRAM do I need?'"
    ]
    # A question no page asks yet is not mistaken for one that shares its words
    assert main(["--root", str(site), "new", "learn", "How much VRAM do I need for LoRA?"]) == 0
    assert "warning:" not in capsys.readouterr().out


def test_new_refuses_an_address_an_explainer_keeps_as_an_alias(
    site: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """/learn/old-prompting/ redirects to prompting-first: a page there is E301 at the next
    build, so `new` refuses it as it refuses a file that exists, drafts' aliases included."""
    assert main(["--root", str(site), "new", "learn", "Old prompting?"]) == 2
    assert capsys.readouterr().err == (
        "spanvero: error: its page would be /learn/old-prompting/, which "
        "content/learn/prompting-first.md:9 keeps as an alias; ask the question in other "
        "words, or edit that explainer\n"
    )
    lora = site / "content" / "learn" / "lora-basics.md"
    drafted = "topic: basics\ndraft: true\naliases: [/learn/adapters/]\n"
    lora.write_text(lora.read_text().replace("topic: basics\n", drafted))
    assert main(["--root", str(site), "new", "learn", "Adapters?"]) == 2
    assert "content/learn/lora-basics.md:9 keeps as an alias" in capsys.readouterr().err
    assert not (site / "content" / "learn" / "adapters.md").exists()
    assert not (site / "content" / "learn" / "old-prompting.md").exists()


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["x" * 91 + "?"], "the title is 92 characters, over the 90 that checks.max_title_chars"),
        (["What is a GPU-hour?", "--topic", "memroy"], "unknown topic 'memroy'; did you mean"),
        (["What is a GPU-hour?", "--tag", "GPU"], "tag 'GPU' is not a slug"),
        (["???"], "the title has no letters or digits"),
        (["What\nis it?"], "one line without control characters"),
        (["Tags?"], "its page would be /learn/tags/, which is the index of tags"),
    ],
)
def test_new_usage_errors_exit_2(
    site: Path, capsys: pytest.CaptureFixture[str], argv: list[str], message: str
) -> None:
    assert main(["--root", str(site), "new", "learn", *argv]) == 2
    assert message in capsys.readouterr().err
    assert sorted(p.name for p in (site / "content" / "learn").iterdir()) == [
        "lora-basics.md",
        "prompting-first.md",
        "vram-basics.md",
    ]


def test_new_reports_a_broken_site_yaml_as_its_diagnostics(
    site: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`new` needs site.yaml's topics and title limit: while it is broken, its errors are
    reported as the build reports them (code, line, hint), not folded into one usage line."""
    config = site / "content" / "site.yaml"
    config.write_text(
        config.read_text().replace("max_price_age_days: 365", "max_price_age_days: [365]")
    )
    assert main(["--root", str(site), "new", "learn", "What is a GPU-hour?"]) == 1
    assert capsys.readouterr().err == (
        "content/site.yaml:37:3: error[E203]: 'checks.max_price_age_days' must be a positive "
        "whole number, not a list\n"
        "  hint: write it like: max_price_age_days: 1\n"
        "spanvero new: refused: nothing written (content/site.yaml must load first)\n"
    )
    assert not (site / "content" / "learn" / "what-is-a-gpu-hour.md").exists()


def test_base_url_prefixes_every_internal_link(site: Path) -> None:
    out = site / "sub"
    assert (
        main(["--root", str(site), "build", "--out", str(out), "--base-url", "https://e.org/docs/"])
        == 0
    )
    html = (out / "learn" / "lora-basics" / "index.html").read_text()
    assert 'href="/docs/learn/prompting-first/"' in html
    assert 'href="/docs/static/css/site.' in html
    assert '<link rel="canonical" href="https://e.org/docs/learn/lora-basics/">' in html
    assert 'href="/learn/' not in html


def test_console_script_runs(site: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "spanvero_site", "--root", str(site), "check"],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    assert "spanvero check: ok" in result.stderr


def test_github_format_annotates_each_diagnostic(
    site: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    page = site / "content" / "learn" / "vram-basics.md"
    page.write_text(page.read_text().replace("related: [lora-basics,", "related: [lora-basic,"))
    monkeypatch.setenv("GITHUB_WORKSPACE", str(site.parent))
    assert main(["--root", str(site), "check", "--format", "github"]) == 1
    captured = capsys.readouterr()
    assert captured.out == (
        "::error file=site/content/learn/vram-basics.md,line=8,col=11,title=E302::"
        "unknown related id 'lora-basic'%0Ahint: did you mean 'lora-basics'?" + ORPHANS_WAIT + "\n"
    )
    assert captured.err.startswith("spanvero check: failed: checked ")
    assert ", 1 error, 0 warnings in " in captured.err
    monkeypatch.delenv("GITHUB_WORKSPACE")
    assert main(["--root", str(site), "check", "--format", "github"]) == 1
    assert capsys.readouterr().out.startswith("::error file=content/learn/vram-basics.md,line=8,")


def test_summary_line_counts_in_words() -> None:
    one = Diagnostics()
    one.error("E302", "x", "a.md", 1, 1, "fix x")
    one.warning("W604", "y", "a.md", 1, 1, "fix y")
    assert summary_line("check", True, 1, one, 0.5) == (
        "spanvero check: failed: checked 1 page, 1 error, 1 warning in 0.50 s"
    )
    assert summary_line("build", False, 57, Diagnostics(), 2.345, 63) == (
        "spanvero build: ok: built 57 pages, wrote 63 files, 0 errors, 0 warnings in 2.35 s"
    )
    assert summary_line("build", False, 57, Diagnostics(), 0.9, 1).startswith(
        "spanvero build: ok: built 57 pages, wrote 1 file, 0 errors,"
    )
    assert summary_line("build", True, 2, one, 0.1).startswith(
        "spanvero build: failed (nothing written): checked 2 pages, 1 error,"
    )


def test_summary_time_includes_writing_and_search(
    site: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import spanvero_site.cli as cli

    def slow_index(folder: Path | None, outputs: object) -> list[object]:
        time.sleep(0.6)
        return []

    monkeypatch.setattr(cli, "search_index", slow_index)
    assert main(["--root", str(site), "build", "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out)["summary"]["seconds"] >= 0.6


@pytest.mark.parametrize(
    "title", ['Is "Q4_K_M" good enough: yes or no?', "Where does C:\\models\\ go: disk or RAM?"]
)
def test_new_titles_with_quotes_colons_and_backslashes_load_back_unchanged(
    site: Path, title: str
) -> None:
    from spanvero_site.core.config import load_config
    from spanvero_site.core.dates import build_date
    from spanvero_site.scaffold import slug_for
    from spanvero_site.sections.learn.loader import load_pages

    assert main(["--root", str(site), "new", "learn", title]) == 0
    _write_answer_and_body(site / "content" / "learn" / f"{slug_for(title)}.md")
    assert main(["--root", str(site), "check", "--strict", "--drafts"]) == 0
    diags = Diagnostics()
    config = load_config(site, diags)
    assert config is not None
    pages = {p.id: p for p in load_pages(site, config, diags, build_date(), drafts=True).pages}
    assert pages[slug_for(title)].title == title
    assert not diags.items


def test_output_cut_short_by_a_pipe_is_not_a_traceback() -> None:
    """`spanvero explain | head -n 1`: whoever reads the output may go away early. Here the
    reading end is closed before spanvero writes at all, so its first write meets a broken pipe."""
    read_end, write_end = os.pipe()
    os.close(read_end)
    try:
        proc = subprocess.run(
            [sys.executable, "-m", "spanvero_site", "explain"],
            stdout=write_end,
            stderr=subprocess.PIPE,
            text=True,
            timeout=60,
        )
    finally:
        os.close(write_end)
    assert "Traceback" not in proc.stderr and "BrokenPipe" not in proc.stderr, proc.stderr
    assert proc.returncode == 1


def test_ctrl_c_while_spanvero_loads_is_not_a_traceback() -> None:
    """A Ctrl-C in the first tenth of a second lands while Python imports spanvero's modules,
    before `main` can catch it. Here it is made to land exactly there: importing a module the
    command line needs raises KeyboardInterrupt, as the signal would."""
    program = (
        "import sys\n"
        "class CtrlC:\n"
        "    def find_spec(self, name, path=None, target=None):\n"
        "        if name == 'spanvero_site.core.cache':\n"
        "            raise KeyboardInterrupt\n"
        "sys.meta_path.insert(0, CtrlC())\n"
        "import runpy\n"
        "runpy.run_module('spanvero_site', run_name='__main__')\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", program, "explain"],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)},
        timeout=60,
    )
    assert (result.returncode, result.stdout, result.stderr) == (130, "", "spanvero: interrupted\n")


def _spanvero(*words: str, hook: str = "") -> subprocess.CompletedProcess[str]:
    """The real command in a new process; `hook` is Python run before it starts."""
    program = f"{hook}\nimport runpy\nrunpy.run_module('spanvero_site', run_name='__main__')\n"
    return subprocess.run(
        [sys.executable, "-c", program, *words],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)},
        timeout=120,
    )


def _usage_errors(site: Path) -> dict[str, list[str]]:
    """One command line per kind of usage error, for each command that takes --format."""
    lines = {}
    for command in ("build", "check", "prices stale"):
        words = command.split()
        lines[f"{command}: unknown option"] = ["--root", str(site), *words, "--frobnicate"]
        lines[f"{command}: bad value"] = [
            "--root",
            str(site),
            *words,
            *(["--older-than", "soon"] if command == "prices stale" else ["--base-url", "x"]),
        ]
        lines[f"{command}: no site"] = ["--root", str(site / "nowhere"), *words]
    return lines


def test_a_usage_error_is_reported_in_the_format_asked_for(site: Path) -> None:
    """A CI job that asked for JSON can parse stdout even when the command line was wrong:
    one JSON document whose summary says so, exit code 2; GitHub gets one annotation."""
    for case, words in _usage_errors(site).items():
        result = _spanvero(*words, "--format", "json")
        assert result.returncode == 2, case
        summary = json.loads(result.stdout)["summary"]
        assert (summary["ok"], summary["status"], summary["exit_code"]) == (
            False,
            "usage error",
            2,
        ), case
        assert summary["command"] == words[2], case
        assert result.stderr.endswith(f"spanvero: error: {summary['message']}\n"), case
        if "prices" in words:
            continue  # `prices stale` takes text or json
        result = _spanvero(*words, "--format=github")
        assert result.returncode == 2, case
        assert result.stdout.startswith("::error title=spanvero usage error::spanvero: error: ")
        assert result.stdout.count("\n") == 1, case


def test_ctrl_c_is_reported_in_the_format_asked_for(site: Path) -> None:
    """Ctrl-C while spanvero loads, and while it builds: exit 130, `spanvero: interrupted` on
    stderr and, with --format json, a JSON document saying so on stdout."""
    for module in ("spanvero_site.core.cache", "spanvero_site.site"):
        hook = (
            "import sys\n"
            "class CtrlC:\n"
            "    def find_spec(self, name, path=None, target=None):\n"
            f"        if name == {module!r}:\n"
            "            raise KeyboardInterrupt\n"
            "sys.meta_path.insert(0, CtrlC())\n"
        )
        result = _spanvero("--root", str(site), "check", "--format", "json", hook=hook)
        assert (result.returncode, result.stderr) == (130, "spanvero: interrupted\n"), module
        assert json.loads(result.stdout)["summary"] == {
            "command": "check",
            "ok": False,
            "status": "interrupted",
            "exit_code": 130,
            "message": "interrupted",
        }
        result = _spanvero("--root", str(site), "build", "--format", "github", hook=hook)
        assert result.returncode == 130
        assert result.stdout == "::error title=spanvero interrupted::spanvero: interrupted\n"


def test_json_summary_says_status_and_exit_code(
    site: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--root", str(site), "check", "--format", "json"]) == 0
    summary = json.loads(capsys.readouterr().out)["summary"]
    assert (summary["ok"], summary["status"], summary["exit_code"]) == (True, "ok", 0)
