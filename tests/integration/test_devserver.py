"""`spanvero serve` as a real subprocess on a free port, in a temporary copy of a fixture site."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import assemble_site
from tests.serving import LORA, Served, edit


def test_an_edit_shows_up_in_the_served_page(served: Served) -> None:
    status, body = served.get("/learn/lora-basics/")
    assert status == 200 and "LoRA keeps the model frozen" in body
    assert '<script src="/livereload.js?port=' in body and "/_spanvero/dev.js" in body
    edit(served.site, LORA, "LoRA keeps the model frozen", "LoRA leaves the model untouched")
    served.poll("/learn/lora-basics/", lambda s, b: "LoRA leaves the model untouched" in b)
    served.wait_for_line(r"rebuilt in \d+ ms, 1 file changed")


def test_a_rename_updates_index_and_backlinks(served: Served) -> None:
    site = served.site
    (site / LORA).rename(site / "content/learn/low-rank-adapters.md")
    for rel in (
        "content/learn/prompting-first.md",
        "content/learn/vram-basics.md",
        "content/data/advisor.yaml",
    ):
        edit(site, rel, "lora-basics", "low-rank-adapters")
    served.poll(
        "/learn/", lambda s, b: "/learn/low-rank-adapters/" in b and "/lora-basics/" not in b
    )
    body = served.poll("/learn/low-rank-adapters/", lambda s, b: s == 200)
    assert "Linked from" in body and "/learn/prompting-first/" in body
    served.poll("/learn/lora-basics/", lambda s, b: s == 404)


def test_broken_front_matter_shows_the_overlay_and_keeps_the_last_good_build(
    served: Served,
) -> None:
    site = served.site
    original = (site / LORA).read_text()
    (site / LORA).write_text(original.replace("tags: [fine-tuning, memory]", "tags: [fine-tuning"))
    deadline = time.monotonic() + 10
    while not served.status()["errors"] and time.monotonic() < deadline:
        time.sleep(0.05)
    errors = served.status()["errors"]
    assert errors[0]["path"] == LORA and errors[0]["code"] == "E202" and errors[0]["line"] == 9
    served.wait_for_line(r"lora-basics\.md:9:\d+: error\[E202\]")
    status, body = served.get("/learn/lora-basics/")
    assert status == 200 and "LoRA keeps the model frozen" in body  # the last good build
    (site / LORA).write_text(original.replace("LoRA keeps", "LoRA freezes"))
    served.poll("/learn/lora-basics/", lambda s, b: "LoRA freezes" in b)
    assert served.status()["errors"] == []


@pytest.mark.parametrize(
    "path", ["/../../etc/passwd", "/%2e%2e/%2e%2e/etc/passwd", "/learn/../../content/site.yaml"]
)
def test_nothing_outside_the_output_folder_is_served(served: Served, path: str) -> None:
    status, body = served.get(path)
    assert status == 404
    assert "root:" not in body and "base_url" not in body


def test_symlinks_out_of_the_output_folder_are_not_followed(served: Served) -> None:
    (served.out / "escape").symlink_to(served.site / "content")
    assert served.get("/escape/site.yaml")[0] == 404


def test_ctrl_c_stops_cleanly(served: Served) -> None:
    assert served.stop() == 0
    served.wait_for_line("spanvero serve: stopped")
    leftovers = [p for p in served.out.rglob("*") if ".tmp-" in p.name]
    assert leftovers == []


def test_a_taken_port_is_a_clear_error(tmp_path: Path) -> None:
    site = assemble_site(tmp_path / "site", "basic")
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        proc = subprocess.run(
            [
                sys.executable,
                "-m",
                "spanvero_site",
                "--root",
                str(site),
                "serve",
                "--port",
                str(port),
            ],
            capture_output=True,
            text=True,
            timeout=30,
        )
    assert proc.returncode == 2
    assert f"port {port} on 127.0.0.1 is already in use" in proc.stderr


def test_binds_loopback_by_default(served: Served) -> None:
    assert any("serving http://127.0.0.1:" in line for line in served.lines)
    assert os.environ.get("SOURCE_DATE_EPOCH")  # the child inherits the pinned date
