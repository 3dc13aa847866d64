"""The search index after one page changed, patched in the files the last build wrote.

A resumed build (`core/resume.py`) changed one page and knows every other is as the last build
left it in the output folder, index included. Making the index again from every page's
Document means loading them all and merging 1.6 million postings (about 0.7 s at 4,000
pages); but one page's edit changes only its own postings, its length and, through the
lengths, the average. So the patch reads the index's files that hold those (`meta.json`, the
page's `pages-N.json` and the `terms-XX.json` of each term whose weight changed) and writes
them again as `search._files` would have made them, byte for byte (the tests compare).
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from spanvero_site.core.pages import Output
from spanvero_site.core.search import (
    FORMAT,
    SUBDIR,
    Known,
    average,
    document,
    index_file,
    page_entry,
    page_key,
    term_file,
)


@dataclass(frozen=True)
class Patch:
    """The index files to write and to remove, and what the search store keeps of the page."""

    files: list[Output]
    removed: list[str]
    known: Known | None


def patch_index(old: bytes, new: Output, read: Callable[[str], bytes]) -> Patch | None:
    """The index's changes when the page at `new.path` changed from the bytes `old` to `new`,
    every other page being as the index in the output folder (read by `read(path)`) was made
    from; None when a patch cannot say (the page enters or leaves the index, or the files are
    not of this format): the caller then makes the whole index."""
    before, after = document(Output(new.path, old)), document(new)
    if before is None or after is None:
        return Patch([], [], None) if before is after else None
    meta = json.loads(read(f"{SUBDIR}/meta.json"))
    if meta.get("version") != FORMAT or before.url != after.url:
        return None
    found = _find(meta, after.url, read)
    if found is None:
        return None
    number, chunk, entries = found
    entries[number - chunk * meta["chunk"]] = page_entry(after)
    meta["lengths"][number] = after.length
    meta["average"] = average(meta["lengths"])
    files = [index_file(f"pages-{chunk}.json", entries)]
    removed = []
    shards = set(meta["shards"])
    old_weights, new_weights = dict(before.pairs()), dict(after.pairs())
    changed = {
        t
        for t in old_weights.keys() | new_weights.keys()
        if old_weights.get(t) != new_weights.get(t)
    }
    for key in sorted({term_file(term) for term in changed}):
        name = f"terms-{key}.json"
        terms = json.loads(read(f"{SUBDIR}/{name}")) if key in shards else {}
        for term in (t for t in changed if term_file(t) == key):
            postings = _without(terms.get(term, []), number)
            if term in new_weights:
                postings = _with(postings, number, new_weights[term])
            if postings:
                terms[term] = postings
            else:
                terms.pop(term, None)
        if terms:
            files.append(index_file(name, terms))
            shards.add(key)
        elif key in shards:
            removed.append(f"{SUBDIR}/{name}")
            shards.discard(key)
    meta["shards"] = sorted(shards)
    files.insert(0, index_file("meta.json", meta))
    return Patch(files, removed, (page_key(new), after))


def _find(
    meta: dict[str, Any], url: str, read: Callable[[str], bytes]
) -> tuple[int, int, list[Any]] | None:
    """The page's number in the index, and the number and entries of the pages file that
    lists it."""
    size = meta["chunk"]
    for chunk in range(math.ceil(meta["pages"] / size)):
        entries = json.loads(read(f"{SUBDIR}/pages-{chunk}.json"))
        for offset, entry in enumerate(entries):
            if entry[0] == url:
                return chunk * size + offset, chunk, entries
    return None


def _without(postings: list[int], number: int) -> list[int]:
    """A term's postings (page, weight, page, weight...) less the page `number`'s."""
    return [
        value
        for i in range(0, len(postings), 2)
        if postings[i] != number
        for value in postings[i : i + 2]
    ]


def _with(postings: list[int], number: int, weight: int) -> list[int]:
    """A term's postings with page `number` at its place in page order."""
    at = next((i for i in range(0, len(postings), 2) if postings[i] > number), len(postings))
    return [*postings[:at], number, weight, *postings[at:]]
