"""A resumed build patches the search index in place: the patch must give, file for file, the
index a whole rebuild would make (`core/searchpatch.py`)."""

from __future__ import annotations

import random

from spanvero_site.core import search
from spanvero_site.core.pages import Output
from spanvero_site.core.searchpatch import patch_index
from tests.unit.test_search_index import explainer

# Words whose first two letters many pages share, and rare ones each alone in its terms file
# (so that an edit adds and removes whole files), one not in a-z0-9.
WORDS = ["model", "memory", "gpu", "quantized", "lora", "adapter", "rank", "tokens", "cost"]
RARE = [f"q{letter}rare" for letter in "abcdefghijklmnop"] + ["ébène"]


def pages(rng: random.Random, count: int) -> list[Output]:
    return [
        explainer(f"learn/page-{n:03}/index.html", f"Page {n} {rng.choice(WORDS)}", text(rng))
        for n in range(count)
    ]


def text(rng: random.Random) -> str:
    words = [rng.choice(WORDS) for _ in range(rng.randrange(5, 40))]
    if rng.random() < 0.5:
        words.insert(rng.randrange(len(words)), rng.choice(RARE))
    return "<p>" + " ".join(words) + "</p>"


def test_a_patched_index_equals_the_whole_index_after_any_one_page_edit() -> None:
    rng = random.Random(15)
    site = pages(rng, 40)
    added = removed = 0
    for _ in range(80):
        files = {o.path: o.data for o in search.index_files(site).files}
        at = rng.randrange(len(site))
        old = site[at]
        new = explainer(old.path, f"Page {at} {rng.choice(WORDS)}", text(rng))
        site[at] = new
        whole = {o.path: o.data for o in search.index_files(site).files}
        patch = patch_index(old.data, new, files.__getitem__)
        assert patch is not None and patch.known is not None
        patched = {**files, **{o.path: o.data for o in patch.files}}
        for path in patch.removed:
            del patched[path]
        assert patched == whole
        assert patch.known[1] == search.document(new)
        added += len(whole.keys() - files.keys())
        removed += len(patch.removed)
    assert added and removed  # the edits did add and remove whole terms files


def test_a_page_that_enters_or_leaves_the_index_needs_the_whole_index() -> None:
    rng = random.Random(1)
    site = pages(rng, 5)
    files = {o.path: o.data for o in search.index_files(site).files}
    unmarked = Output(site[0].path, b"<html><body><p>no body mark</p></body></html>")
    assert patch_index(site[0].data, unmarked, files.__getitem__) is None
    assert patch_index(unmarked.data, site[0], files.__getitem__) is None
    neither = patch_index(unmarked.data, unmarked, files.__getitem__)
    assert neither is not None and neither.files == [] and neither.removed == []
