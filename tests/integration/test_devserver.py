"""`spanvero serve` as a real subprocess on a free port, in a temporary copy of a fixture site."""

from __future__ import annotations

import http.client
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from spanvero_site.core.writer import MARKER
from tests.conftest import assemble_site
from tests.serving import LORA, Served, edit

# Slow tier: each test starts a real `spanvero serve` on loopback.
pytestmark = pytest.mark.slow


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
    assert errors[0]["path"] == LORA and errors[0]["code"] == "E202" and errors[0]["line"] == 8
    served.wait_for_line(r"lora-basics\.md:8:\d+: error\[E202\]")
    status, body = served.get("/learn/lora-basics/")
    assert status == 200 and "LoRA keeps the model frozen" in body  # the last good build
    (site / LORA).write_text(original.replace("LoRA keeps", "LoRA freezes"))
    served.poll("/learn/lora-basics/", lambda s, b: "LoRA freezes" in b)
    assert served.status()["errors"] == []


def test_a_template_loop_shows_the_overlay_and_the_next_good_save_clears_it(
    served: Served,
) -> None:
    """A partial that includes itself would recurse on every page until Python's limit: the
    preview reports it once, at its line, at once, and keeps serving the last good build."""
    footer = served.site / "templates" / "partials" / "footer.html"
    original = footer.read_text()
    footer.write_text(original + '{% include "partials/footer.html" %}\n')
    deadline = time.monotonic() + 10
    while not served.status()["errors"] and time.monotonic() < deadline:
        time.sleep(0.05)
    (error,) = served.status()["errors"]
    assert (error["path"], error["line"], error["code"]) == (
        "templates/partials/footer.html",
        7,
        "E503",
    )
    assert "include each other in a loop" in error["message"]
    served.wait_for_line(r"footer\.html:7:1: error\[E503\]")
    status, body = served.get("/learn/lora-basics/")
    assert status == 200 and "LoRA keeps the model frozen" in body  # the last good build
    footer.write_text(original.replace("</footer>", "<!-- mended --></footer>"))
    served.poll("/learn/lora-basics/", lambda s, b: "<!-- mended -->" in b)
    assert served.status()["errors"] == []


def test_a_first_build_that_fails_says_nothing_is_served_until_it_builds(tmp_path: Path) -> None:
    """With no earlier build in the preview folder there is no "last good build" to keep
    showing: the terminal and the overlay say so, and the first good save serves the site."""
    site = assemble_site(tmp_path / "site", "basic")
    edit(site, LORA, "tags: [fine-tuning, memory]", "tags: [fine-tuning")
    served = Served(site, "--port", "0")
    try:
        served.wait_for_line(r"build failed \(1 error\); nothing to serve until it builds")
        assert not any("last good build" in line for line in served.lines), served.lines
        status = served.status()
        assert status["served"] is False and len(status["errors"]) == 1
        code, body = served.get("/learn/lora-basics/")
        assert code == 404 and "/_spanvero/dev.js" in body  # the overlay still shows
        edit(site, LORA, "tags: [fine-tuning", "tags: [fine-tuning, memory]")
        served.poll("/learn/lora-basics/", lambda s, b: "LoRA keeps the model frozen" in b)
        assert served.status() == {"errors": [], "warnings": [], "served": True}
        edit(site, LORA, "tags: [fine-tuning, memory]", "tags: [fine-tuning")
        served.wait_for_line(r"build failed \(1 error\); still serving the last good build")
        assert served.status()["served"] is True
    finally:
        assert served.stop() == 0


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


def test_ctrl_c_stops_it_when_the_suite_itself_ignores_ctrl_c(tmp_path: Path) -> None:
    """The suite run as a background job of a shell without job control ignores SIGINT, and a
    server started from it inherited that: every stop() waited out its minute (CI, once)."""
    ignored = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        served = Served(assemble_site(tmp_path / "site", "basic"), "--port", "0")
    finally:
        signal.signal(signal.SIGINT, ignored)
    started = time.monotonic()
    assert served.stop() == 0
    assert time.monotonic() - started < 30


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


# Issue #12, class 7: the live preview never dies.

FAULT = "@@injected-fault@@"


