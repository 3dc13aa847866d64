"""`spanvero serve`: live preview with incremental rebuilds and an error overlay.

watchdog reports file events; a burst of them (an editor's save writes several) is debounced
into one rebuild by the incremental Builder; only changed files are rewritten, each atomically;
livereload's browser client is told to reload (stylesheets in place). While the content is
broken the last good build stays up and every page shows the diagnostics over it; when no build
has succeeded yet (none in the preview folder), the terminal and the overlay say that nothing is
served until one does.
"""

from __future__ import annotations

import contextlib
import errno
import gc
import json
import os
import signal
import threading
import time
import webbrowser
from collections.abc import Iterable
from dataclasses import asdict
from importlib.resources import files
from pathlib import Path
from types import SimpleNamespace
from typing import Any
from urllib.parse import unquote

from livereload.handlers import LiveReloadHandler, LiveReloadJSHandler
from tornado import httpserver, ioloop, netutil, web
from watchdog.events import FileSystemEvent, FileSystemEventHandler
from watchdog.observers import Observer

from spanvero_site.core.builder import BuildResult
from spanvero_site.core.dates import build_date
from spanvero_site.core.diagnostics import Diagnostics, Severity, format_text, shown
from spanvero_site.core.guard import format_traceback, report_internal_error
from spanvero_site.core.options import BuildOptions
from spanvero_site.core.paths import UnsafePath
from spanvero_site.core.writer import MARKER, write_site
from spanvero_site.site import site_builder
from spanvero_site.stopped import UsageError
from spanvero_site.terminal import plural, say

WATCHED = ("content", "templates", "static")
DEBOUNCE_SECONDS = 0.08
STATUS_URL = "/_spanvero/status.json"
OVERLAY_URL = "/_spanvero/dev.js"
_IGNORED_SUFFIXES = (".swp", ".swx", ".tmp", "~")


def write_changes(result: BuildResult, out_dir: Path) -> None:
    """Write the outputs that changed since the last build and delete the removed ones.

    Each file is written to a temporary name and renamed over the old one, so a reader (or a
    Ctrl-C) never sees half a file.
    """
    data = {output.path: output.data for output in result.outputs}
    real_out = out_dir.resolve()
    for path in result.changed:
        target = out_dir / path
        target.parent.mkdir(parents=True, exist_ok=True)
        if not target.parent.resolve().is_relative_to(real_out):  # a link planted in the folder
            raise UnsafePath(path, "it resolves outside the output folder")
        temporary = target.with_name(f".{target.name}.tmp-{os.getpid()}")
        temporary.write_bytes(data[path])
        os.replace(temporary, target)
    for path in result.removed:
        target = out_dir / path
        target.unlink(missing_ok=True)
        parent = target.parent
        while parent != out_dir and parent.is_dir() and not any(parent.iterdir()):
            parent.rmdir()
            parent = parent.parent


SWEEP_EVERY = 50  # builds between full collections of what the earlier builds left


def settle_memory(builds: int) -> None:
    """After a build, move everything alive out of the cyclic collector's sight (`gc.freeze`).

    The Builder keeps a whole site in memory, millions of objects; a full collection in the
    middle of a rebuild walks all of them and took 100-200 ms of a 250 ms title edit at 4,000
    pages. Frozen objects are still freed when nothing refers to them; only reference cycles
    among them wait, so every SWEEP_EVERY builds (and after the first) they are collected.
    """
    if builds % SWEEP_EVERY == 0:
        gc.unfreeze()
        gc.collect()
    gc.freeze()


def _kept(served: bool) -> str:
    """What the browser shows while the build is broken."""
    return "still serving the last good build" if served else "nothing to serve until it builds"


class _Changes(FileSystemEventHandler):
    """Collects the site-relative paths of file events for the rebuild loop."""

    def __init__(self, root: Path, notify: threading.Condition, pending: set[str]) -> None:
        self._root = root
        self._notify = notify
        self._pending = pending
        self.last_event = 0.0

    def on_any_event(self, event: FileSystemEvent) -> None:
        if event.event_type in ("opened", "closed", "closed_no_write"):
            return
        if event.is_directory and event.event_type not in ("deleted", "moved"):
            return
        paths = [event.src_path, getattr(event, "dest_path", "")]
        found = [self._relative(str(p)) for p in paths if p]
        relative = [p for p in found if p is not None and not p.endswith(_IGNORED_SUFFIXES)]
        if not relative:
            return
        with self._notify:
            self._pending.update(relative)
            self.last_event = time.monotonic()
            self._notify.notify()

    def _relative(self, path: str) -> str | None:
        try:
            rel = Path(path).resolve().relative_to(self._root).as_posix()
        except ValueError:
            return None
        name = rel.rsplit("/", 1)[-1]
        return None if name.startswith((".#", ".")) else rel


