"""The persistent cache in .spanvero/cache/: it never changes a byte of the output.

Every build below is compared with a build of a fresh copy of the same site that has no cache,
rendered on a pool of workers where the cached builds render on one process.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from unittest import mock

import pytest

import spanvero_site.cli as cli
from spanvero_site.cli import main
from spanvero_site.core import builder, cache, memo
from tests.conftest import assemble_site

# Slow tier: each test builds a site several times, cold and cached, to compare bytes.
pytestmark = pytest.mark.slow


def tree(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def build(site: Path, out: Path, *extra: str) -> None:
    assert main(["--root", str(site), "build", "--out", str(out), *extra]) == 0


def fresh(site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, *extra: str) -> dict:
    """The output of the same inputs in a new folder with no cache, rendered on the pool."""
    copy = tmp_path / "fresh"
    shutil.rmtree(copy, ignore_errors=True)
    shutil.copytree(site, copy, ignore=shutil.ignore_patterns(".spanvero", "_site"))
    with monkeypatch.context() as patch:
        patch.setattr(memo, "PARALLEL_MIN", 1)
        build(copy, copy / "_site", *extra)
    return tree(copy / "_site")


def shown(capsys: pytest.CaptureFixture[str]) -> list[str]:
    """The diagnostics printed since the last look: all on stderr but the summary line. A cached
    or resumed build must report what a fresh build of the same files reports, not only write
    the same bytes (a check reading what the cache leaves out would warn about every page)."""
    return capsys.readouterr().err.splitlines()[:-1]


def edit(rel: str, old: str, new: str) -> Callable[[Path], None]:
    def apply(site: Path) -> None:
        path = site / rel
        text = path.read_text()
        assert old in text, (rel, old)
        path.write_text(text.replace(old, new, 1))

    return apply


EDITS = {
    "nothing": lambda site: None,
    "an explainer's body": edit("content/learn/lora-basics.md", "frozen.", "frozen, unchanged."),
    "an explainer's title": edit("content/learn/lora-basics.md", "What is LoRA?", "LoRA, briefly"),
    "a template": edit("templates/base.html", "</body>", "<!-- edited --></body>"),
    "site.yaml": edit("content/site.yaml", "A small site", "A tiny site"),
    "a data file": edit("content/data/prices.yaml", "0.1729", "0.1829"),
}


@pytest.fixture
def site(tmp_path: Path) -> Path:
    return assemble_site(tmp_path / "site", "basic")


def test_a_cached_build_equals_a_fresh_one_after_every_kind_of_edit(
    site: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    trusting: None,
    capsys: pytest.CaptureFixture[str],
) -> None:
    out = site / "_site"
    build(site, out, "--no-search")
    for store in ("files", "markdown", "pages", "jinja"):
        assert list((site / cache.CACHE_DIR / store).glob("*.bin")), store
    for name, apply in EDITS.items():
        apply(site)
        shown(capsys)
        build(site, out, "--no-search")
        diagnostics = shown(capsys)
        assert tree(out) == fresh(site, tmp_path, monkeypatch, "--no-search"), name
        assert diagnostics == shown(capsys), name


def test_an_unchanged_site_is_neither_rebuilt_nor_rewritten_unless_its_output_changed(
    site: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = site / "_site"
    build(site, out, "--no-search")
    page = out / "learn" / "lora-basics" / "index.html"
    before, stat = page.read_bytes(), page.stat()
    build(site, out, "--no-search")
    assert page.stat().st_ino == stat.st_ino and page.stat().st_mtime_ns == stat.st_mtime_ns
    summary = capsys.readouterr().err.strip().splitlines()[-1]
    assert summary.startswith("spanvero build: ok: built ") and ", wrote 0 files, " in summary
    page.write_bytes(b"tampered")
    (out / "stray.txt").write_text("not ours")
    build(site, out, "--no-search")
    assert page.read_bytes() == before
    assert not (out / "stray.txt").exists()


def test_a_check_after_no_change_reports_the_same_diagnostics(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    site = assemble_site(tmp_path / "site", "basic", "warning_orphan")
    assert main(["--root", str(site), "check"]) == 0
    first = capsys.readouterr().err.splitlines()[:-1]
    assert first
    assert main(["--root", str(site), "check"]) == 0
    assert capsys.readouterr().err.splitlines()[:-1] == first
    assert main(["--root", str(site), "check", "--strict"]) == 1


def poison_stores(site: Path) -> None:
    """Put POISON into every page, body and loaded explainer the persistent stores hold, under
    the stores' own keys (as this code version would find them)."""
    from spanvero_site.core.builder import BuildOptions
    from spanvero_site.site import site_builder

    builder = site_builder(site, BuildOptions(cache=True))
    assert not builder.build().diagnostics.errors
    stores = builder._stores
    pages = stores["pages"].load()
    stores["pages"].save({url: (t, d, b"POISON", ids) for url, (t, d, _, ids) in pages.items()})
    bodies = stores["markdown"].load()
    stores["markdown"].save(
        {
            source: memo._MarkdownEntry(
                e.key, e.resolutions, replace(e.rendered, html=e.rendered.html + "<!--POISON-->")
            )
            for source, e in bodies.items()
        }
    )
    loaded = stores["files"].load()
    stores["files"].save(
        {
            name: (key, replace(value, title="POISON") if hasattr(value, "title") else value, d)
            for name, (key, value, d) in loaded.items()
        }
    )