def test_a_crashing_rebuild_is_reported_and_the_next_save_rebuilds(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PYTHONPATH", str(Path(__file__).resolve().parents[1] / "fault"))
    monkeypatch.setenv("SPANVERO_FAULT", FAULT)
    site = assemble_site(tmp_path / "site", "basic")
    served = Served(site, "--port", "0")
    try:
        edit(site, LORA, "LoRA keeps the model frozen", f"LoRA keeps {FAULT} frozen")
        deadline = time.monotonic() + 10
        while not served.status()["errors"] and time.monotonic() < deadline:
            time.sleep(0.05)
        (error,) = served.status()["errors"]
        assert error["code"] == "E901" and error["path"] == LORA
        assert error["message"] == "internal error while rebuilding: RuntimeError: injected fault"
        served.wait_for_line(r"lora-basics\.md:1:1: error\[E901\]")
        served.wait_for_line(r"build failed \(internal error\); still serving the last good")
        assert not any("Traceback" in line for line in served.lines), "\n".join(served.lines)
        status, body = served.get("/learn/lora-basics/")
        assert status == 200 and "LoRA keeps the model frozen" in body  # the last good build
        edit(site, LORA, f"LoRA keeps {FAULT} frozen", "LoRA keeps the weights frozen")
        served.poll("/learn/lora-basics/", lambda s, b: "LoRA keeps the weights frozen" in b)
        assert served.status()["errors"] == []
        edit(site, LORA, "the weights frozen", "the weights fixed")  # and it keeps rebuilding
        served.poll("/learn/lora-basics/", lambda s, b: "LoRA keeps the weights fixed" in b)
    finally:
        assert served.stop() == 0


def test_a_page_over_64_kb_is_served_whole(served: Served) -> None:
    paragraph = "A long paragraph about adapters. " * 40
    body = "\n\n".join(f"{paragraph} ({i})" for i in range(120))  # about 160 KB
    edit(served.site, LORA, "LoRA keeps the model frozen.", body + "\n\nTHE END.")
    served.poll("/learn/lora-basics/", lambda s, b: "THE END." in b)
    connection = http.client.HTTPConnection("127.0.0.1", served.port, timeout=5)
    connection.request("GET", "/learn/lora-basics/")
    response = connection.getresponse()
    data = response.read()
    assert len(data) > 128 * 1024
    assert int(response.getheader("Content-Length")) == len(data)
    assert data.rstrip().endswith(b"</html>")


@pytest.mark.parametrize("path", ["/%00", "/learn/%00/", "/learn/lora-basics/%00index.html"])
def test_a_nul_byte_in_a_url_is_a_bad_request(served: Served, path: str) -> None:
    assert served.get(path)[0] == 400
    assert served.get("/")[0] == 200  # and the server is still there


def test_files_of_a_previous_run_are_not_served(tmp_path: Path) -> None:
    site = assemble_site(tmp_path / "site", "basic")
    out = site / ".spanvero" / "serve"
    out.mkdir(parents=True)
    (out / MARKER).write_text("")
    (out / "stale.html").write_text("from an old run")
    (out / "learn" / "gone").mkdir(parents=True)
    (out / "learn" / "gone" / "index.html").write_text("an explainer since deleted")
    served = Served(site, "--port", "0")
    try:
        assert served.get("/stale.html")[0] == 404
        assert served.get("/learn/gone/")[0] == 404
        assert served.get("/learn/lora-basics/")[0] == 200
    finally:
        served.stop()


def test_the_preview_never_uses_a_source_folder_or_a_bad_port(tmp_path: Path) -> None:
    site = assemble_site(tmp_path / "site", "basic")
    for args in (["--out", "content"], ["--port", "70000"], ["--host", "no-such-host.invalid"]):
        proc = subprocess.run(
            [sys.executable, "-m", "spanvero_site", "--root", str(site), "serve", *args],
            capture_output=True,
            text=True,
            timeout=30,
            cwd=site,
        )
        assert proc.returncode == 2, (args, proc.stderr)
        assert "spanvero: error:" in proc.stderr and "Traceback" not in proc.stderr


def test_a_link_planted_in_the_preview_folder_is_never_written_through(served: Served) -> None:
    outside = served.site.parent / "outside"
    outside.mkdir()
    learn = served.out / "learn" / "lora-basics"
    for child in learn.iterdir():
        child.unlink()
    learn.rmdir()
    learn.symlink_to(outside)  # the next rebuild of the page would write through it
    edit(served.site, LORA, "LoRA keeps the model frozen", "LoRA keeps the model still")
    served.wait_for_line(r"error\[E901\]: internal error while rebuilding: UnsafePath")
    assert list(outside.iterdir()) == []
    assert served.get("/")[0] == 200
