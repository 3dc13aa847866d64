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


def test_a_patched_index_equals_the_whole_index_after_any_edit_of_a_few_pages() -> None:
    """One page at a time (a body edit) and several at once (a title that other pages show),
    terms shared between the pages edited together included."""
    rng = random.Random(15)
    site = pages(rng, 40)
    added = removed = several = 0
    for _ in range(80):
        files = {o.path: o.data for o in search.index_files(site).files}
        edited = rng.sample(range(len(site)), rng.choice([1, 1, 2, 5]))
        changes = []
        for at in edited:
            new = explainer(site[at].path, f"Page {at} {rng.choice(WORDS)}", text(rng))
            changes.append((site[at].data, new))
            site[at] = new
        whole = {o.path: o.data for o in search.index_files(site).files}
        patch = patch_index(changes, files.__getitem__)
        assert patch is not None
        patched = {**files, **{o.path: o.data for o in patch.files}}
        for path in patch.removed:
            del patched[path]
        assert patched == whole
        assert {path: doc for path, (_, doc) in patch.known.items()} == {
            new.path: search.document(new) for _, new in changes
        }
        added += len(whole.keys() - files.keys())
        removed += len(patch.removed)
        several += len(edited) > 1
    assert added and removed and several  # edits added and removed whole terms files


def test_a_page_that_enters_or_leaves_the_index_needs_the_whole_index() -> None:
    rng = random.Random(1)
    site = pages(rng, 5)
    files = {o.path: o.data for o in search.index_files(site).files}
    unmarked = Output(site[0].path, b"<html><body><p>no body mark</p></body></html>")
    edit = explainer(site[1].path, "Page 1", text(rng))
    assert patch_index([(site[0].data, unmarked)], files.__getitem__) is None
    assert patch_index([(unmarked.data, site[0])], files.__getitem__) is None
    assert patch_index([(site[1].data, edit), (unmarked.data, site[0])], files.__getitem__) is None
    neither = patch_index([(unmarked.data, unmarked)], files.__getitem__)
    assert neither is not None and neither.files == [] and neither.removed == []