class DevServer:
    """Serves the last good build of one site and rebuilds it on every change."""

    def __init__(
        self, root: Path, out_dir: Path, host: str, port: int, drafts: bool, debug: bool = False
    ) -> None:
        self.root, self.out_dir, self.host, self.port = root, out_dir, host, port
        self.debug = debug
        self.options = BuildOptions(drafts=drafts)
        self.builder = site_builder(root, self.options, dev=True)
        self.status: dict[str, Any] = {"errors": [], "warnings": [], "served": False}
        self._replaced = False  # the first good build replaces whatever a past run left
        self._builds = 0
        self._pending: set[str] = set()
        self._notify = threading.Condition()
        self._stopping = False
        self._loop: ioloop.IOLoop | None = None

    def rebuild(self, paths: Iterable[str] = ()) -> BuildResult | None:
        """Rebuild after `paths` changed; write what changed or keep the last good output.

        An unexpected exception is reported like a build error (in the overlay and the
        terminal, as E901) and the Builder is started afresh, so the next save rebuilds
        everything; the server itself never stops. Returns None after such a failure.
        """
        try:
            return self._rebuild(paths)
        except Exception as exc:
            diags = Diagnostics()
            report_internal_error(exc, diags, "rebuilding")
            served = self._served()
            errors = [asdict(d) for d in diags.items]
            self.status = {"errors": errors, "warnings": [], "served": served}
            say(format_text(diags.items), err=True)
            if self.debug:
                say(format_traceback(exc), err=True)
            say(f"spanvero serve: build failed (internal error); {_kept(served)}", err=True)
            self.builder = site_builder(self.root, self.options, dev=True)
            self._replaced = False
            return None

    def _rebuild(self, paths: Iterable[str]) -> BuildResult:
        self.builder.invalidate(paths)
        result = self.builder.build(today=build_date())
        diags = result.diagnostics
        seen = shown(diags.items)
        served = not diags.errors or self._served()
        self.status = {
            "errors": [asdict(d) for d in seen if d.severity is Severity.ERROR],
            "warnings": [asdict(d) for d in seen if d.severity is Severity.WARNING],
            "served": served,
        }
        if diags.items:
            say(format_text(diags.items), err=True)
        if diags.errors:
            failed = plural(diags.error_count, "error")
            say(f"spanvero serve: build failed ({failed}); {_kept(served)}", err=True)
        else:
            if self._replaced and self.out_dir.exists():
                write_changes(result, self.out_dir)
            else:
                write_site(result.outputs, self.out_dir)
                self._replaced = True
            settle_memory(self._builds)
            self._builds += 1
            say(
                f"spanvero serve: rebuilt in {result.seconds * 1000:.0f} ms, "
                f"{plural(len(result.changed), 'file')} changed",
                err=True,
            )
        return result

    def _served(self) -> bool:
        """Whether a good build is being served: this run's, or one an earlier run left in
        the preview folder (every build written there holds the writer's marker)."""
        return self._replaced or (self.out_dir / MARKER).is_file()

    def serve(self, open_browser: bool = False) -> int:
        """Build, serve and watch until Ctrl-C; return the exit code."""
        self.rebuild()
        try:
            sockets = netutil.bind_sockets(self.port, address=self.host)
        except OSError as exc:
            # A usage error (exit 2), reported by `cli.main` as every other one is.
            if exc.errno == errno.EADDRINUSE:
                raise UsageError(
                    f"port {self.port} on {self.host} is already in use; "
                    "stop the other server or choose another with --port"
                ) from None
            raise UsageError(
                f"cannot listen on {self.host} port {self.port}: {exc.strerror or exc}"
            ) from None
        bound_port = sockets[0].getsockname()[1]
        server = httpserver.HTTPServer(self._application(bound_port))
        server.add_sockets(sockets)
        self.port = bound_port
        observer = Observer()
        changes = _Changes(self.root.resolve(), self._notify, self._pending)
        for folder in WATCHED:
            if (self.root / folder).is_dir():
                observer.schedule(changes, str(self.root / folder), recursive=True)
        observer.start()
        worker = threading.Thread(target=self._rebuild_loop, args=(changes,), daemon=True)
        worker.start()
        url = f"http://{self.host}:{bound_port}/"
        say(f"spanvero serve: serving {url} (Ctrl-C to stop)", err=True, flush=True)
        if open_browser:
            webbrowser.open(url)
        loop = self._loop = ioloop.IOLoop.current()
        signal.signal(signal.SIGTERM, lambda *_: loop.add_callback_from_signal(loop.stop))
        with contextlib.suppress(KeyboardInterrupt):
            self._loop.start()
        with self._notify:
            self._stopping = True
            self._notify.notify()
        worker.join()  # a rebuild in progress finishes; its files are written atomically
        observer.stop()
        observer.join()
        say("spanvero serve: stopped", err=True)
        return 0

    def _rebuild_loop(self, changes: _Changes) -> None:
        while True:
            with self._notify:
                while not self._pending and not self._stopping:
                    self._notify.wait()
                if self._stopping:
                    return
                # Debounce: wait until the burst of events has been quiet for a moment.
                while time.monotonic() - changes.last_event < DEBOUNCE_SECONDS:
                    self._notify.wait(DEBOUNCE_SECONDS)
                paths = sorted(self._pending)
                self._pending.clear()
            result = self.rebuild(paths)
            if result is None:
                if self._loop is not None:  # the overlay shows the internal error
                    self._loop.add_callback(_Reload.reload_waiters, "*")
                continue
            only_css = bool(result.changed) and all(p.endswith(".css") for p in result.changed)
            target = "/" + result.changed[0] if only_css else "*"
            if self._loop is not None:
                self._loop.add_callback(_Reload.reload_waiters, target)

    def _application(self, port: int) -> web.Application:
        server = self

        class Status(web.RequestHandler):
            def get(self) -> None:
                self.set_header("Content-Type", "application/json")
                self.set_header("Cache-Control", "no-store")
                self.write(json.dumps(server.status))

        class Overlay(web.RequestHandler):
            def get(self) -> None:
                self.set_header("Content-Type", "text/javascript")
                self.set_header("Cache-Control", "no-store")
                self.write((files("spanvero_site") / "dev_overlay.js").read_text("utf-8"))

        return web.Application(
            [
                (r"/livereload", _Reload),
                (r"/livereload\.js", LiveReloadJSHandler),
                (STATUS_URL, Status),
                (OVERLAY_URL, Overlay),
                (
                    r"/(.*)",
                    SiteFiles,
                    {"path": str(self.out_dir), "default_filename": "index.html"},
                ),
            ],
            transforms=[_injector(port)],
        )


