"""The `spanvero` command: build, check, serve and scaffold, with honest exit codes.

Exit codes: 0 ok, 1 content errors (or warnings under --strict, or an internal error, reported
as diagnostic E901), 2 usage errors (including an output folder that must not be replaced).
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import os
import sys
import time
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

import spanvero_site
from spanvero_site.core.cache import Resumed, RunCache
from spanvero_site.core.dates import editor_day
from spanvero_site.core.diagnostics import Diagnostics, did_you_mean
from spanvero_site.core.guard import report_internal_error
from spanvero_site.core.options import BuildOptions
from spanvero_site.core.writer import OutputRefused, output_problem, recover
from spanvero_site.reporting import Stopped, report, report_stop, repository_prefix
from spanvero_site.stopped import UsageError, interrupted, usage_error
from spanvero_site.terminal import plural, printable, say

# Each command imports what it needs when it runs: a build with nothing to do never loads
# Jinja, markdown-it or Pygments, and only `serve` loads tornado, livereload and watchdog.
if TYPE_CHECKING:
    from spanvero_site.core.builder import BuildResult
    from spanvero_site.core.cache import ShardedStore
    from spanvero_site.core.pages import Output
    from spanvero_site.core.searchpatch import Patch

EXIT_OK, EXIT_CONTENT = 0, 1
_FIRST_RUN = [spanvero_site.IMPORTED]  # a process's first run counts from its imports


class _Parser(argparse.ArgumentParser):
    """argparse that stops with `UsageError`, for `main` to report in the format asked for."""

    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        raise UsageError(message)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit code. No exception escapes as a traceback; a
    usage error found while parsing (argparse's own) exits with SystemExit(2), as argparse
    does, after the same report as any other usage error."""
    words = sys.argv[1:] if argv is None else list(argv)
    try:
        # The prices commands' parser needs the catalogue's code: load it only when asked for.
        args = _parser(prices="prices" in words).parse_args(words)
    except UsageError as exc:
        raise SystemExit(usage_error(words, exc.message)) from None
    except KeyboardInterrupt:
        return interrupted(words)
    reported: list[bool] = []  # whether the run's own report was printed
    try:
        return _run(args, reported)
    except UsageError as exc:
        return usage_error(words, exc.message)
    except Stopped as exc:
        command = " ".join(w for w in (args.command, getattr(args, "prices_command", None)) if w)
        return report_stop(getattr(args, "format", "text"), command, exc)
    except KeyboardInterrupt:
        # After the report, a second document would make stdout unparseable: only stderr.
        return interrupted([] if reported else words)
    except BrokenPipeError:
        # Whoever read our output stopped early (`spanvero explain | head`): stop quietly, as
        # Unix tools do, and keep Python from complaining when it flushes stdout at exit.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_CONTENT
    except Exception as exc:
        diags = Diagnostics()
        report_internal_error(
            exc, diags, f"running '{args.command}'", debug=getattr(args, "debug", False)
        )
        summary = {"command": args.command, "ok": False, "status": "internal error"}
        summary["exit_code"] = EXIT_CONTENT
        report(getattr(args, "format", "text"), diags.items, summary, "")
        return EXIT_CONTENT


