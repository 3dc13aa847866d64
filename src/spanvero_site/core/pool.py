"""A map over forked worker processes that sends the work by fork, not by pickling.

The function and its items are already in the parent's memory when the workers are forked, so
only item indices go to the workers and only results come back: a page's view context (the
graph, rendered bodies, catalogue) is never pickled. Results come back in the items' order, so
the caller's output cannot depend on the number of workers.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from typing import Any, TypeVar

from spanvero_site.core.children import tied_to_this_process

T = TypeVar("T")
R = TypeVar("R")

# The job of the map in progress, read by the forked workers (set only around one map).
_JOB: tuple[Callable[[Any], Any], Sequence[Any]] | None = None


def fork_map(func: Callable[[T], R], items: Sequence[T], workers: int) -> list[R]:
    """`[func(item) for item in items]`, computed on `workers` forked processes."""
    global _JOB
    if workers < 2 or len(items) < 2:
        return [func(item) for item in items]
    workers = min(workers, len(items))
    _JOB = (func, items)
    try:
        context = multiprocessing.get_context("fork")
        # Workers die with the build (kill -9 included), never lingering as orphans.
        with ProcessPoolExecutor(
            workers, mp_context=context, initializer=tied_to_this_process()
        ) as pool:
            parts = list(pool.map(_run_chunk, _chunks(len(items), workers)))
    finally:
        _JOB = None
    return [result for part in parts for result in part]


def _chunks(count: int, workers: int) -> list[tuple[int, int]]:
    """`count` items as about CHUNKS_PER_WORKER runs per worker, handed out as workers free up.

    Many small runs rather than one share per worker: a worker that is slowed down takes fewer
    runs instead of holding the others up, and results come back (and are unpickled by the
    pool's reader thread) while the workers still work, not all at once at the end.
    """
    size = max(1, -(-count // (workers * CHUNKS_PER_WORKER)))
    return [(start, min(start + size, count)) for start in range(0, count, size)]


CHUNKS_PER_WORKER = 16


def _run_chunk(bounds: tuple[int, int]) -> list[Any]:
    """One run of items, by index into the job the worker was forked with."""
    assert _JOB is not None, "fork_map's job is set before its workers are forked"
    func, items = _JOB
    start, stop = bounds
    return [func(items[index]) for index in range(start, stop)]
