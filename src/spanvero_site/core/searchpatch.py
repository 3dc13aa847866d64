"""The search index after a few pages changed, patched in the files the last build wrote.

A resumed build (`core/resume.py`) changed a few pages and knows every other is as the last
build left it in the output folder, index included. Making the index again from every page's
Document means loading them all and merging 1.6 million postings (about 0.7 s at 4,000
pages); but a page's edit changes only its own postings, its length and, through the
lengths, the average. So the patch reads the index's files that hold those (`meta.json`, the
pages' `pages-N.json` and the `terms-XX.json` of each term whose weight changed) and writes
them again as `search._files` would have made them, byte for byte (the tests compare).
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Sequence
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
    """The index files to write and to remove, and what the search store keeps of each page
    (by output path)."""

    files: list[Output]
    removed: list[str]
    known: dict[str, Known]


def patch_index(
    changes: Sequence[tuple[bytes, Output]], read: Callable[[str], bytes]
) -> Patch | None:
    """The index's changes when each page at `new.path` changed from the bytes `old` to `new`
    (`changes` holds the pairs), every other page being as the index in the output folder
    (read by `read(path)`) was made from; None when a patch cannot say (a page enters or
    leaves the index, or the files are not of this format): the caller then makes the whole
    index."""
    pages = []
    for old, new in changes:
        before, after = document(Output(new.path, old)), document(new)
        if before is None or after is None:
            if before is not after:
                return None
        elif before.url != after.url:
            return None
        else:
            pages.append((before, after, new))
    if not pages:
        return Patch([], [], {})
    meta = json.loads(read(f"{SUBDIR}/meta.json"))
    if meta.get("version") != FORMAT:
        return None
    found = _find(meta, {after.url for _, after, _ in pages}, read)
    if found is None:
        return None
    numbers, chunks = found
    size = meta["chunk"]
    changed: dict[str, dict[int, int | None]] = {}  # term: page number: new weight or None
    for before, after, _ in pages:
        number = numbers[after.url]
        chunks[number // size][number % size] = page_entry(after)
        meta["lengths"][number] = after.length
        old_weights, new_weights = dict(before.pairs()), dict(after.pairs())
        for term in old_weights.keys() | new_weights.keys():
            if old_weights.get(term) != new_weights.get(term):
                changed.setdefault(term, {})[number] = new_weights.get(term)
    meta["average"] = average(meta["lengths"])
    files = [index_file(f"pages-{chunk}.json", chunks[chunk]) for chunk in sorted(chunks)]
    removed = []
    shards = set(meta["shards"])
    for key in sorted({term_file(term) for term in changed}):
        name = f"terms-{key}.json"
        terms = json.loads(read(f"{SUBDIR}/{name}")) if key in shards else {}
        for term in (t for t in changed if term_file(t) == key):
            postings = terms.get(term, [])
            for number, weight in sorted(changed[term].items()):
                postings = _without(postings, number)
                if weight is not None:
                    postings = _with(postings, number, weight)
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
    known = {new.path: (page_key(new), after) for _, after, new in pages}
    return Patch(files, removed, known)


def _find(
    meta: dict[str, Any], urls: set[str], read: Callable[[str], bytes]
) -> tuple[dict[str, int], dict[int, list[Any]]] | None:
    """Each page's number in the index, and the entries of each pages file that lists one
    (by the file's number); None when one is not listed."""
    size = meta["chunk"]
    numbers: dict[str, int] = {}
    chunks: dict[int, list[Any]] = {}
    for chunk in range(math.ceil(meta["pages"] / size)):
        entries = json.loads(read(f"{SUBDIR}/pages-{chunk}.json"))
        for offset, entry in enumerate(entries):
            if entry[0] in urls:
                numbers[entry[0]] = chunk * size + offset
                chunks[chunk] = entries
        if len(numbers) == len(urls):
            return numbers, chunks
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