def _run(args: argparse.Namespace, reported: list[bool]) -> int:
    """The command `args` names; `reported` gets an item once the run's report is printed."""
    root = Path(args.root).resolve()
    if args.command in ("build", "check", "serve") and not (root / "content").is_dir():
        return _usage(f"no content/ folder in {root}")
    if args.command == "new":
        return _new(root, args)
    if args.command == "explain":
        return _explain(args.code)
    if args.command == "prices":
        from spanvero_site import prices_cli

        return prices_cli.run(root, args)
    if getattr(args, "base_url", None):
        from spanvero_site.core.schema import base_url_problem  # site.yaml's rule, the same

        if problem := base_url_problem(args.base_url):
            return _usage(f"--base-url {args.base_url!r}: {problem}")
    if getattr(args, "out", None) == "":
        return _usage("--out needs a folder name")
    if args.command == "serve":
        out = Path(args.out) if args.out else root / ".spanvero" / "serve"
        recover(out)
        if problem := output_problem(root, out):
            return _usage(f"cannot use {out} for the preview: {problem}")
        if problem := _host_problem(args.host):
            return _usage(f"--host {args.host!r}: {problem}")
        from spanvero_site.devserver import serve  # tornado and watchdog load only for serve

        return serve(
            root,
            args.host,
            args.port,
            drafts=args.drafts,
            open_browser=args.open,
            out_dir=out,
            debug=args.debug,
        )
    out = Path(args.out) if getattr(args, "out", None) else root / "_site"
    if args.command == "build":
        recover(out)  # put back or clean up what a killed build left
    if args.command == "build" and (problem := output_problem(root, out)):
        return _usage(f"cannot write the site to {out}: {problem}")
    options = BuildOptions(
        drafts=args.drafts,
        base_url=args.base_url,
        strict=args.strict,
        workers=_workers(),  # this is the main thread: forking is safe
        cache=True,
    )
    # The summary times the whole run: imports (on a process's first run), build, write, search.
    started = _FIRST_RUN.pop() if _FIRST_RUN else time.perf_counter()
    target = out if args.command == "build" else None
    search = args.command == "build" and not args.no_search
    run = RunCache.open(root, options, args.command, target, search)  # nothing changed: no work
    if run.hit is not None:
        diags = Diagnostics()
        diags.extend(run.hit.diagnostics)
        failed = diags.has_errors(args.strict)
        seconds = time.perf_counter() - started
        _report(args, root, run.hit.pages, diags, 0, failed, seconds)  # nothing written
        reported.append(True)
        return EXIT_CONTENT if failed else EXIT_OK
    with _collector_paused():  # the rest of the run: the caches, the build, the write
        done = _build_and_write(args, root, options, run, target, search)
    if isinstance(done, int):
        return done
    result, written, failed = done
    seconds = time.perf_counter() - started
    _report(args, root, result.pages, result.diagnostics, written, failed, seconds)
    reported.append(True)
    return EXIT_CONTENT if failed else EXIT_OK


def _build_and_write(
    args: argparse.Namespace,
    root: Path,
    options: BuildOptions,
    run: RunCache,
    target: Path | None,
    search: bool,
) -> tuple[BuildResult, int, bool] | int:
    """Build (resuming from the last clean build when only one page's source changed),
    write `target` and record the run; the result, the files written and whether it failed,
    or an exit code when the output folder must not be written."""
    keep = target is not None  # a later edit may resume from this build
    resumed = run.resumable() if keep else None
    result = _guarded_build(root, options, args.debug, resumed, keep)
    failed = result.diagnostics.has_errors(args.strict)
    written, state = 0, None
    if target is not None and not failed:
        from spanvero_site.core.cache import cache_folder
        from spanvero_site.core.writer import write_partial, write_site

        try:
            folder = cache_folder(root)
            if result.partial:
                partly = None
                if resumed is not None and folder is not None:
                    if result.resumable is not None:  # a new copy: made beside the writing
                        run.stage(result.resumable)
                    patch = search_patch(folder, result.outputs, target) if search else None
                    if patch is not None or not search:
                        outputs = (*result.outputs, *(patch.files if patch else ()))
                        removed = patch.removed if patch else ()
                        partly = write_partial(outputs, target, folder, resumed.out, removed)
                if partly is None:  # the folder is not as that build left it, or the search
                    # index cannot be patched: build and write the whole site
                    result = _guarded_build(root, options, args.debug, None, keep)
                    failed = result.diagnostics.has_errors(args.strict)
                else:
                    written, state = partly
            if not result.partial and not failed:
                if result.resumable is not None:
                    run.stage(result.resumable)  # made and saved beside the writing of the site
                outputs = result.outputs
                if search:
                    outputs = (*outputs, *search_index(folder, outputs))
                # the cache's manifest lets an edit rewrite only what changed
                written = write_site(outputs, target, cache=folder)
        except OutputRefused as exc:
            result.cache_saved()
            run.record(result, failed=True)
            return _usage(f"cannot write the site: {exc}")
        except OSError as exc:
            where = exc.filename or target
            result.diagnostics.error(
                "E102",
                f"cannot write the output: {exc.strerror or exc}",
                str(where),
                1,
                1,
                hint="check free disk space and that the output folder's parent is writable",
            )
            failed = True
        except Exception as exc:
            report_internal_error(
                exc, result.diagnostics, "writing the output", str(target), debug=args.debug
            )
            failed = True
    result.cache_saved()
    run.record(result, failed, state)
    return result, written, failed


def _workers() -> int:
    return min(os.cpu_count() or 1, 8)


def build(
    root: Path, options: BuildOptions, resumed: Resumed | None = None, keep: bool = False
) -> BuildResult:
    """Build the Spanvero site under `root` (imports the build stack on first use), resuming
    from the last clean build when `resumed` allows (see `site.build`)."""
    from spanvero_site.site import build as build_site

    return build_site(root, options, resumed, keep)


