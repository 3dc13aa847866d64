from __future__ import annotations

from pathlib import Path

import pytest

from spanvero_site.core.pages import Output
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
