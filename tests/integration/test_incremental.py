"""An incremental rebuild after any sequence of edits equals a clean full build of the result."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from spanvero_site.core import memo
from spanvero_site.core.builder import Builder, BuildOptions, BuildResult
from spanvero_site.site import build, site_builder
from tests.conftest import assemble_site

LORA = "content/learn/lora-basics.md"
VRAM = "content/learn/vram-basics.md"


def touch(site: Path, rel: str, text: str | None = None) -> str:
    """Write (or rewrite) a file and move its mtime on, as an editor's save does."""
    path = site / rel
    if text is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000))
    return rel


def snapshot(result) -> tuple[dict[str, bytes], list[str]]:
    return {o.path: o.data for o in result.outputs}, [d.format() for d in result.diagnostics.items]


def assert_same_as_fresh(builder: Builder, site: Path, changed: list[str]):
    builder.invalidate(changed)
    incremental = builder.build()
    assert snapshot(incremental) == snapshot(build(site))
    return incremental


@pytest.mark.slow  # a dozen builds after a dozen kinds of edit
def test_edit_sequence_matches_fresh_builds(tmp_path: Path) -> None:
    site = assemble_site(tmp_path / "site", "basic")
    builder = site_builder(site)
    first = builder.build()
    assert first.diagnostics.items == [] and len(first.changed) == len(first.outputs)

    lora = (site / LORA).read_text()
    # 1. body-only edit: one page changes
    result = assert_same_as_fresh(
        builder, site, [touch(site, LORA, lora.replace("LoRA keeps", "LoRA freezes"))]
    )
    assert result.changed == ("learn/lora-basics/index.html",)

    # 2. a title edit reaches the lists that show titles; Related lists show short titles
    text = (site / LORA).read_text().replace("title: What is LoRA?", "title: What is LoRA, really?")
    result = assert_same_as_fresh(builder, site, [touch(site, LORA, text)])
    assert "learn/index.html" in result.changed
    assert "learn/tags/memory/index.html" in result.changed
    assert "learn/prompting-first/index.html" not in result.changed
    text = (site / LORA).read_text().replace("short_title: LoRA", "short_title: LoRA adapters")
    result = assert_same_as_fresh(builder, site, [touch(site, LORA, text)])
    assert "learn/prompting-first/index.html" in result.changed

    # 3. a new page, linked from an existing one
    new = "---\ntitle: What is a GPU-hour?\nanswer: An hour of one GPU.\ndate: 2026-11-10\n"
    new += "topic: basics\ntags: [memory]\nrelated: [lora-basics, vram-basics]\n---\n\nBody.\n"
    vram = (
        (site / VRAM)
        .read_text()
        .replace("## An example", "See [GPU-hours](gpu-hour.md).\n\n## An example")
    )
    result = assert_same_as_fresh(
        builder, site, [touch(site, "content/learn/gpu-hour.md", new), touch(site, VRAM, vram)]
    )
    assert "learn/gpu-hour/index.html" in result.changed

    # 4. rename it: the old page goes, links follow the new name
    (site / "content/learn/gpu-hour.md").rename(site / "content/learn/gpu-hours.md")
    vram = (site / VRAM).read_text().replace("gpu-hour.md", "gpu-hours.md")
    result = assert_same_as_fresh(
        builder,
        site,
        [
            "content/learn/gpu-hour.md",
            touch(site, "content/learn/gpu-hours.md"),
            touch(site, VRAM, vram),
        ],
    )
    assert "learn/gpu-hour/index.html" in result.removed

    # 5. break the front-matter: no outputs, the diagnostics; then fix it
    broken = assert_same_as_fresh(builder, site, [touch(site, LORA, "no front-matter\n")])
    assert broken.outputs == () and broken.diagnostics.errors
    assert_same_as_fresh(builder, site, [touch(site, LORA, lora)])

    # 6. templates, stylesheets and data
    base = (
        (site / "templates/base.html").read_text().replace("Skip to content", "Skip to the content")
    )
    result = assert_same_as_fresh(builder, site, [touch(site, "templates/base.html", base)])
    html = [p for p in result.changed if p.endswith(".html")]
    emails = [o.path for o in result.outputs if o.path.endswith("/email.html")]
    # all but the redirect page, which has its own layout, and the weekly emails, which have none
    assert len(html) == result.pages - 1 - len(emails)
    assert "learn/old-prompting/index.html" not in html
    css = (site / "static/css/site.css").read_text() + "\n.x { color: red; }\n"
    assert_same_as_fresh(builder, site, [touch(site, "static/css/site.css", css)])
    model = (
        (site / "content/models/llama-3-1-8b.yaml")
        .read_text()
        .replace("context_length: 131072", "context_length: 65536")
    )
    result = assert_same_as_fresh(
        builder, site, [touch(site, "content/models/llama-3-1-8b.yaml", model)]
    )
    assert "models/llama-3-1-8b/index.html" in result.changed

    # 7. deleting a page someone links to is an error at the linking line
    (site / VRAM).unlink()
    result = assert_same_as_fresh(builder, site, [VRAM])
    assert any(d.code == "E302" for d in result.diagnostics.errors)