def search_index(folder: Path | None, outputs: Sequence[Output]) -> list[Output]:
    """The search index's files for these outputs (imports the indexer on first use), made on
    as many cores as builds use, from the last build's reading of every unchanged page (kept
    in the cache folder `folder`, when there is one)."""
    from spanvero_site.core.search import index_files

    store = _search_store(folder)
    index = index_files(outputs, _workers(), store.load())
    store.save(index.documents)  # rewrites only the shards of the pages read again
    return index.files


def search_patch(folder: Path, outputs: Sequence[Output], out: Path) -> Patch | None:
    """The search index's changes after a resumed build changed the pages in `outputs`,
    patched in the index the output folder `out` holds (the writer then checks that the
    folder is as the build resumed from left it); None when only a whole index will do."""
    from spanvero_site.core.searchpatch import patch_index

    pages = [o for o in outputs if o.path.endswith(".html")]
    try:
        changes = [((out / page.path).read_bytes(), page) for page in pages]
        patch = patch_index(changes, lambda path: (out / path).read_bytes())
    except (OSError, ValueError, KeyError, IndexError, TypeError):
        return None  # an index of another shape, or none: make it whole
    if patch is not None and patch.known:
        _search_store(folder).update(dict(patch.known))  # for the next full build
    return patch


def _search_store(folder: Path | None) -> ShardedStore:
    """What the search indexer read from each page, kept in the cache folder `folder`."""
    from spanvero_site.core.cache import SEARCH_MEMO, ShardedStore, code_key

    return ShardedStore(folder, SEARCH_MEMO, code_key())


@contextlib.contextmanager
def _collector_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector for a one-shot build.

    A build allocates many objects that all stay alive, and collections in the middle of it
    cost about a third of the time. The switch is process-wide, so only the command line's
    main thread flips it, never a server that keeps running other threads.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _guarded_build(
    root: Path, options: BuildOptions, debug: bool, resumed: Resumed | None, keep: bool
) -> BuildResult:
    """The build, with any exception that escapes it turned into an internal-error diagnostic."""
    started = time.perf_counter()
    try:
        return build(root, options, resumed, keep)
    except Exception as exc:
        from spanvero_site.core.builder import BuildResult

        diags = Diagnostics()
        report_internal_error(exc, diags, "building", debug=debug)
        return BuildResult((), diags, 0, time.perf_counter() - started)


def _host_problem(host: str) -> str | None:
    import socket

    if not host or any(c.isspace() or ord(c) < 32 for c in host):
        return "it is empty or contains whitespace"
    try:
        socket.getaddrinfo(host, None, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError, ValueError) as exc:
        return f"it is not an address or host name this machine can bind ({exc})"
    return None


def _port(text: str) -> int:
    try:
        port = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a port number") from None
    if not 0 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"{port} is outside 0-65535 (0 picks a free port)")
    return port


def _usage(message: str) -> NoReturn:
    """Stop the run with a usage error (exit code 2), which `main` reports in the asked format."""
    raise UsageError(message)


def _report(
    args: argparse.Namespace,
    root: Path,
    pages: int,
    diags: Diagnostics,
    written: int,
    failed: bool,
    seconds: float,
) -> None:
    summary = {
        "command": args.command,
        "ok": not failed,
        "status": "failed" if failed else "ok",
        "exit_code": EXIT_CONTENT if failed else EXIT_OK,
        "pages": pages,
        "files_written": written,
        "errors": diags.error_count,
        "warnings": len(diags.warnings),
        "seconds": round(seconds, 3),
    }
    line = summary_line(args.command, failed, pages, diags, seconds, written)
    report(args.format, diags.items, summary, line, prefix=repository_prefix(root))


def summary_line(
    command: str, failed: bool, pages: int, diags: Diagnostics, seconds: float, written: int = 0
) -> str:
    """The last line of a run, e.g. `spanvero check: ok: checked 1 page, 0 errors, 0 warnings`;
    a build that wrote says how many files it actually wrote (only those that changed)."""
    status = "failed" if failed else "ok"
    if command == "build" and not failed:
        done = f"built {plural(pages, 'page')}, wrote {plural(written, 'file')}"
    else:
        done = f"checked {plural(pages, 'page')}"
    nothing = " (nothing written)" if failed and command == "build" else ""
    return (
        f"spanvero {command}: {status}{nothing}: {done}, "
        f"{plural(diags.error_count, 'error')}, {plural(len(diags.warnings), 'warning')} "
        f"in {seconds:.2f} s"
    )


