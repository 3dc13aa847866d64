"""A running `spanvero serve` for the dev-server and live-reload tests."""

from __future__ import annotations

import http.client
import json
import re
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

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
            preexec_fn=_ctrl_c_as_at_a_terminal,
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
        # Ctrl-C lets a rebuild in progress finish (its files are written atomically) before
        # the server exits; on a loaded two-core CI machine that has taken over ten seconds.
        try:
            return self.proc.wait(timeout=60)
        except subprocess.TimeoutExpired:
            self.proc.kill()  # the test fails, but leaves no server running behind it
            self.proc.wait()
            raise


def _ctrl_c_as_at_a_terminal() -> None:
    """Let Ctrl-C (SIGINT) reach the server however the suite was started. A shell without job
    control starts a background command (`... &`, as a CI runner may) with SIGINT ignored, every
    process under it inherits that, and a Python that starts with SIGINT ignored keeps it so:
    `stop()` then waited out its minute and left the server running."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def edit(site: Path, rel: str, old: str, new: str) -> None:
    path = site / rel
    path.write_text(path.read_text().replace(old, new))
