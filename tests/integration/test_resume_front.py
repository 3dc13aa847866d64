"""A new `spanvero build` process after an edit that other pages show (a title, tags,
`related:`, the date that orders the lists, a link in the body) resumes from the last clean
build too (`Builder._resume_front`): each section says which of its views changed, only those
are made and written, and the output always equals a fresh build's. An edit that moves a URL
or an anchor, or that a section cannot rebuild from the copy, builds the whole site.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from spanvero_site.cli import main
from spanvero_site.core import cache
from spanvero_site.core.markdown import MarkdownRenderer, Rendered
from spanvero_site.core.resume import LEFT_OUT
from tests.conftest import assemble_site
from tests.integration.test_cache import edit, fresh, rebuilt, shown, tree
from tests.integration.test_resume import LORA, VRAM, resumed, site, took

pytestmark = pytest.mark.slow

__all__ = ["resumed", "site"]  # the fixtures, used by name

HOME = "content/index.md"

# One after another on the same site, each resumed.
SHOWN_ELSEWHERE: list[tuple[str, Callable[[Path], None]]] = [
    ("title (moves it in the lists)", edit(LORA, "title: What is LoRA?", "title: LoRA, briefly")),
    ("short title", edit(LORA, "short_title: LoRA", "short_title: Low-rank")),
    ("answer", edit(LORA, "answer: LoRA trains", "answer: LoRA only trains")),
    ("related", edit(LORA, "related: [prompting-first, vram-basics]", "related: [vram-basics]")),
    ("date (newest first on the home page)", edit(LORA, "date: 2026-11-05", "date: 2025-01-02")),
    ("tags, one left", edit(LORA, "tags: [fine-tuning, memory]", "tags: [memory, fine-tuning]")),
    ("a new link", edit(LORA, "Less memory;", "Less memory ([more](/learn/prompting-first/));")),
    (
        "title and body",
        lambda s: both(s, ("title: LoRA, briefly", "title: LoRA"), ("frozen.", "cold.")),
    ),
    ("the home page", edit(HOME, "title:", "title: Welcome —")),
    (
        "a short title every model page shows",
        edit(VRAM, "short_title: VRAM", "short_title: Memory"),
    ),
]


def both(site: Path, *changes: tuple[str, str]) -> None:
    for old, new in changes:
        edit(LORA, old, new)(site)


def build(site: Path, search: bool) -> int:
    extra = [] if search else ["--no-search"]
    return main(["--root", str(site), "build", "--out", str(site / "_site"), *extra])


@pytest.fixture
def warned_site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The basic site with a page that warns (W606, no body), so that a resumed build's report
    is compared with a fresh build's both ways: a warning it made up, and one it dropped."""
    monkeypatch.setattr(cache, "RACY_NS", 0)
    return assemble_site(tmp_path / "site", "basic", "warning_empty_body")


@pytest.mark.parametrize("search", [False, True], ids=["no search", "search"])
def test_edits_other_pages_show_resume_and_equal_a_fresh_build(
    warned_site: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    resumed: list[bool],
    search: bool,
    capsys: pytest.CaptureFixture[str],
) -> None:
    site, extra = warned_site, () if search else ("--no-search",)
    assert build(site, search) == 0
    for name, step in SHOWN_ELSEWHERE:
        step(site)
        shown(capsys)
        assert build(site, search) == 0, name
        diagnostics = shown(capsys)
        assert any("[W606]" in line for line in diagnostics), name
        assert took(resumed), name
        assert tree(site / "_site") == fresh(site, tmp_path, monkeypatch, *extra), name
        assert diagnostics == shown(capsys), name
        assert not rebuilt(site, site / "_site", *extra), name  # it recorded the folder right


def test_only_the_pages_that_show_the_edit_are_written(
    site: Path, capsys: pytest.CaptureFixture[str], resumed: list[bool]
) -> None:
    assert build(site, False) == 0
    before = tree(site / "_site")
    capsys.readouterr()
    edit(LORA, "title: What is LoRA?", "title: LoRA, briefly")(site)
    assert build(site, False) == 0
    assert took(resumed)
    after = tree(site / "_site")
    changed = sorted(path for path in after if after[path] != before.get(path))
    summary = capsys.readouterr().err.splitlines()[-1]
    assert f"wrote {len(changed)} files" in summary
    assert "learn/lora-basics/index.html" in changed
    assert "learn/prompting-first/index.html" in changed  # it lists the page as related
    assert "learn/tags/memory/index.html" in changed
    assert "models/index.html" not in changed
    assert all(LEFT_OUT.encode() not in data for data in after.values())