def test_a_different_code_version_ignores_what_the_old_one_cached(
    site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, trusting: None
) -> None:
    out = site / "_site"
    poison_stores(site)
    build(site, out, "--no-search")  # the same code: the poisoned stores are used
    assert b"POISON" in b"".join(tree(out).values())
    shutil.rmtree(out)
    poison_stores(site)
    monkeypatch.setattr(cache, "code_key", lambda: b"another spanvero version")
    build(site, out, "--no-search")
    assert b"POISON" not in b"".join(tree(out).values())
    assert tree(out) == fresh(site, tmp_path, monkeypatch, "--no-search")


@pytest.mark.parametrize("damage", ["truncate", "flip a byte", "garbage", "empty"])
def test_a_corrupt_or_partial_cache_file_is_ignored(
    site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, damage: str
) -> None:
    out = site / "_site"
    build(site, out, "--no-search")
    for path in (site / cache.CACHE_DIR).rglob("*.bin"):
        data = path.read_bytes()
        damaged = {
            "truncate": data[: len(data) // 2],
            "flip a byte": data[:-1] + bytes([data[-1] ^ 1]),
            "garbage": b"\x80\x04garbage" * 50,
            "empty": b"",
        }[damage]
        path.write_bytes(damaged)
    edit("content/learn/lora-basics.md", "frozen.", "frozen, still.")(site)
    build(site, out, "--no-search")
    assert tree(out) == fresh(site, tmp_path, monkeypatch, "--no-search")


def test_the_cache_stays_inside_the_site_folder(site: Path, tmp_path: Path) -> None:
    before = {p for p in tmp_path.rglob("*")}
    build(site, tmp_path / "public", "--no-search")
    after = {p for p in tmp_path.rglob("*")} - before
    outside = [
        p
        for p in after
        if not p.is_relative_to(tmp_path / "public")
        and not p.is_relative_to(site / ".spanvero" / "cache")
    ]
    assert outside == [site / ".spanvero"]
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    shutil.rmtree(site / ".spanvero")
    (site / ".spanvero").symlink_to(elsewhere)
    build(site, tmp_path / "public", "--no-search")
    assert list(elsewhere.iterdir()) == []


def test_a_template_error_on_the_worker_pool_reports_what_one_process_reports(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from spanvero_site.core.builder import BuildOptions
    from spanvero_site.site import build as build_site

    site = assemble_site(tmp_path / "site", "basic")
    edit("templates/explainer.html", "{{", "{{ no_such_variable }}{{")(site)
    serial = build_site(site, BuildOptions(workers=1))
    monkeypatch.setattr(memo, "PARALLEL_MIN", 1)
    pooled = build_site(site, BuildOptions(workers=2))
    assert serial.diagnostics.errors
    assert pooled.diagnostics.items == serial.diagnostics.items


def test_front_matter_parsed_on_the_worker_pool_reports_what_one_process_reports(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from spanvero_site.core.builder import BuildOptions
    from spanvero_site.sections.learn import loader
    from spanvero_site.site import build as build_site

    site = assemble_site(tmp_path / "site", "basic")
    edit("content/learn/lora-basics.md", "title: ", "title: [unclosed\ntitle: ")(site)
    edit("content/learn/prompting-first.md", "tags:", "tags: 7\nold_tags:")(site)
    serial = build_site(site, BuildOptions(workers=1))
    monkeypatch.setattr(memo, "PARALLEL_MIN", 1)
    pooled = build_site(site, BuildOptions(workers=2))
    assert len(serial.diagnostics.errors) >= 2
    assert pooled.diagnostics.items == serial.diagnostics.items

    def crash(*args: object) -> None:
        raise RuntimeError("a loader bug")

    monkeypatch.setattr(loader, "parse_explainer", crash)  # raises on the workers, then here
    with pytest.raises(RuntimeError, match="a loader bug"):
        build_site(site, BuildOptions(workers=2))


def test_an_input_edited_while_a_build_runs_is_never_cached_under_the_old_key(
    site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import spanvero_site.cli

    out = site / "_site"
    lora = site / "content" / "learn" / "lora-basics.md"
    original = lora.read_text()
    real = spanvero_site.cli.build

    def racing(*args: object) -> object:
        lora.write_text(original.replace("frozen.", "frozen, edited mid-build."))
        return real(*args)  # type: ignore[arg-type]

    with monkeypatch.context() as patch:
        patch.setattr(spanvero_site.cli, "build", racing)
        build(site, out, "--no-search")
    lora.write_text(original)
    build(site, out, "--no-search")
    assert tree(out) == fresh(site, tmp_path, monkeypatch, "--no-search")


class _Payload:
    """What a hostile cache file would hold: unpickling it runs code."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self):
        return (Path.touch, (self.marker,))


def test_a_cache_file_someone_else_wrote_is_never_unpickled(
    site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A cache file committed to the site's repository (or restored from another machine) is
    authenticated before use: without this machine's secret its MAC fails and it is ignored."""
    out = site / "_site"
    build(site, out, "--no-search")
    folder = site / cache.CACHE_DIR
    marker = tmp_path / "pwned"
    monkeypatch.setenv("SPANVERO_CACHE_SECRET", "the attacker's own secret")
    cache._secret.cache_clear()
    shards = [f"{index:02x}.bin" for index in range(cache.ShardedStore.SHARDS)]
    for shard in shards:
        cache.save(folder / "markdown", shard, cache.code_key(), {"x": _Payload(marker)})
    monkeypatch.delenv("SPANVERO_CACHE_SECRET")
    cache._secret.cache_clear()
    assert (folder / "markdown" / shards[0]).exists()
    assert cache.load(folder / "markdown", shards[0], cache.code_key()) is None
    (out / "index.html").write_text("changed")  # so the build really runs and reads the cache
    build(site, out, "--no-search")
    assert not marker.exists()
    assert tree(out) == fresh(site, tmp_path, monkeypatch, "--no-search")


def test_without_a_secret_there_is_no_persistent_cache(
    site: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(cache, "MACHINE_ID", str(site / "no-machine-id"))
    monkeypatch.delenv("SPANVERO_CACHE_SECRET", raising=False)
    cache._secret.cache_clear()
    try:
        build(site, site / "_site", "--no-search")
        assert not (site / cache.CACHE_DIR).exists() or not any(
            (site / cache.CACHE_DIR).rglob("*.bin")
        )
    finally:
        cache._secret.cache_clear()


def rebuilt(site: Path, out: Path, *extra: str) -> bool:
    """Build; whether it did build (False: the run cache answered 'nothing changed'). Not
    told by the pages' inodes: the writer rewrites only pages whose bytes changed."""
    calls: list[int] = []
    real = cli.build
    with mock.patch.object(cli, "build", lambda *a: calls.append(1) or real(*a)):
        build(site, out, *extra)
    return bool(calls)


@pytest.fixture
def trusting(monkeypatch: pytest.MonkeyPatch) -> None:
    """Trust file status at once, as a later run would (files here are seconds old)."""
    monkeypatch.setattr(cache, "RACY_NS", 0)


def test_the_no_change_shortcut_sees_a_same_size_edit_even_with_the_old_mtime(
    site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, trusting: None
) -> None:
    out = site / "_site"
    build(site, out, "--no-search")
    assert not rebuilt(site, out, "--no-search")
    lora = site / "content" / "learn" / "lora-basics.md"
    stat = lora.stat()
    text = lora.read_text()
    lora.write_text(text.replace("frozen.", "Frozen."))  # same size
    os.utime(lora, ns=(stat.st_atime_ns, stat.st_mtime_ns))  # same mtime: only ctime moved
    assert lora.stat().st_size == stat.st_size
    assert rebuilt(site, out, "--no-search")
    assert tree(out) == fresh(site, tmp_path, monkeypatch, "--no-search")


def test_a_racy_file_is_read_again_however_unchanged_its_status_looks(
    site: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A file changed within RACY_NS of being read might change again with the same status,
    so its digest is never trusted from its status alone."""
    out = site / "_site"
    lora = site / "content" / "learn" / "lora-basics.md"
    build(site, out, "--no-search")
    reads: list[str] = []
    real = cache._read_digest
    monkeypatch.setattr(cache, "_read_digest", lambda p: reads.append(p) or real(p))
    os.utime(lora)  # changed just now
    assert not rebuilt(site, out, "--no-search")
    assert str(lora) in reads


def test_the_no_change_shortcut_needs_the_output_and_the_options_of_the_last_build(
    site: Path, trusting: None
) -> None:
    out = site / "_site"
    build(site, out, "--no-search")
    assert not rebuilt(site, out, "--no-search")
    shutil.rmtree(out / "learn" / "lora-basics")
    assert rebuilt(site, out, "--no-search")
    for options in (["--drafts"], ["--base-url", "https://example.org/docs/"], ["--strict"]):
        assert rebuilt(site, out, "--no-search", *options), options
        assert not rebuilt(site, out, "--no-search", *options), options
        assert rebuilt(site, out, "--no-search"), options
    (site / "templates" / "partials").mkdir(exist_ok=True)
    (site / "templates" / "partials" / "unused.html").write_text("<p>new file</p>")
    assert rebuilt(site, out, "--no-search")
    assert rebuilt(site, tmp := site.parent / "elsewhere", "--no-search") and tmp.is_dir()


def test_a_failed_build_leaves_the_last_clean_record_for_an_edit_put_back(
    site: Path, trusting: None
) -> None:
    """Breaking a file and putting it back costs nothing: the failed run wrote nothing, so
    the output is still the last clean run's, which answers again."""
    out = site / "_site"
    build(site, out, "--no-search")
    before = tree(out)
    lora = site / "content" / "learn" / "lora-basics.md"
    good = lora.read_text()
    lora.write_text(good.replace("title: ", "title: [unclosed ", 1))
    assert main(["--root", str(site), "build", "--no-search", "--out", str(out)]) == 1
    assert tree(out) == before
    lora.write_text(good)
    assert not rebuilt(site, out, "--no-search")
    assert tree(out) == before


def test_a_build_with_nothing_to_do_loads_no_build_stack(site: Path) -> None:
    """Nothing changed: the run answers from the cache without Jinja, markdown-it or Pygments
    (a new process, so what earlier tests imported does not count)."""
    import subprocess
    import sys

    out = site / "_site"
    build(site, out, "--no-search")
    probe = (
        "import sys; from spanvero_site.cli import main; "
        f"code = main(['--root', {str(site)!r}, 'build', '--no-search', '--out', {str(out)!r}]); "
        "heavy = sorted(m for m in ('jinja2', 'markdown_it', 'pygments', 'yaml', 'watchdog', "
        "'tornado', 'livereload', 'spanvero_site.core.builder') if m in sys.modules); "
        "print(code, heavy)"
    )
    proc = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True)
    assert proc.stdout.strip() == "0 []", proc.stderr


def test_a_cached_builder_that_builds_again_never_reuses_a_page_of_another_state(
    site: Path, trusting: None
) -> None:
    """One Builder with the persistent cache, building several times (as the stores outlive
    it): after a site.yaml edit, and after a fast-path body edit that is later undone, every
    build equals a fresh one, and so does a new Builder reading what they saved."""
    from spanvero_site.core.builder import BuildOptions
    from spanvero_site.site import site_builder

    def outputs(builder: object) -> dict[str, bytes]:
        result = builder.build()  # type: ignore[attr-defined]
        assert not result.diagnostics.errors, result.diagnostics.items[:3]
        return {o.path: o.data for o in result.outputs}

    def fresh_outputs() -> dict[str, bytes]:
        return outputs(site_builder(site, BuildOptions()))

    builder = site_builder(site, BuildOptions(cache=True))
    outputs(builder)
    edit("content/site.yaml", "A small site", "A tiny site")(site)
    assert outputs(builder) == fresh_outputs()

    lora = "content/learn/lora-basics.md"
    original = (site / lora).read_text()
    edit(lora, "frozen.", "frozen, for now.")(site)
    builder.invalidate([lora])
    assert outputs(builder) == fresh_outputs()  # the one-body fast path
    edit("content/data/prices.yaml", "0.1729", "0.1829")(site)
    builder.invalidate(["content/data/prices.yaml"])
    assert outputs(builder) == fresh_outputs()  # a full build: what it saves is current
    (site / lora).write_text(original)
    assert outputs(site_builder(site, BuildOptions(cache=True))) == fresh_outputs()


def test_the_command_returns_only_once_its_cache_is_saved(site: Path, trusting: None) -> None:
    """The stores are written by a forked child beside the writing of the site; the command
    waits for it, so the next command finds every shard whole."""
    build(site, site / "_site", "--no-search")
    assert not any(saving.running() for saving in builder._SAVING)
    folder = site / ".spanvero" / "cache"
    for store in ("files", "markdown", "pages"):
        assert list((folder / store).glob("*.bin")), store
    assert list(folder.rglob("*.tmp")) == []
