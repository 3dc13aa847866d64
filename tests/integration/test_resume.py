"""A new `spanvero build --no-search` process after one explainer's body edit resumes from the
last clean build (`core/resume.py`) and rebuilds one page; its output always equals a fresh
build's, and whatever it cannot prove it leaves to the full build. (Edits other pages show:
test_resume_front.py.)
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from unittest import mock

import pytest

from spanvero_site.cli import main
from spanvero_site.core import cache
from spanvero_site.core.builder import Builder, BuildOptions, offered_charts, offered_documents
from spanvero_site.core.section import SiteState
from spanvero_site.site import site_builder
from tests.conftest import assemble_site
from tests.integration.test_cache import edit, fresh, rebuilt, shown, tree

pytestmark = pytest.mark.slow

LORA = "content/learn/lora-basics.md"
VRAM = "content/learn/vram-basics.md"  # draws a chart from the calculator's data


@pytest.fixture
def site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setattr(cache, "RACY_NS", 0)  # trust file status at once, as a later run would
    return assemble_site(tmp_path / "site", "basic")


@pytest.fixture
def resumed() -> Iterator[list[bool]]:
    """Whether each build since the last look resumed (True) or built the whole site."""
    seen: list[bool] = []
    real = Builder.resume

    def spy(self: Builder, *args: object) -> object:
        result = real(self, *args)  # type: ignore[arg-type]
        seen.append(result is not None)
        return result

    with mock.patch.object(Builder, "resume", spy):
        yield seen


def build(site: Path, *extra: str) -> int:
    return main(["--root", str(site), "build", "--no-search", "--out", str(site / "_site"), *extra])


def took(seen: list[bool]) -> bool:
    """Whether the one build since the last call resumed; clears the record."""
    answer = seen == [True]
    seen.clear()
    return answer


def test_body_edits_resume_one_after_another_and_equal_a_fresh_build(
    site: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    resumed: list[bool],
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert build(site) == 0
    assert len(list((site / cache.CACHE_DIR).glob("resume-*.bin"))) == 2
    original = (site / LORA).read_text()
    steps = [
        edit(LORA, "frozen.", "frozen, for now."),
        edit(VRAM, "Measuring beats guessing.", "Measuring wins."),
        edit(LORA, "Less memory;", "Much less memory;"),
        lambda s: (s / LORA).write_text(original),  # undone: one file differs again
    ]
    for step in steps:
        step(site)
        shown(capsys)
        assert build(site) == 0
        diagnostics = shown(capsys)
        assert took(resumed)
        assert tree(site / "_site") == fresh(site, tmp_path, monkeypatch, "--no-search")
        assert diagnostics == shown(capsys)
        assert not rebuilt(site, site / "_site", "--no-search")  # it recorded the folder right


@pytest.mark.parametrize(
    "change",
    [
        edit(LORA, "## What it saves", "## What LoRA saves"),  # an anchor others may link to
        edit("content/data/prices.yaml", "0.1729", "0.1829"),  # not a page
        edit("templates/base.html", "</body>", "<!-- edited --></body>"),
    ],
    ids=["heading", "data file", "template"],
)
def test_an_edit_beyond_one_pages_record_builds_the_whole_site(
    site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, resumed: list[bool], change
) -> None:
    assert build(site) == 0
    change(site)
    assert build(site) == 0
    assert not took(resumed)
    assert tree(site / "_site") == fresh(site, tmp_path, monkeypatch, "--no-search")


def test_two_files_edited_at_once_build_the_whole_site(
    site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, resumed: list[bool]
) -> None:
    assert build(site) == 0
    edit(LORA, "frozen.", "frozen, for now.")(site)
    edit(VRAM, "Measuring beats guessing.", "Measuring wins.")(site)
    assert build(site) == 0
    assert resumed == []  # not even tried
    assert tree(site / "_site") == fresh(site, tmp_path, monkeypatch, "--no-search")


def test_an_output_folder_changed_since_is_written_whole(
    site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, resumed: list[bool]
) -> None:
    """The saved build is used only on the folder exactly as it left it: a tampered page is
    put back, a stray file removed, by the full build the resumed one gives way to."""
    out = site / "_site"
    assert build(site) == 0
    (out / "learn" / "prompting-first" / "index.html").write_text("tampered")
    (out / "stray.txt").write_text("not ours")
    edit(LORA, "frozen.", "frozen, for now.")(site)
    assert build(site) == 0
    assert tree(out) == fresh(site, tmp_path, monkeypatch, "--no-search")


def test_a_build_into_another_folder_or_with_other_options_does_not_resume(
    site: Path, resumed: list[bool]
) -> None:
    assert build(site) == 0
    edit(LORA, "frozen.", "frozen, for now.")(site)
    assert build(site, "--drafts") == 0
    assert not took(resumed)
    edit(LORA, "frozen, for now.", "frozen, for a while.")(site)
    other = site.parent / "elsewhere"
    assert main(["--root", str(site), "build", "--no-search", "--out", str(other)]) == 0
    assert resumed == []  # that folder has no build to resume from


def test_a_failed_build_in_between_leaves_a_build_to_resume_from(
    site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, resumed: list[bool]
) -> None:
    """A build that fails writes nothing, so the last clean build still describes the folder."""
    assert build(site) == 0
    original = (site / LORA).read_text()
    (site / LORA).write_text(original.replace("title: What is LoRA?", "title: [unclosed"))
    assert build(site) == 1
    assert not took(resumed)
    (site / LORA).write_text(original.replace("frozen.", "frozen, for now."))
    assert build(site) == 0
    assert took(resumed)
    assert tree(site / "_site") == fresh(site, tmp_path, monkeypatch, "--no-search")


def test_a_resumed_build_reports_what_a_full_build_reports(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    resumed: list[bool],
) -> None:
    monkeypatch.setattr(cache, "RACY_NS", 0)
    site = assemble_site(tmp_path / "site", "basic", "warning_orphan")
    assert build(site) == 0
    capsys.readouterr()
    edit(LORA, "frozen.", "frozen, for now.")(site)
    assert build(site) == 0
    assert took(resumed)
    resumed_report = capsys.readouterr().err.splitlines()[:-1]
    assert resumed_report
    copy = tmp_path / "copy"
    shutil.copytree(site, copy, ignore=shutil.ignore_patterns(".spanvero", "_site"))
    assert build(copy) == 0
    assert capsys.readouterr().err.splitlines()[:-1] == resumed_report


def test_a_page_view_reads_of_the_sites_markdown_only_its_own_page(site: Path) -> None:
    """What lets a new process resume from a copy with every Markdown source and body left
    out: each section's page view, given the site with every other page's body and rendered
    body gone, makes exactly the view the full build made."""
    builder = site_builder(site, BuildOptions())
    assert not builder.build().diagnostics.errors
    state = builder._state
    assert state is not None
    bare = {pid: replace(p, body="") for pid, p in state.graph.pages.items()}
    compared = 0
    for section in builder.sections:
        for page in state.loaded[section.name].pages:
            alone = SiteState(
                builder.root,
                state.config,
                state.today,
                replace(state.graph, pages={**bare, page.id: page}),
                {page.id: state.rendered[page.id]},
                state.backlinks,
                state.loaded,
                {},
                offered_charts(state.loaded),
                offered_documents(state.loaded),
            )
            view = section.page_view(alone, page.id)
            if view is not None:
                assert view.context == state.views[view.url].context, page.source
                compared += 1
    assert compared == len(state.graph.explainers) + 1  # and the home page


def test_with_search_the_index_follows_a_resumed_edit(
    site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, resumed: list[bool]
) -> None:
    """The index is made again from each page's Document: the edited page's read again, the
    others' from the store under the key the resumed build indexed them with, or, when the
    store holds another (here: none at all), read again from the output folder. A word with
    a new first two letters adds a term file; taking it out removes that file."""
    out = site / "_site"

    def build_searched() -> int:
        return main(["--root", str(site), "build", "--out", str(out)])

    assert build_searched() == 0
    rare = out / "search-index" / "terms-zz.json"
    steps = [
        (edit(LORA, "frozen.", "frozen, zzyzx."), True),
        (lambda s: shutil.rmtree(s / cache.CACHE_DIR / cache.SEARCH_MEMO), None),
        (edit(LORA, "frozen, zzyzx.", "frozen."), False),
    ]
    for step, has_rare in steps:
        step(site)
        if has_rare is None:
            continue
        assert build_searched() == 0
        assert took(resumed)
        assert rare.exists() == has_rare
        assert tree(out) == fresh(site, tmp_path, monkeypatch)


def test_an_index_that_cannot_be_patched_is_made_whole(
    site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, resumed: list[bool]
) -> None:
    """When the search index cannot be patched (here: as if the page left it), the resumed
    page is not written alone: the whole site is built and written."""
    import spanvero_site.cli as cli

    out = site / "_site"
    assert main(["--root", str(site), "build", "--out", str(out)]) == 0
    monkeypatch.setattr(cli, "search_patch", lambda *args: None)
    edit(LORA, "frozen.", "frozen, for now.")(site)
    assert main(["--root", str(site), "build", "--out", str(out)]) == 0
    assert took(resumed)  # the page was rebuilt alone, then the whole site
    assert tree(out) == fresh(site, tmp_path, monkeypatch)