PROMPTING = "content/learn/prompting-first.md"  # lists LoRA as related


def test_the_bodies_a_title_edit_shows_come_from_the_cache_while_their_text_holds(
    site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, resumed: list[bool]
) -> None:
    rendered: list[str] = []
    real = MarkdownRenderer.render

    def counted(self: MarkdownRenderer, body: str, **where: Any) -> Rendered:
        rendered.append(where["source"])
        return real(self, body, **where)

    monkeypatch.setattr(MarkdownRenderer, "render", counted)
    assert build(site, False) == 0
    rendered.clear()
    edit(LORA, "title: What is LoRA?", "title: LoRA, briefly")(site)
    assert build(site, False) == 0
    assert took(resumed)
    assert rendered == []  # its own body and those of the pages that show its title: cached

    # A body edit resumes without saving the cache's bodies, so the stored one is out of date
    edit(PROMPTING, "Start with a prompt.", "Begin with a prompt.")(site)
    assert build(site, False) == 0
    assert took(resumed)
    rendered.clear()
    edit(LORA, "title: LoRA, briefly", "title: LoRA, in short")(site)
    assert build(site, False) == 0
    assert took(resumed)
    assert PROMPTING in rendered and LORA not in rendered
    assert tree(site / "_site") == fresh(site, tmp_path, monkeypatch, "--no-search")


@pytest.mark.parametrize(
    "change",
    [
        edit(LORA, "## What it saves", "## What LoRA saves"),  # an anchor others may link to
        edit(LORA, "tags: [fine-tuning, memory]", "tags: [fine-tuning, memory, adapters]"),
        edit(LORA, "topic: basics", "topic: basics\ndraft: true"),  # it leaves the site
        edit(LORA, "Less memory;", "Less memory ([gone](/learn/no-such-page/));"),  # an error
    ],
    ids=["heading", "new tag page", "draft", "broken link"],
)
def test_an_edit_that_moves_a_url_or_an_anchor_builds_the_whole_site(
    site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, resumed: list[bool], change
) -> None:
    assert build(site, False) == 0
    change(site)
    code = build(site, False)
    assert not took(resumed)
    if code == 0:
        assert tree(site / "_site") == fresh(site, tmp_path, monkeypatch, "--no-search")


def test_a_copy_that_could_not_be_saved_is_not_resumed_from(
    site: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    resumed: list[bool],
) -> None:
    """After a front-matter edit the next process resumes from the edits the resumed build
    saved beside the copy; when they cannot be saved, the index is dropped, not left to
    describe a copy without the edit."""
    assert build(site, False) == 0
    monkeypatch.setattr("spanvero_site.core.builder.Since.between", lambda *args: None)
    monkeypatch.setattr(cache.RunCache, "stage", lambda self, make: None)
    edit(LORA, "title: What is LoRA?", "title: LoRA, briefly")(site)
    assert build(site, False) == 0
    assert took(resumed)
    names = [p.name for p in (site / cache.CACHE_DIR).glob("resume-*.bin")]
    assert names and all(name.endswith("-base.bin") for name in names)
    edit(LORA, "frozen.", "frozen, for now.")(site)
    assert build(site, False) == 0
    assert resumed == []  # nothing to resume from: the whole site
    assert tree(site / "_site") == fresh(site, tmp_path, monkeypatch, "--no-search")


def test_a_resume_that_fails_leaves_the_work_to_the_full_build(
    site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A shortcut must never cost a build: whatever goes wrong on the way, the whole site is
    built, as if there were no copy to resume from."""
    assert build(site, False) == 0

    def broken(*args: object) -> None:
        raise KeyError("notes:llama-3-1-8b")

    monkeypatch.setattr("spanvero_site.core.builder.rebuild_sections", broken)
    edit(LORA, "title: What is LoRA?", "title: LoRA, briefly")(site)
    assert build(site, False) == 0
    assert tree(site / "_site") == fresh(site, tmp_path, monkeypatch, "--no-search")
