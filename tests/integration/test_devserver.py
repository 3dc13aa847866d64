"""`spanvero serve` as a real subprocess on a free port, in a temporary copy of a fixture site."""

from __future__ import annotations

import http.client
import json
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.conftest import assemble_site

LORA = "content/learn/lora-basics.md"


class Served:
    """A running `spanvero serve` and what it printed."""

    def __init__(self, site: Path, *args: str) -> None:
        self.site = site
        self.out = site / ".spanvero" / "serve"
        self.lines: list[str] = []
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "spanvero_site", "--root", str(site), "serve", *args],
            stderr=subprocess.PIPE,
            text=True,
        )
        threading.Thread(target=self._read, daemon=True).start()
        match = self.wait_for_line(r"serving http://127\.0\.0\.1:(\d+)/")
        self.port = int(match.group(1))

    def _read(self) -> None:
        assert self.proc.stderr is not None
        for line in self.proc.stderr:
            self.lines.append(line.rstrip("\n"))

    def wait_for_line(self, pattern: str, timeout: float = 15) -> re.Match[str]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for line in list(self.lines):
                if match := re.search(pattern, line):
                    return match
            if self.proc.poll() is not None:
                break
            time.sleep(0.02)
        raise AssertionError(f"no line matching {pattern!r} in:\n" + "\n".join(self.lines))

    def get(self, path: str) -> tuple[int, str]:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=5)
        connection.request("GET", path)
        response = connection.getresponse()
        return response.status, response.read().decode("utf-8", "replace")

    def poll(self, path: str, check: Callable[[int, str], bool], timeout: float = 10) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            status, body = self.get(path)
            if check(status, body):
                return body
            time.sleep(0.05)
        raise AssertionError(f"{path} never matched; last status {status}:\n{body[:500]}")

    def status(self) -> dict[str, list[dict[str, object]]]:
        return json.loads(self.get("/_spanvero/status.json")[1])

    def stop(self) -> int:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGINT)
        return self.proc.wait(timeout=10)


@pytest.fixture
def served(tmp_path: Path) -> Iterator[Served]:
    site = assemble_site(tmp_path / "site", "basic")
    server = Served(site, "--port", "0")
    yield server
    server.stop()


def edit(site: Path, rel: str, old: str, new: str) -> None:
    path = site / rel
    path.write_text(path.read_text().replace(old, new))


def test_an_edit_shows_up_in_the_served_page(served: Served) -> None:
    status, body = served.get("/learn/lora-basics/")
    assert status == 200 and "LoRA keeps the model frozen" in body
    assert '<script src="/livereload.js?port=' in body and "/_spanvero/dev.js" in body
    edit(served.site, LORA, "LoRA keeps the model frozen", "LoRA leaves the model untouched")
    served.poll("/learn/lora-basics/", lambda s, b: "LoRA leaves the model untouched" in b)
    served.wait_for_line(r"rebuilt in \d+ ms, 1 files changed")


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
