"""Issue #12: a build can never destroy, escape or crash. One test (or a few) per class.

The exact diagnostics of bad content are fixtures (tests/fixtures/sites/invalid_*), run by
test_bad_input.py; these tests cover what a fixture folder cannot hold: output folders, symbolic
links, exceptions inside a stage, the command line's usage errors.
"""

from __future__ import annotations

import errno
import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from spanvero_site.cli import main
from spanvero_site.core import cache
from spanvero_site.core.markdown import MarkdownRenderer
from spanvero_site.core.pages import Output
from spanvero_site.core.paths import UnsafePath, output_path, path_problem
from spanvero_site.core.writer import MARKER, recover, write_site
from tests.conftest import assemble_site, tree_bytes


@pytest.fixture
def site(tmp_path: Path) -> Path:
    return assemble_site(tmp_path / "site", "basic")


def build(site: Path, *args: str) -> int:
    return main(["--root", str(site), "build", "--no-search", *args])


# 1. The output folder can never be a source.


@pytest.mark.parametrize(
    ("out", "reason"),
    [
        (".", "it is the site folder itself"),
        ("..", "it contains the site folder"),
        ("content", "it is inside the site's content/ folder"),
        ("content/learn", "it is inside the site's content/ folder"),
        ("static", "it is inside the site's static/ folder"),
        ("templates/partials", "it is inside the site's templates/ folder"),
    ],
)
def test_the_output_folder_is_never_a_source(
    site: Path,
    out: str,
    reason: str,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    before = tree_bytes(site.parent)
    monkeypatch.chdir(site)
    assert build(site, "--out", out) == 2
    err = capsys.readouterr().err
    assert err.startswith("spanvero: error: cannot write the site to ") and err.count("\n") == 1
    assert reason in err
    assert tree_bytes(site.parent) == before
    assert main(["--root", str(site), "serve", "--out", out]) == 2  # the preview too
    assert reason in capsys.readouterr().err
    assert tree_bytes(site.parent) == before


def test_the_output_folder_is_never_inside_another_output_below_a_file_or_unnamed(
    site: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Mistakes of --out that a build would only discover while writing (a parent that is a
    file), or never (an output inside another, which that build's next run deletes)."""
    assert build(site) == 0
    (tmp_path / "notes.txt").write_text("mine\n")
    before = tree_bytes(tmp_path)
    cases = {
        str(site / "_site" / "inner"): f"it is inside {site / '_site'}, the output of a spanvero",
        str(tmp_path / "notes.txt" / "out"): f"{tmp_path / 'notes.txt'} is a file, not a folder",
        "": "--out needs a folder name",
    }
    for out, reason in cases.items():
        capsys.readouterr()
        assert build(site, "--out", out) == 2, out
        err = capsys.readouterr().err
        assert err.startswith("spanvero: error: ") and reason in err, err
        assert main(["--root", str(site), "serve", "--out", out]) == 2
        assert reason in capsys.readouterr().err
    assert tree_bytes(tmp_path) == before


def test_only_a_folder_spanvero_made_or_an_empty_one_is_replaced(
    site: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    photos = tmp_path / "photos"
    photos.mkdir()
    (photos / "holiday.jpg").write_bytes(b"\xff\xd8\xff")
    assert build(site, "--out", str(photos)) == 2
    assert "spanvero did not make (no .spanvero-build file in it)" in capsys.readouterr().err
    assert tree_bytes(photos) == {"holiday.jpg": b"\xff\xd8\xff"}

    notes = tmp_path / "public"
    notes.write_text("my notes")
    assert build(site, "--out", str(notes)) == 2
    assert "it is a file, not a folder" in capsys.readouterr().err
    assert notes.read_text() == "my notes"

    empty = tmp_path / "empty"
    empty.mkdir()
    assert build(site, "--out", str(empty)) == 0
    assert (empty / MARKER).is_file() and (empty / "index.html").is_file()
    assert build(site, "--out", str(empty)) == 0  # our own output is replaced


# 2. Every written path stays inside the output folder.


@pytest.mark.parametrize(
    "url",
    [
        "/learn/../../x/",
        "/learn/./x/",
        "/a//b/",
        "/a b/",
        "/a\nb/",
        "/a\tb/",
        "/a\x00b/",
        "/a?b/",
        "/a#b/",
        "/a%2fb/",
        "/a%2E%2E/",
        "/a%5cb/",
        "/a\\b/",
        "/.git/",
        "/x\u200b/",  # an invisible zero-width space
        "/e\u0301/",  # not in normal form: 'é' spelled as two code points
        "learn/",
        "",
        "/" + "a" * 300 + "/",
    ],
)
def test_unsafe_paths_are_refused_wherever_a_path_is_made(url: str) -> None:
    assert path_problem(url)
    with pytest.raises(UnsafePath):
        output_path(url)
    if url.startswith("/"):  # the same path as a file of the output folder
        with pytest.raises(UnsafePath):
            Output(url[1:] + "index.html", b"")


@pytest.mark.parametrize(
    ("url", "file"),
    [
        ("/", "index.html"),
        ("/learn/lora/", "learn/lora/index.html"),
        ("/404.html", "404.html"),
        ("/learn/café/", "learn/café/index.html"),
    ],
)
def test_plain_paths_are_written_where_they_say(url: str, file: str) -> None:
    assert path_problem(url) is None
    assert output_path(url) == file


def test_the_writer_refuses_a_path_that_needs_a_file_as_folder(tmp_path: Path) -> None:
    out = tmp_path / "_site"
    with pytest.raises(UnsafePath):
        write_site([Output("sitemap.xml", b"x"), Output("sitemap.xml/index.html", b"y")], out)
    assert sorted(p.name for p in tmp_path.iterdir()) == []


def test_redirects_and_feeds_are_built_from_checked_paths_and_escaped(site: Path) -> None:
    config = site / "content" / "site.yaml"
    config.write_text(config.read_text().replace("language: en\n", 'language: en"x\n'))
    lora = site / "content" / "learn" / "lora-basics.md"
    text = lora.read_text()
    lora.write_text(text.replace("tags: [", "aliases: [/learn/low-rank/, /lora/]\ntags: [", 1))
    assert build(site) == 0
    lines = (site / "_site" / "_redirects").read_text().splitlines()
    assert all(re.fullmatch(r"/[^\s]+/ /[^\s]+/ 301", line) for line in lines), lines
    assert {"/learn/low-rank/ /learn/lora-basics/ 301", "/lora/ /learn/lora-basics/ 301"} <= set(
        lines
    )
    for feed in ("feed.xml", "prices/feed.xml", "sitemap.xml"):
        root = ET.parse(site / "_site" / feed).getroot()  # well-formed whatever the values
        if feed.endswith("feed.xml"):
            assert root.get("{http://www.w3.org/XML/1998/namespace}lang") == 'en"x'


# 3. Nothing outside the site is published.


@pytest.mark.parametrize(
    "rel", ["static/leak.txt", "content/learn/leak.md", "content/models/leak.yaml"]
)
def test_a_link_out_of_the_site_is_an_error_and_never_published(
    site: Path, tmp_path: Path, rel: str, capsys: pytest.CaptureFixture[str]
) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("password: hunter2\n")
    assert build(site) == 0
    before = tree_bytes(site / "_site")
    (site / rel).symlink_to(secret)
    capsys.readouterr()
    assert build(site) == 1
    err = capsys.readouterr().err
    assert (
        f"{rel}:1:1: error[E104]: not read: it is a symbolic link to a file outside the site "
        "folder, which is never published\n"
        "  hint: copy the file into the site folder instead of linking to it"  # an explainer's
    ) in err  # hint goes on to say which site-wide checks wait for it
    assert tree_bytes(site / "_site") == before
    assert not any(b"hunter2" in data for data in before.values())


def test_a_link_inside_the_site_is_fine(site: Path) -> None:
    (site / "static" / "site-copy.css").symlink_to(site / "static" / "css" / "site.css")
    assert build(site) == 0
    assert (site / "_site" / "static").is_dir()


def _share_partials(site: Path, shared: Path) -> None:
    """Move templates/partials/footer.html into `shared` and reach it through a folder link."""
    shared.mkdir(parents=True, exist_ok=True)
    (site / "templates" / "partials" / "footer.html").rename(shared / "footer.html")
    (site / "templates" / "partials" / "shared").symlink_to(shared, target_is_directory=True)
    for template in (site / "templates").rglob("*.html"):
        text = template.read_text()
        template.write_text(text.replace('"partials/footer.html"', '"partials/shared/footer.html"'))


FOLDER_LINK = (
    "error[E104]: not read: it is inside templates/partials/shared, a symbolic link to a "
    "folder, which the build does not follow\n"
    "  hint: move or copy the folder into the site instead of linking to it\n"
)


@pytest.mark.parametrize("where", ["outside", "inside"])
def test_a_template_behind_a_folder_link_is_an_error_and_never_published(
    site: Path, tmp_path: Path, where: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """Jinja follows links on its own: out of the site it would publish what they point at,
    and inside it would read files no fingerprint of the caches sees."""
    assert build(site) == 0
    before = tree_bytes(site / "_site")
    shared = tmp_path / "outside" if where == "outside" else site / "shared-partials"
    _share_partials(site, shared)
    (shared / "footer.html").write_text("<footer>SECRET-OUTSIDE</footer>\n")
    capsys.readouterr()
    assert build(site) == 1
    err = capsys.readouterr().err
    assert f"templates/partials/shared/footer.html:1:1: {FOLDER_LINK}" in err
    assert tree_bytes(site / "_site") == before


def test_a_folder_link_in_static_is_an_error_whether_it_is_added_or_removed_with_a_cache(
    site: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The caches' fingerprints see a link to a folder come and go, though they do not follow
    it: no error is missed when it appears, and none lingers once it is gone. (Files here are
    seconds old: the caches are told to trust them at once, as a later run would.)"""
    monkeypatch.setattr(cache, "RACY_NS", 0)
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "leak.txt").write_text("password: hunter2\n")
    assert build(site) == 0
    before = tree_bytes(site / "_site")
    (site / "static" / "ext").symlink_to(outside, target_is_directory=True)
    capsys.readouterr()
    assert build(site) == 1
    assert (
        "static/ext:1:1: error[E104]: not read: it is a symbolic link to a folder, which the "
        "build does not follow\n"
        "  hint: move or copy the folder into the site instead of linking to it\n"
    ) in capsys.readouterr().err
    assert tree_bytes(site / "_site") == before
    (site / "static" / "ext").unlink()
    assert build(site) == 0
    assert tree_bytes(site / "_site") == before


# 4. No traceback, ever.


def _explode(*_args: object, **_kwargs: object) -> None:
    raise RuntimeError("the renderer broke\nsecond line of the message")


def test_an_unexpected_exception_is_an_internal_error_not_a_traceback(
    site: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    assert build(site) == 0
    before = tree_bytes(site / "_site")
    capsys.readouterr()
    monkeypatch.setattr(MarkdownRenderer, "render", _explode)
    _edit(site, LORA, "LoRA keeps the model frozen", "LoRA keeps the model fixed")  # a real build

    assert build(site) == 1
    err = capsys.readouterr().err
    assert "Traceback" not in err
    first, hint, summary = err.splitlines()
    assert first.startswith("content/")  # the file being rendered
    assert first.endswith(
        ".md:1:1: error[E901]: internal error while building: RuntimeError: the renderer broke"
    )
    assert hint == (
        "  hint: this is a bug in spanvero; please report it with this message "
        "(run again with --debug for the traceback)"
    )
    assert summary.startswith("spanvero build: failed (nothing written)")
    assert tree_bytes(site / "_site") == before

    assert build(site, "--format", "json") == 1
    report = json.loads(capsys.readouterr().out)
    assert report["summary"]["ok"] is False
    assert [d["code"] for d in report["diagnostics"]] == ["E901"]

    assert main(["--root", str(site), "--debug", "build"]) == 1
    assert "Traceback (most recent call last)" in capsys.readouterr().err
    assert tree_bytes(site / "_site") == before


def _edit(site: Path, rel: str, old: str, new: str) -> None:
    path = site / rel
    text = path.read_text()
    assert old in text, (rel, old)
    path.write_text(text.replace(old, new, 1))


GPUS = "content/data/gpus.yaml"
PRICES = "content/data/prices.yaml"
ADVISOR = "content/data/advisor.yaml"
MODEL = "content/models/llama-3-1-8b.yaml"
LORA = "content/learn/lora-basics.md"

# The inputs issue #12 found ending in a traceback, each with the diagnostic it now gets.
ISSUE_INPUTS = {
    "kv_heads: 0": (lambda s: _edit(s, MODEL, "kv_heads: 8", "kv_heads: 0"), "E209"),
    "bandwidth_gbps: 0": (
        lambda s: _edit(s, GPUS, "bandwidth_gbps: 3350", "bandwidth_gbps: 0"),
        "E209",
    ),
    "usd_per_kwh: .nan": (
        lambda s: _edit(s, PRICES, "usd_per_kwh: 0.1729", "usd_per_kwh: .nan"),
        "E209",
    ),
    "a provider id with /": (
        lambda s: _edit(s, PRICES, "provider: cloud-b", "provider: cloud/b"),
        "E208",
    ),
    "an unhashable advisor condition": (
        lambda s: _edit(s, ADVISOR, "hardware: [gpu-24]", "hardware: [[gpu-24]]"),
        "E203",
    ),
    "an alias over a generated file": (
        lambda s: _edit(s, LORA, "tags: [", "aliases: [/sitemap.xml/]\ntags: ["),
        "E301",
    ),
    "a non-UTF-8 template": (
        lambda s: (s / "templates" / "404.html").write_bytes(b"\xff\xfe<html>"),
        "E101",
    ),
    "an unreadable source": (lambda s: (s / "content" / "models" / "x.yaml").mkdir(), "E101"),
    "a 300-character alias": (
        lambda s: _edit(s, LORA, "tags: [", f"aliases: [/{'a' * 300}/]\ntags: ["),
        "E208",
    ),
}


@pytest.mark.parametrize("case", sorted(ISSUE_INPUTS))
def test_the_inputs_that_crashed_are_diagnostics(
    site: Path, case: str, capsys: pytest.CaptureFixture[str]
) -> None:
    mutate, code = ISSUE_INPUTS[case]
    mutate(site)
    assert build(site) == 1
    err = capsys.readouterr().err
    assert "Traceback" not in err and "E901" not in err
    assert f"error[{code}]" in err
    assert not (site / "_site").exists()


def test_renaming_a_gpu_id_across_the_content_just_works(
    site: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """No Python names a content id (defaults live in site.yaml and advisor.yaml), so a
    consistent rename of a GPU id through every content file builds as before."""
    renamed = 0
    for path in sorted((site / "content").rglob("*")):
        if path.is_file() and path.suffix in (".yaml", ".md"):
            text = path.read_text()
            if "rtx-4090" in text:
                path.write_text(text.replace("rtx-4090", "rtx-4090-24gb"))
                renamed += 1
    assert renamed >= 4  # gpus, prices, advisor, site.yaml at least
    code = build(site)
    err = capsys.readouterr().err
    assert "Traceback" not in err and "E901" not in err
    assert code == 0, err


def test_a_failed_write_is_a_diagnostic(
    site: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """(An output folder below a file is refused before building: see the test above.)"""

    def full(self: Path, data: bytes) -> int:
        raise OSError(errno.ENOSPC, "No space left on device", str(self))

    monkeypatch.setattr(Path, "write_bytes", full)
    assert build(site) == 1
    err = capsys.readouterr().err
    assert "error[E102]: cannot write the output: No space left on device" in err
    assert "\n  hint: check free disk space and that the output folder's parent is writable" in err
    assert not (site / "_site").exists()
    assert not list(site.glob("._site.*"))


@pytest.mark.parametrize(
    "args",
    [
        ["serve", "--port", "65536"],
        ["serve", "--port", "-1"],
        ["serve", "--port", "eighty"],
        ["serve", "--host", "not a host"],
        ["serve", "--host", "no-such-host.invalid"],
        ["build", "--base-url", "example.org/docs/"],
        ["build", "--base-url", "ftp://example.org/"],
        ["build", "--base-url", "https://example.org/docs/?x=1"],
        ["check", "--base-url", "/docs/"],
    ],
)
def test_bad_options_are_usage_errors(
    site: Path, args: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    try:
        code = main(["--root", str(site), *args])
    except SystemExit as exc:  # argparse's own usage errors
        code = int(exc.code or 0)
    assert code == 2
    err = capsys.readouterr().err
    assert "spanvero: error:" in err and "Traceback" not in err


def test_a_very_long_title_for_new_is_refused_cleanly(
    site: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(["--root", str(site), "new", "learn", "Why " + "really " * 50 + "?"])
    err = capsys.readouterr().err
    assert code in (0, 2) and "Traceback" not in err
    assert all(len(p.name) < 100 for p in (site / "content" / "learn").iterdir())


# 8. A killed build leaves no debris (the kill itself: test_kill.py).


def test_the_next_run_restores_an_output_left_aside_by_a_killed_build(
    site: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert build(site) == 0
    before = tree_bytes(site / "_site")
    dead = 2**22 + 12345  # above the default pid_max: no such process
    (site / "_site").rename(site / f"._site.old-{dead}")  # killed between the two renames
    (site / f"._site.tmp-{dead}" / "learn").mkdir(parents=True)  # and its staging folder
    _edit(site, LORA, "LoRA keeps the model frozen", "LoRA keeps the model frozen, always")
    _edit(site, LORA, "related: [", "related: [nowhere, ")  # this build fails...
    assert build(site) == 1
    assert tree_bytes(site / "_site") == before  # ...and the old output is back in place
    assert sorted(p.name for p in site.iterdir() if p.name.startswith("._site")) == []


def test_staging_folders_of_a_running_build_are_left_alone(tmp_path: Path) -> None:
    out = tmp_path / "_site"
    write_site([Output("index.html", b"1")], out)
    running = tmp_path / "._site.tmp-1"  # pid 1 is always alive
    running.mkdir()
    recover(out)
    assert running.is_dir()


# 9. Smaller things users hit.


def test_a_byte_order_mark_before_the_front_matter_is_accepted(site: Path) -> None:
    lora = site / LORA
    lora.write_bytes(b"\xef\xbb\xbf" + lora.read_bytes().replace(b"\n", b"\r\n"))
    assert build(site) == 0
    assert "What is LoRA?" in (site / "_site/learn/lora-basics/index.html").read_text()


def test_headings_never_repeat_an_id_or_take_a_template_id(site: Path) -> None:
    _edit(
        site,
        LORA,
        "## How it works",
        "## Main\n\nText.\n\n## Setup\n\nText.\n\n## Setup-1\n\nText.\n\n## Setup\n\nText.\n\n"
        "## How it works",
    )
    assert build(site) == 0
    html = (site / "_site/learn/lora-basics/index.html").read_text()
    ids = re.findall(r' id="([^"]+)"', html)
    assert len(ids) == len(set(ids)), sorted(i for i in ids if ids.count(i) > 1)
    assert 'id="main-1"' in html and 'id="setup-2"' in html


def test_a_heading_never_takes_an_id_a_template_gives(site: Path) -> None:
    explainer = site / "templates" / "explainer.html"
    text = explainer.read_text()
    explainer.write_text(text.replace("<article", '<span id="setup"></span><article', 1))
    _edit(site, LORA, "## How it works", "## Setup\n\nText.\n\n## How it works")
    assert build(site) == 0
    for page in (site / "_site").rglob("*.html"):
        ids = re.findall(r' id="([^"]+)"', page.read_text())
        assert len(ids) == len(set(ids)), (page, sorted(i for i in ids if ids.count(i) > 1))
    html = (site / "_site/learn/lora-basics/index.html").read_text()
    assert 'id="setup"' in html and 'id="setup-1"' in html
