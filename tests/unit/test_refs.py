"""References that do not resolve: no second error when their source failed (only a note,
shown in that source's error, that their check waits on it), honest about drafts, and never a
hint that suggests another id for one that exists, or lists nothing."""

from __future__ import annotations

from spanvero_site.core.diagnostics import (
    Diagnostics,
    choose_from,
    format_github,
    format_json,
    format_text,
    listing,
    shown,
)
from spanvero_site.core.pages import Unusable
from spanvero_site.core.refs import DRAFT_HINT, Known, Missing

FAILED = Unusable("llama-3-1-8b", "/models/llama-3-1-8b/", "content/models/llama-3-1-8b.yaml")
DRAFT = Unusable("lora", "/learn/lora/", "content/learn/lora.md", draft=True)
KNOWN = Known.of(["llama-3-1-70b", "qlora"], [FAILED, DRAFT])


def _missing(ref: str) -> Missing | None:
    return KNOWN.missing(ref, f"unknown id '{ref}'", "use an id")


def test_a_resolved_id_is_fine() -> None:
    assert _missing("qlora") is None


def test_an_id_whose_source_failed_is_not_reported_again_nor_called_something_else() -> None:
    missing = _missing("llama-3-1-8b")
    assert missing == Missing("'llama-3-1-8b'", "", "content/models/llama-3-1-8b.yaml")
    assert KNOWN.waits_on("llama-3-1-8b") == "content/models/llama-3-1-8b.yaml"


def test_the_checks_a_failed_source_left_undone_are_named_once_in_its_own_error() -> None:
    """However many references wait on one source, its first error lists them, once."""
    diags = Diagnostics()
    model = "content/models/llama-3-1-8b.yaml"
    diags.error("E203", "'layers' must be a whole number", model, 9, 1, "write it like: 32")
    diags.error("E204", "missing key 'name'", model, 1, 1, "add 'name: ...'")
    missing = _missing("llama-3-1-8b")
    assert missing is not None
    for path, line in (("content/data/prices.yaml", 40), ("content/learn/a.md", 12)):
        missing.report(diags, "E302", path, line, 3)
    assert diags.error_count == 2
    assert [(d.line, d.hint) for d in shown(diags.items)] == [
        (
            1,
            "add 'name: ...'; 2 references are not checked until this file loads: "
            "content/data/prices.yaml:40 ('llama-3-1-8b'), content/learn/a.md:12 ('llama-3-1-8b')",
        ),
        (9, "write it like: 32"),
    ]


def test_a_draft_is_called_a_draft_with_the_file_that_makes_it_one() -> None:
    assert _missing("lora") == Missing(
        "'lora' is a draft (draft: true in content/learn/lora.md)", DRAFT_HINT
    )
    assert KNOWN.waits_on("lora") is None


def test_an_unknown_id_suggests_the_closest_one_even_if_that_one_failed() -> None:
    assert _missing("llama-3-1-8c") == Missing(
        "unknown id 'llama-3-1-8c'", "did you mean 'llama-3-1-8b'?"
    )
    assert _missing("zzz") == Missing("unknown id 'zzz'", "use an id")


def test_when_a_source_failed_before_naming_its_ids_every_unknown_id_waits_on_it() -> None:
    unread = Known.of(["h100-sxm"], unreadable=["content/data/gpus.yaml"])
    missing = unread.missing("rtx-4090", "unknown GPU id 'rtx-4090'", "use an id")
    assert missing == Missing("'rtx-4090'", "", "content/data/gpus.yaml")
    assert "h100-sxm" in unread and "rtx-4090" not in unread


def test_a_usable_id_wins_over_a_failed_duplicate() -> None:
    known = Known.of(["a"], [Unusable("a", "", "x.yaml")])
    assert known.missing("a", "unknown", "hint") is None and known.waits_on("a") is None