def test_changes_are_found_without_being_told(tmp_path: Path) -> None:
    site = assemble_site(tmp_path / "site", "basic")
    builder = site_builder(site)
    builder.build()
    lora = (site / LORA).read_text()
    touch(site, LORA, lora.replace("LoRA keeps", "LoRA freezes"))
    result = builder.build()  # no invalidate(): file fingerprints catch the edit
    assert snapshot(result) == snapshot(build(site))
    assert result.changed == ("learn/lora-basics/index.html",)


def test_rendering_on_every_core_gives_the_same_site(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    site = assemble_site(tmp_path / "site", "basic")
    serial = build(site)
    monkeypatch.setattr(memo, "PARALLEL_MIN", 1)  # even this small site goes to the pool
    parallel = site_builder(site, BuildOptions(workers=2))
    assert snapshot(parallel.build()) == snapshot(serial)
    touch(site, LORA, (site / LORA).read_text().replace("LoRA keeps", "LoRA freezes"))
    assert snapshot(parallel.build()) == snapshot(build(site))


def test_a_data_file_edit_rebuilds_only_the_sections_that_read_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """prices.yaml feeds prices, calculator and advisor, and the fixture's explainer draws a
    cost figure from it, so learn rebuilds that page too; the models' views are reused, and
    the result still equals a fresh build."""
    site = assemble_site(tmp_path / "site", "basic")
    builder = site_builder(site)
    builder.build()
    built = count_section_builds(monkeypatch)
    prices = (site / "content/data/prices.yaml").read_text().replace("0.1729", "0.1829")
    builder.invalidate([touch(site, "content/data/prices.yaml", prices)])
    result = builder.build()
    # learn redraws its cost figure through `rebuild`, not `build`: only the explainer views
    # that draw a chart are made anew
    assert built == ["prices", "calculator", "advisor", "publishing"] and result.changed
    assert snapshot(result) == snapshot(build(site))


def test_a_section_can_read_only_what_its_reuse_key_covers(tmp_path: Path) -> None:
    """The builder reuses a contribution while the section's own and required `Loaded` are
    unchanged, so the state it hands a section holds no other section's `Loaded`, and no
    contributions unless the section gathers them."""
    from spanvero_site.core.section import Contribution, Section, SiteState
    from spanvero_site.site import SECTIONS

    seen: dict[str, object] = {}

    class Peeking(Section):
        name = "peeking"
        requires = ("models",)

        def build(self, site: SiteState, diags) -> Contribution:  # type: ignore[no-untyped-def]
            seen["loaded"], seen["contributions"] = sorted(site.loaded), dict(site.contributions)
            return Contribution()

    site = assemble_site(tmp_path / "site", "basic")
    Builder(site, [*SECTIONS[:-1], Peeking(), SECTIONS[-1]]).build()
    assert seen == {"loaded": ["models", "peeking"], "contributions": {}}


def _edit(site: Path, rel: str, old: str, new: str) -> str:
    text = (site / rel).read_text()
    assert old in text, old
    return touch(site, rel, text.replace(old, new, 1))


@pytest.mark.parametrize("drafts", [False, True])
def test_front_matter_edits_match_fresh_builds(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, drafts: bool
) -> None:
    """An explainer's front-matter edit takes the one-page fast path (no full build) unless the
    page leaves the site or an error appears, and every result equals a fresh build's."""
    site = assemble_site(tmp_path / "site", "basic")
    options = BuildOptions(drafts=drafts)
    builder = site_builder(site, options)
    builder.build()
    full: list[int] = []
    real = Builder._build_from_sources

    def counting(self, today, started):  # type: ignore[no-untyped-def]
        if self is builder:
            full.append(1)
        return real(self, today, started)

    monkeypatch.setattr(Builder, "_build_from_sources", counting)

    def check(old: str, new: str, fast: bool = True, rel: str = LORA):
        before = len(full)
        builder.invalidate([_edit(site, rel, old, new)])
        result = builder.build()
        assert snapshot(result) == snapshot(build(site, options)), (old, new)
        assert (len(full) == before) is fast, (old, new)
        return result

    # a title: the page, the lists, its tags' pages, its neighbours and the pages it links to
    result = check("title: What is LoRA?", "title: What is LoRA, really?")
    assert "learn/index.html" in result.changed and "learn/tags/memory/index.html" in result.changed
    # a title that moves it to the front of the order (prev/next and the lists change)
    result = check("title: What is LoRA, really?", "title: A primer on LoRA")
    index = dict((o.path, o.data) for o in result.outputs)["learn/index.html"].decode()
    assert index.index("A primer on LoRA") < index.index("Should I prompt before")
    check("short_title: LoRA", "short_title: LoRA adapters")
    check("answer: LoRA trains", "answer: LoRA, in short, trains")
    # tags: another existing tag, one dropped, then one no other page uses (a new URL, W605)
    check("tags: [fine-tuning, memory]", "tags: [fine-tuning, memory, prompting]")
    check("tags: [fine-tuning, memory, prompting]", "tags: [memory, prompting]")
    result = check("tags: [memory, prompting]", "tags: [memory, prompting, adapters]")
    assert "learn/tags/adapters/index.html" in result.changed
    assert any(d.code == "W605" for d in result.diagnostics.warnings)
    result = check("tags: [memory, prompting, adapters]", "tags: [fine-tuning, memory]")
    assert "learn/tags/adapters/index.html" in result.removed
    # related: a backlink goes, then comes back; a repeat is a warning at its line
    check("related: [prompting-first, vram-basics]", "related: [prompting-first]")
    result = check(
        "related: [prompting-first]", "related: [prompting-first, vram-basics, vram-basics]"
    )
    assert any(d.code == "W304" for d in result.diagnostics.warnings)
    check("vram-basics, vram-basics]", "vram-basics]")
    # a warning from reading the page goes when the edit fixes it
    result = check("topic: basics", "topic: basics\ntopc: basics")
    assert any(d.code == "W205" for d in result.diagnostics.warnings)
    check("topic: basics\ntopc: basics", "topic: basics")
    # dates: the feed, the sitemap and the home page's newest list
    result = check("date: 2026-11-05\nupdated: 2026-11-20", "date: 2026-11-05\nupdated: 2026-11-29")
    assert "feed.xml" in result.changed and "sitemap.xml" in result.changed
    # front-matter and body in one save, the body's lines moved
    check("topic: basics\n", "topic: basics\nweight: 0\n")
    # a draft leaves the site unless drafts are built
    check("topic: basics\n", "topic: basics\ndraft: true\n", fast=drafts)
    check("draft: true\n", "draft: false\n", fast=drafts)
    # an error: no output, all the diagnostics; then fixed
    broken = check("related: [prompting-first,", "related: [prompting-frist,", fast=False)
    assert broken.outputs == () and any(d.code == "E302" for d in broken.diagnostics.errors)
    check("related: [prompting-frist,", "related: [prompting-first,", fast=False)
    # the next edit, after a full build, is fast again; another page too
    check("title: A primer on LoRA", "title: What is LoRA?")
    check("title: How much VRAM do I need?", "title: How much memory do I need?", rel=VRAM)
    # a body with one more link, then a broken link
    check("LoRA keeps the model", "See [VRAM](vram-basics.md). LoRA keeps the model")
    broken = check("See [VRAM](vram-basics.md).", "See [VRAM](vram-basic.md).", fast=False)
    assert any(d.code == "E401" for d in broken.diagnostics.errors)
    check("See [VRAM](vram-basic.md). ", "", fast=False)
    # a body edit (its own fast path), then the same page's title
    check("LoRA keeps the model", "LoRA freezes the model")
    check("title: What is LoRA?", "title: What is LoRA, in short?")
    # two pages in one save: the full build, where learn rebuilds only the views that differ
    changed = [
        _edit(site, LORA, "title: What is LoRA, in short?", "title: What is LoRA?"),
        _edit(site, VRAM, "short_title: VRAM", "short_title: GPU memory"),
    ]
    before = len(full)
    builder.invalidate(changed)
    assert snapshot(builder.build()) == snapshot(build(site, options))
    assert len(full) == before + 1


def test_a_title_edit_rebuilds_only_the_sections_that_show_the_page(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The model pages link the explainers site.yaml names, by short title: an edit to another
    explainer leaves the models' section as it was, one to a named explainer rebuilds it."""
    site = assemble_site(tmp_path / "site", "basic")
    builder = site_builder(site)
    builder.build()
    built = count_section_builds(monkeypatch)
    result = _edit_and_build(builder, site, LORA, "short_title: LoRA", "short_title: LoRA adapters")
    assert built == ["advisor", "publishing"]  # learn rebuilt for the page; advisor lists titles
    assert snapshot(result) == snapshot(build(site))
    built.clear()
    result = _edit_and_build(builder, site, VRAM, "short_title: VRAM", "short_title: Memory")
    assert built == ["models", "advisor", "publishing"]
    assert "models/llama-3-1-8b/index.html" in result.changed
    assert snapshot(result) == snapshot(build(site))


def test_a_title_edit_that_moves_a_page_in_the_order_leaves_the_model_pages(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Explainers are ordered by title, so a new title can move its page in every list. The
    model pages name only the explainers site.yaml links: they read no list of all explainers
    (that would make any title edit rebuild all of them), not even to check those slugs."""
    site = assemble_site(tmp_path / "site", "basic")
    builder = site_builder(site)
    builder.build()
    built = count_section_builds(monkeypatch)
    result = _edit_and_build(builder, site, LORA, "title: What is LoRA?", "title: A LoRA primer")
    assert "models" not in built
    assert snapshot(result) == snapshot(build(site))


def _edit_and_build(builder: Builder, site: Path, rel: str, old: str, new: str) -> BuildResult:
    """Replace `old` by `new` in the site's file `rel`, and build again."""
    builder.invalidate([touch(site, rel, (site / rel).read_text().replace(old, new))])
    return builder.build()


def count_section_builds(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The names of the sections whose `build` runs from now on, in order."""
    from spanvero_site.site import SECTIONS

    built: list[str] = []
    for section in SECTIONS:
        real = type(section).build

        def counting(self, site_state, diags, real=real):  # type: ignore[no-untyped-def]
            built.append(self.name)
            return real(self, site_state, diags)

        monkeypatch.setattr(type(section), "build", counting)
    return built