class _Reload(LiveReloadHandler):  # type: ignore[misc]  # livereload ships no type information
    """livereload's websocket handler, set up on our own subclass instead of patching the
    library's class for the whole process."""

    live_css = True  # a stylesheet change is swapped in without a reload
    # livereload's handler logs its watcher's last path; ours is watchdog, so give it none.
    watcher = SimpleNamespace(filepath=None)


class SiteFiles(web.StaticFileHandler):
    """The output folder, and nothing outside it: `..` and symlinks that leave it are 404s."""

    def prepare(self) -> None:
        if "\x00" in unquote(self.request.path):
            raise web.HTTPError(400)  # no file name holds a NUL byte

    @classmethod
    def get_absolute_path(cls, root: str, path: str) -> str:
        if not _inside(root, os.path.join(root, path)):
            raise web.HTTPError(404)  # as if absent: no hint of what lies outside
        return super().get_absolute_path(root, path)

    def validate_absolute_path(self, root: str, absolute_path: str) -> str | None:
        if not _inside(root, absolute_path):
            raise web.HTTPError(404)
        return super().validate_absolute_path(root, absolute_path)

    @classmethod
    def get_content_version(cls, abspath: str) -> str:
        return str(os.stat(abspath).st_mtime_ns)  # files change in place while serving

    def set_extra_headers(self, path: str) -> None:
        self.set_header("Cache-Control", "no-store")

    def write_error(self, status_code: int, **kwargs: Any) -> None:
        page = Path(self.root) / "404.html"
        if status_code == 404 and page.is_file():
            self.finish(page.read_bytes())
        else:
            self.finish(
                f"<!DOCTYPE html><html><head><title>{status_code}</title></head>"
                f"<body><h1>{status_code}</h1></body></html>"
            )


def _inside(root: str, path: str) -> bool:
    """Whether `path`, with `..` and symlinks resolved, is `root` or lies below it."""
    real_root = os.path.realpath(root)
    real = os.path.realpath(path)
    return real == real_root or real.startswith(real_root + os.sep)


def _injector(port: int) -> type[web.OutputTransform]:
    """Adds the livereload client and the error overlay script to every HTML response."""
    tags = (
        f'<script src="/livereload.js?port={port}"></script>'
        f'<script src="{OVERLAY_URL}" defer></script>'
    ).encode()

    class Inject(web.OutputTransform):
        def transform_first_chunk(
            self, status_code: int, headers: Any, chunk: bytes, finishing: bool
        ) -> tuple[int, Any, bytes]:
            if "text/html" in headers.get("Content-Type", "") and b"</head>" in chunk:
                chunk = chunk.replace(b"</head>", tags + b"</head>", 1)
                if "Content-Length" in headers:
                    # The first chunk of a large page is only its first 64 KB: the length
                    # grows by what was added, it is not the chunk's own length.
                    headers["Content-Length"] = str(int(headers["Content-Length"]) + len(tags))
            return status_code, headers, chunk

    return Inject


def serve(
    root: Path,
    host: str,
    port: int,
    *,
    drafts: bool,
    open_browser: bool,
    out_dir: Path,
    debug: bool = False,
) -> int:
    """The `spanvero serve` command."""
    return DevServer(root, out_dir, host, port, drafts, debug).serve(open_browser)
