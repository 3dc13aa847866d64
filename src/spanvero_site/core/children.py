"""Child processes (the worker pools, the cache save) that never outlive the build that started
them.

A build killed with SIGKILL cannot clean up after itself, so each child asks the kernel to kill
it when its parent dies (Linux's PR_SET_PDEATHSIG); elsewhere this is a no-op.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import functools
import os
import signal
import sys
from collections.abc import Callable

_PR_SET_PDEATHSIG = 1


def _load_prctl() -> Callable[..., int] | None:
    # Loaded once in the parent: a child between fork and exec must not load libraries.
    if not sys.platform.startswith("linux"):
        return None
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        prctl: Callable[..., int] = libc.prctl
        return prctl
    except (OSError, AttributeError):
        return None


_PRCTL = _load_prctl()


def die_with_parent(parent_pid: int) -> None:
    """In a child: be killed when `parent_pid` dies; exit at once if it already has."""
    if _PRCTL is None:
        return
    _PRCTL(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    if os.getppid() != parent_pid:  # the parent died before the request took effect
        os._exit(1)


def tied_to_this_process() -> Callable[[], None]:
    """A `preexec_fn` (or pool initializer) that ties the child to the calling process."""
    return functools.partial(die_with_parent, os.getpid())


class Forked:
    """A function run in a forked copy of this process, tied to it, waited for by `wait`.

    The persistent cache is saved this way after a cold build: pickling and writing 155 MB
    then runs on the core the writer leaves idle instead of before it. Fork only from a
    process that runs no other thread (the command line's main thread); the child leaves by
    `os._exit`, so it runs none of the parent's exit handlers and flushes none of its buffers.
    """

    def __init__(self, func: Callable[[], None]) -> None:
        parent = os.getpid()
        self._pid: int | None = os.fork()
        if self._pid == 0:
            code = 1
            try:
                die_with_parent(parent)
                func()
                code = 0
            finally:
                os._exit(code)

    def running(self) -> bool:
        """Whether the child has not been waited for yet."""
        return self._pid is not None

    def wait(self) -> bool:
        """Wait for the child to end (once); True if its function returned."""
        if self._pid is None:
            return True
        pid, self._pid = self._pid, None
        _, status = os.waitpid(pid, 0)
        return os.waitstatus_to_exitcode(status) == 0
