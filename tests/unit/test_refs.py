"""References that do not resolve: silent when their source failed, honest about drafts, and
never a hint that suggests another id for one that exists, or lists nothing."""

from __future__ import annotations

from spanvero_site.core.diagnostics import choose_from, listing
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
    assert _missing("llama-3-1-8b") is None
    assert KNOWN.failed("llama-3-1-8b")


def test_a_draft_is_called_a_draft_with_the_file_that_makes_it_one() -> None:
    assert _missing("lora") == Missing(
        "'lora' is a draft (draft: true in content/learn/lora.md)", DRAFT_HINT
    )
    assert not KNOWN.failed("lora")


def test_an_unknown_id_suggests_the_closest_one_even_if_that_one_failed() -> None:
    assert _missing("llama-3-1-8c") == Missing(
        "unknown id 'llama-3-1-8c'", "did you mean 'llama-3-1-8b'?"
    )
    assert _missing("zzz") == Missing("unknown id 'zzz'", "use an id")


def test_when_a_source_failed_before_naming_its_ids_no_unknown_id_is_reported() -> None:
    unread = Known.of(["h100-sxm"], unreadable=["content/data/gpus.yaml"])
    assert unread.missing("rtx-4090", "unknown GPU id 'rtx-4090'", "use an id") is None
    assert "h100-sxm" in unread and "rtx-4090" not in unread


def test_a_usable_id_wins_over_a_failed_duplicate() -> None:
    known = Known.of(["a"], [Unusable("a", "", "x.yaml")])
    assert known.missing("a", "unknown", "hint") is None and not known.failed("a")


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
