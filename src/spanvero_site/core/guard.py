"""Turn an exception that escapes a stage into an internal-error diagnostic, never a traceback.

Every expected problem is a Diagnostic; an exception reaching the command line is a bug. It is
reported like any other problem (code E901, the file being processed when known, the
exception's one-line summary) so that `--format json` stays valid and the exit code is 1; the
traceback is printed only with `--debug`. `processing(path)` marks which source a block works
on: the innermost mark on the way out names the file.
"""

from __future__ import annotations

import contextlib
import functools
import traceback
from collections.abc import Callable, Iterator
from typing import ParamSpec, TypeVar

from spanvero_site.core.diagnostics import Diagnostics, excerpt
from spanvero_site.terminal import say

INTERNAL = "E901"
P = ParamSpec("P")
R = TypeVar("R")
_SOURCE_ATTRIBUTE = "_spanvero_source"


@contextlib.contextmanager
def processing(path: str) -> Iterator[None]:
    """Name `path` as the file being processed if an unexpected exception leaves this block."""
    try:
        yield
    except Exception as exc:
        if not hasattr(exc, _SOURCE_ATTRIBUTE):
            with contextlib.suppress(AttributeError, TypeError):
                setattr(exc, _SOURCE_ATTRIBUTE, path)
        raise


def processes(path: str) -> Callable[[Callable[P, R]], Callable[P, R]]:
    """Decorate a loader of one file: `processing(path)` around each call."""

    def decorate(function: Callable[P, R]) -> Callable[P, R]:
        @functools.wraps(function)
        def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
            with processing(path):
                return function(*args, **kwargs)

        return wrapper

    return decorate


def source_of(exc: BaseException) -> str | None:
    """The file `exc` escaped from, when a `processing` block named it."""
    return getattr(exc, _SOURCE_ATTRIBUTE, None)


def report_internal_error(
    exc: BaseException,
    diags: Diagnostics,
    stage: str,
    path: str | None = None,
    debug: bool = False,
) -> None:
    """Record `exc` as an E901 diagnostic: where, what, and that it is our bug; with `debug`
    (--debug), also print its traceback to stderr."""
    if debug:
        say(format_traceback(exc), err=True)
    source = source_of(exc)
    where = source if source and "/" in source else path or "(spanvero)"
    summary = excerpt(str(exc).strip().splitlines()[0] if str(exc).strip() else "", 160)
    diags.error(
        INTERNAL,
        f"internal error while {stage}: {type(exc).__name__}" + (f": {summary}" if summary else ""),
        where,
        1,
        1,
        hint="this is a bug in spanvero; please report it with this message "
        "(run again with --debug for the traceback)",
    )


def format_traceback(exc: BaseException) -> str:
    """The full traceback, for --debug."""
    return "".join(traceback.format_exception(exc))
