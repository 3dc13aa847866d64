"""The worker pool returns exactly the serial map, in order, whatever the split."""

from __future__ import annotations

import os

import pytest

from spanvero_site.core import pool


@pytest.mark.parametrize("count", [2, 3, 31, 32, 33, 1000])
@pytest.mark.parametrize("workers", [2, 3])
def test_fork_map_equals_the_serial_map_in_order(count: int, workers: int) -> None:
    items = [f"item {n}" for n in range(count)]
    results = pool.fork_map(lambda item: (item, os.getpid()), items, workers)
    assert [item for item, _ in results] == items
    assert {pid for _, pid in results} != {os.getpid()}  # computed on the workers


@pytest.mark.parametrize("count", [1, 2, 31, 32, 33, 4000, 4001])
def test_the_chunks_cover_every_index_once(count: int) -> None:
    chunks = pool._chunks(count, 2)
    covered = [index for start, stop in chunks for index in range(start, stop)]
    assert covered == list(range(count))
    assert len(chunks) <= 2 * pool.CHUNKS_PER_WORKER