def _new(root: Path, args: argparse.Namespace) -> int:
    from spanvero_site.scaffold import _EXISTS, scaffold_explainer

    planned = scaffold_explainer(
        root, args.title, today=editor_day(), topic=args.topic, tags=args.tag
    )
    path = root / planned.source
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("x", encoding="utf-8") as file:
            file.write(planned.text)
    except FileExistsError:  # written since it was planned
        _usage(_EXISTS.format(planned.source))
    except OSError as exc:
        refused = Diagnostics()
        message = f"cannot create the explainer: {exc.strerror or exc}"
        hint = "check that content/learn/ is a folder this user may write to"
        refused.error("E102", message, planned.source, 1, 1, hint)
        raise Stopped(refused.items, "refused: nothing written") from None
    say(
        f"created {planned.source} (a draft: write its answer and body, then "
        "`spanvero check --strict --drafts`; build with --drafts to preview it)"
    )
    if planned.asked_by is not None:
        asked = planned.asked_by
        say(
            f"warning: {asked.source}:{asked.line_of('title')[0]} already asks this question "
            f"('{asked.title}'); merge what you meant to write into it, or ask a different "
            "question (check reports it, W607)"
        )
    for tag in planned.new_tags:
        say(
            f"note: no published page has the tag '{printable(tag)}' yet; check --strict "
            "reports it (W605) until a second page has it"
        )
    return EXIT_OK


def _explain(code: str | None) -> int:
    from spanvero_site.explain import codes, explanation, format_explanation, format_index

    if code is None:
        say(format_index(), end="")
        return EXIT_OK
    entry = explanation(code)
    if entry is None:
        hint = did_you_mean(code.upper(), codes()) or "`spanvero explain` lists every code"
        return _usage(f"no diagnostic code {code!r}; {hint}")
    say(format_explanation(entry), end="")
    return EXIT_OK


def _parser(prices: bool = True) -> argparse.ArgumentParser:
    """The command line; without `prices`, that command is listed but not loaded."""
    parser = _Parser(prog="spanvero", description="Build the Spanvero site.")
    parser.add_argument(
        "--root", default=".", metavar="DIR", help="site folder with content/ (default: .)"
    )
    parser.add_argument(
        "--debug", action="store_true", help="print the traceback of an internal error"
    )
    commands = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    for name, helptext in (
        ("build", "build the site into the output folder"),
        ("check", "run every check without writing anything"),
    ):
        sub = commands.add_parser(name, help=helptext)
        if name == "build":
            sub.add_argument("--out", metavar="DIR", help="output folder (default: _site)")
            sub.add_argument("--no-search", action="store_true", help="skip the search index")
        sub.add_argument("--strict", action="store_true", help="fail on warnings too")
        sub.add_argument("--drafts", action="store_true", help="include draft pages")
        sub.add_argument(
            "--base-url", metavar="URL", help="serve from this URL, e.g. https://example.org/docs/"
        )
        sub.add_argument(
            "--format",
            choices=("text", "json", "github"),
            default="text",
            help="text (default), json, or github: GitHub Actions annotations",
        )
        _debug_option(sub)
    serve = commands.add_parser("serve", help="live preview with incremental rebuilds")
    serve.add_argument(
        "--host", default="127.0.0.1", metavar="ADDR", help="address to bind (default 127.0.0.1)"
    )
    serve.add_argument(
        "--port", type=_port, default=8000, metavar="N", help="port (default 8000; 0 picks one)"
    )
    serve.add_argument("--drafts", action="store_true", help="include draft pages")
    serve.add_argument("--open", action="store_true", help="open the site in a browser")
    serve.add_argument(
        "--out", metavar="DIR", help="folder for the preview build (default .spanvero/serve)"
    )
    _debug_option(serve)
    explain = commands.add_parser(
        "explain", help="what a diagnostic code means, with an example fix"
    )
    explain.add_argument("code", nargs="?", help="e.g. E302 (without it: every code)")
    new = commands.add_parser("new", help="scaffold a new page")
    new.add_argument("kind", choices=("learn",))
    new.add_argument("title", help='the question, e.g. "What is LoRA?"')
    new.add_argument("--topic", metavar="ID", help="a topic id from site.yaml (default: the first)")
    new.add_argument(
        "--tag",
        action="append",
        default=[],
        help="a tag (repeat for more; default: tags in use that the question names)",
    )
    if prices:
        from spanvero_site import prices_cli

        prices_cli.add_parser(commands, _Parser)
    else:  # listed in --help; main() builds the real one whenever "prices" is on the line
        commands.add_parser("prices", help="record a price observation, or list stale ones")
    return parser


def _debug_option(parser: argparse.ArgumentParser) -> None:
    """--debug after the command too; SUPPRESS keeps a global --debug from being reset."""
    parser.add_argument(
        "--debug", action="store_true", default=argparse.SUPPRESS, help=argparse.SUPPRESS
    )


if __name__ == "__main__":
    raise SystemExit(main())