def test_a_hint_made_from_a_list_never_prints_an_empty_list() -> None:
    assert listing("use an id from ", [], "there is no GPU") == "there is no GPU"
    assert (
        listing("use an id from ", ["a", "b", "c"], "none", limit=2) == "use an id from a, b, ..."
    )
    assert listing("options: ", ["a", "b"], "none") == "options: a, b"
    assert choose_from("x", [], "topics: ", "site.yaml has no topics") == "site.yaml has no topics"
    assert choose_from("bsics", ["basics"], "topics: ", "none") == "did you mean 'basics'?"


def test_an_old_id_of_a_renamed_page_is_answered_with_its_new_id() -> None:
    """Also when the old id is misspelled; an old id that names a page again is that page."""
    known = Known.of(
        ["vram-basics", "vram-guide"], renamed={"vram": "vram-basics", "vram-guide": "x"}
    )
    assert known.missing("vram", "unknown id 'vram'", "use an id") == Missing(
        "unknown id 'vram'", "use 'vram-basics': the page was renamed and 'vram' is its old name"
    )
    assert known.missing("vrm", "unknown", "use an id") == Missing(
        "unknown", "did you mean 'vram-basics'?"
    )
    assert known.missing("vram-guide", "unknown", "use an id") is None


def test_no_format_shows_a_check_left_undone_as_a_diagnostic_of_its_own() -> None:
    diags = Diagnostics()
    diags.error("E202", "malformed YAML", "content/data/gpus.yaml", 3, 1, "check indentation")
    diags.unchecked("content/data/gpus.yaml", "'rtx-4090'", "content/data/prices.yaml", 9, 5)
    text = format_text(diags.items)
    assert text == (
        "content/data/gpus.yaml:3:1: error[E202]: malformed YAML\n  hint: check indentation; "
        "1 reference is not checked until this file loads: content/data/prices.yaml:9 ('rtx-4090')"
    )
    for shown_as in (format_github(diags.items), format_json(diags.items, {})):
        assert "unchecked" not in shown_as and "content/data/prices.yaml:9" in shown_as


def _waiting_on_gpus(count: int) -> str:
    """The hint of gpus.yaml's error when `count` references to its GPUs wait on it."""
    diags = Diagnostics()
    diags.error("E202", "malformed YAML", "content/data/gpus.yaml", 3, 1, "check indentation")
    for line in range(count, 0, -1):  # recorded in any order, listed in the files' order
        diags.unchecked("content/data/gpus.yaml", "'rtx-4090'", "content/data/prices.yaml", line, 5)
    (error,) = shown(diags.items)
    return error.hint.removeprefix("check indentation; ")


def test_a_long_list_of_references_waiting_shows_the_first_five_and_counts_the_rest() -> None:
    """A broken gpus.yaml on a large site has hundreds of references waiting: the hint lists
    the first places, in order, and how many more (never "1 more": that one is listed)."""
    places = [f"content/data/prices.yaml:{line} ('rtx-4090')" for line in range(1, 8)]
    assert _waiting_on_gpus(7) == (
        f"7 references are not checked until this file loads: {', '.join(places[:5])}, and 2 more"
    )
    assert _waiting_on_gpus(6).endswith(f": {', '.join(places[:6])}")
    assert _waiting_on_gpus(500).endswith(f"{places[4]}, and 495 more")


def test_a_site_wide_check_waiting_is_said_once_beside_the_references() -> None:
    diags = Diagnostics()
    diags.error("E202", "malformed YAML", "content/learn/lora.md", 2, 1, "check indentation")
    diags.unchecked("content/learn/lora.md", "'lora'", "content/learn/qlora.md", 5, 1)
    for _ in range(2):  # two sections' runs of the same check: one sentence
        diags.unchecked_site("content/learn/lora.md", "orphans (W604)")
    (error,) = shown(diags.items)
    assert error.hint == (
        "check indentation; 1 reference is not checked until this file loads: "
        "content/learn/qlora.md:5 ('lora'); orphans (W604) are not checked on any page until "
        "this file loads"
    )
