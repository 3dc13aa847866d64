"""Entries under content/ that no section reads (W211), each with a hint naming what would be."""

from __future__ import annotations

from pathlib import Path

from spanvero_site.core.diagnostics import Diagnostics
from spanvero_site.core.section import Input
from spanvero_site.core.unread import report_unread
from spanvero_site.site import SECTIONS

READS = (
    Input("content/site.yaml"),
    Input("content/index.md"),
    Input("content/learn", ".md", "explainers"),
    Input("content/models", ".yaml", "models"),
    Input("content/data/gpus.yaml"),
)


def unread(root: Path, reported: tuple[str, ...] = ()) -> list[str]:
    diags = Diagnostics()
    report_unread(root, READS, reported, diags)
    return [f"{d.path}: {d.message} / {d.hint}" for d in diags.items]


def lay(root: Path, *paths: str) -> Path:
    for rel in paths:
        path = root / rel
        if rel.endswith("/"):
            path.mkdir(parents=True)
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text("x\n", encoding="utf-8")
    return root


def test_declared_sources_and_hidden_entries_are_not_reported(tmp_path: Path) -> None:
    lay(tmp_path, "content/site.yaml", "content/index.md", "content/learn/a.md",
        "content/models/m.yaml", "content/data/gpus.yaml", "content/.git/HEAD",
        "content/learn/.DS_Store", "content/models/.m.yaml.swp")  # fmt: skip
    assert unread(tmp_path) == []


def test_each_unread_entry_is_named_with_what_would_be_read(tmp_path: Path) -> None:
    lay(tmp_path, "content/models/m.yaml", "content/models/m.YAML", "content/models/n.yml",
        "content/models/old/", "content/learn/b.markdown", "content/about.md",
        "content/blog/post.md", "content/data/gpus.yml", "content/data/notes.txt",
        "content/learn/c.txt")  # fmt: skip
    assert unread(tmp_path) == [
        "content/about.md: file 'about.md' in content/ is not read / explainers are .md files "
        "directly in content/learn/: move it to content/learn/about.md if it is one",
        "content/blog: folder 'blog' in content/ is not read / nothing reads content/blog/: "
        "explainers are .md files directly in content/learn/; move them there",
        "content/data/gpus.yml: file 'gpus.yml' in content/data/ is not read / "
        "content/data/gpus.yaml is read: rename it to 'gpus.yaml'",
        "content/data/notes.txt: file 'notes.txt' in content/data/ is not read / content/data/ "
        "holds only what the site reads (gpus.yaml): move it elsewhere",
        "content/learn/b.markdown: file 'b.markdown' in content/learn/ is not read / "
        "explainers are .md files directly in content/learn/: rename it to 'b.md'",
        "content/learn/c.txt: file 'c.txt' in content/learn/ is not read / explainers are .md "
        "files directly in content/learn/: rename it to 'c.md' if it is one",
        "content/models/m.YAML: file 'm.YAML' in content/models/ is not read / models are .yaml "
        "files directly in content/models/: 'm.yaml' is there already: remove this copy, or "
        "move it out of content/",
        "content/models/n.yml: file 'n.yml' in content/models/ is not read / models are .yaml "
        "files directly in content/models/: rename it to 'n.yaml'",
        "content/models/old: folder 'old' in content/models/ is not read / models are .yaml "
        "files directly in content/models/: move the files of this folder up a level",
    ]


def test_an_entry_a_section_reported_itself_is_not_reported_again(tmp_path: Path) -> None:
    lay(tmp_path, "content/learn/drafts/a.md")
    assert unread(tmp_path, ("content/learn/drafts",)) == []


def test_every_section_declares_what_it_reads_as_site_relative_content() -> None:
    for section in SECTIONS:
        for read in section.reads:
            assert read.path.startswith("content/"), (section.name, read)
            assert bool(read.suffix) == bool(read.what), (section.name, read)
        assert section.inputs == tuple(read.path for read in section.reads)
