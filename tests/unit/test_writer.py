from __future__ import annotations

from pathlib import Path

import pytest

from spanvero_site.core import writer
from spanvero_site.core.pages import Output
from spanvero_site.core.paths import UnsafePath
from spanvero_site.core.writer import MARKER, output_path, write_site


def test_output_paths() -> None:
    assert output_path("/") == "index.html"
    assert output_path("/learn/lora/") == "learn/lora/index.html"
    assert output_path("/404.html") == "404.html"


def test_write_replaces_the_folder_atomically(tmp_path: Path) -> None:
    out = tmp_path / "_site"
    write_site([Output("a/index.html", b"1")], out)
    write_site([Output("b.html", b"2")], out)
    assert sorted(p.name for p in out.rglob("*")) == [MARKER, "b.html"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["_site"]


def test_a_failed_write_leaves_the_old_output(tmp_path: Path) -> None:
    out = tmp_path / "_site"
    write_site([Output("index.html", b"old")], out)

    def outputs():
        yield Output("index.html", b"new")
        raise RuntimeError("disk full")

    with pytest.raises(RuntimeError):
        write_site(outputs(), out)
    assert (out / "index.html").read_bytes() == b"old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["_site"]


@pytest.mark.parametrize("planted", ["a folder", "a file"])
def test_staging_never_writes_through_a_link_someone_else_planted(
    tmp_path: Path, planted: str
) -> None:
    """The staging folder is new, so anything in it that the writer did not make (here a link
    out of it, as another process could plant mid-build) stops the write instead of being
    followed."""
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    staging = tmp_path / "staging"
    staging.mkdir()
    if planted == "a folder":
        (staging / "learn").symlink_to(elsewhere, target_is_directory=True)
    else:
        (staging / "learn").mkdir()
        (staging / "learn" / "index.html").symlink_to(elsewhere / "index.html")
    outputs = [Output("index.html", b"home"), Output("learn/index.html", b"learn")]
    with pytest.raises(UnsafePath, match="something else made it"):
        writer._stage(staging, outputs)
    assert list(elsewhere.iterdir()) == []
