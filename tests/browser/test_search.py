"""The /search/ page's own client (static/js/search.js) in Debian's chromium.

The page reads the index core/search.py writes under /search-index/. These tests hold its
tokenizer to the Python one, its ranking to the format's BM25 (`reference_ranking` below), and
check what a reader sees: prefixes, the query in the address, stale answers, paging, the strict
Content-Security-Policy, and the note when there is no index.
"""

from __future__ import annotations

import json
import math
import re
import unicodedata
from collections import Counter
from pathlib import Path
from urllib.parse import quote

import pytest

from spanvero_site.core.search import stem, tokenize
from tests.conftest import REPO

pytestmark = pytest.mark.browser

# Text where a JavaScript tokenizer most easily parts from Python's: case and normalisation
# beyond ASCII, digits, hyphens, the "s" rule's exceptions, other scripts, characters beyond
# U+FFFF (two UTF-16 units, one code point) and the length limits, which apply to the stem.
TRICKY = (
    "Quantization, QUANTIZED, quantizing, quantizer, quantize; libraries, applied, repeatedly",
    "Café naïve résumé Ångström façade coöperate",
    "e\u0301 decomposed, \ufb01ne-tuning with a ligature, ｆｕｌｌｗｉｄｔｈ, ① ½ x² ⅷ",
    "8b 8B h100 H100 4-bit fp8 Q4_K_M 1e-5 3.5 1,000 v0.6.3 2026-11-30",
    "fine-tuning state-of-the-art fine--tuning -lead trail- mixture-of-experts a-b",
    "status bus gpus plus versus glass class analysis this is us ss s ies ied",
    "quantisation optimisers analysed behaviours favourite centred metres catalogues licencing"
    " modelling travellers rise hour four odour timbre prologue pretence",
    "日本語のテキスト 中文 한국어",
    "Ελληνικά ΟΔΟΣ ΣΊΣΥΦΟΣ",
    "İstanbul Straße STRASSE ǅemal",
    "हिन्दी ภาษาไทย العربية ١٢٣",
    "𠀀𠀁𠀂 𝐁𝐨𝐥𝐝 🤖emoji🤖",
    "snake_case_word don't can’t tab\tnew\nline\u00a0nbsp",
    f"a b {'x' * 40} {'y' * 41} {'w' * 39}ing",
)
TOKENIZE = "texts => texts.map(t => window.spanveroSearch.tokenize(t))"


def shipped_texts() -> list[str]:
    """Every text file of the shipped content: Markdown bodies, front-matter and data."""
    files = sorted(p for p in (REPO / "content").rglob("*") if p.is_file())
    return [p.read_text(encoding="utf-8") for p in files]


def wait_for_answer(page, query: str) -> None:
    """Until the status line reports on `query` (so its results are shown)."""
    page.wait_for_function(
        "q => document.getElementById('search-status').textContent.endsWith('for “' + q + '”')",
        arg=query,
        timeout=10_000,
    )


def result_links(page) -> list[str]:
    return page.locator(".search-result-link").evaluate_all(
        "els => els.map(e => e.getAttribute('href'))"
    )


def search(page, site: str, query: str) -> list[str]:
    page.goto(f"{site}/search/?q={quote(query)}")
    wait_for_answer(page, query)
    return result_links(page)


def reported_count(page) -> int:
    status = page.inner_text("#search-status")
    return 0 if status.startswith("No results") else int(status.split()[0])


def reference_ranking(index: Path, query: str) -> list[str]:
    """The URLs a query must find, best first, by the format's BM25 (k1 1.2, b 0.75): each
    query token with the terms it stands for (the last token's, or an unknown token's, longer
    terms at 0.6) as one term, plus k1 + 1 for a match in the title."""
    meta = json.loads((index / "meta.json").read_text())
    count, lengths, average = meta["pages"], meta["lengths"], meta["average"]
    urls = [
        row[0]
        for n in range(math.ceil(count / meta["chunk"]))
        for row in json.loads((index / f"pages-{n}.json").read_text())
    ]
    matched: Counter[int] = Counter()
    score: dict[int, float] = {}
    tokens = list(dict.fromkeys(tokenize(query, compounds=False)))
    for position, token in enumerate(tokens):
        key = token[:2] if re.fullmatch("[a-z0-9]{2}", token[:2]) else "_"
        terms = (
            json.loads((index / f"terms-{key}.json").read_text()) if key in meta["shards"] else {}
        )
        found = [(token, 1.0)] if token in terms else []
        last = position == len(tokens) - 1
        if len(token) >= 3 and (last or not found):
            longer = [t for t in terms if t.startswith(token) and t != token]
            found += [(t, 0.6) for t in sorted(longer, key=lambda t: (len(t), t))[:50]]
        frequency: dict[int, float] = {}
        titled: dict[int, float] = {}
        for term, factor in found:
            postings = terms[term]
            for page_id, weight in zip(postings[::2], postings[1::2], strict=True):
                frequency[page_id] = frequency.get(page_id, 0.0) + factor * (weight // 2)
                if weight % 2:
                    titled[page_id] = max(titled.get(page_id, 0.0), factor)
        idf = math.log(1 + (count - len(frequency) + 0.5) / (len(frequency) + 0.5))
        for page_id, tf in frequency.items():
            norm = 1.2 * (0.25 + 0.75 * lengths[page_id] / average)
            part = tf * (1.2 + 1) / (tf + norm) + (1.2 + 1) * titled.get(page_id, 0.0)
            matched[page_id] += 1
            score[page_id] = score.get(page_id, 0.0) + idf * part
    ranked = sorted(matched, key=lambda i: (-matched[i], -score[i], i))
    return [urls[i] for i in ranked]


def test_the_tokenizer_equals_pythons_on_the_shipped_content_and_tricky_text(
    page, site_url: str
) -> None:
    page.goto(site_url + "/search/")
    texts = [*shipped_texts(), *TRICKY]
    expected = [tokenize(text, compounds=False) for text in texts]
    assert page.evaluate(TOKENIZE, texts) == expected
    # Every word on its own through stem, those too short or long to be kept included.
    folded = unicodedata.normalize("NFKC", "\n".join(texts)).lower()
    words = sorted(set(re.findall(r"[^\W_]+", folded)))
    assert len(words) > 3000
    stems = page.evaluate("words => words.map(w => window.spanveroSearch.stem(w))", words)
    assert [(w, s) for w, s in zip(words, stems, strict=True) if s != stem(w)] == []


def test_the_tokenizer_equals_pythons_on_every_assigned_character(page, site_url: str) -> None:
    """Each character Python's Unicode database assigns, doubled and followed by a letter, so
    the word rule, NFKC, lower-casing and the code-point length all show."""
    page.goto(site_url + "/search/")
    chars = [chr(c) for c in range(0x21, 0x110000)]
    texts = [c * 2 + "a" for c in chars if unicodedata.category(c) not in ("Cn", "Cs", "Co")]
    assert len(texts) > 100_000
    tokens = page.evaluate(TOKENIZE, texts)
    differ = [
        (f"U+{ord(text[0]):04X}", ours, theirs)
        for text, ours in zip(texts, tokens, strict=True)
        if ours != (theirs := tokenize(text, compounds=False))
    ]
    assert differ[:20] == []


QUERIES = (
    "quantization",
    "gpu rental",
    "fine-tuning",
    "finetuning",
    "quant",
    "memory bandwidth",
    "kv cache",
    "runpod h100",
    "Qwen3 8B",
    "a",
    "日本語",
)


def test_the_page_ranks_as_the_index_format_says(page, site_url: str, shipped_site: Path) -> None:
    for query in QUERIES:
        expected = reference_ranking(shipped_site / "search-index", query)
        assert search(page, site_url, query) == expected[:10], query
        assert reported_count(page) == len(expected), query


def test_a_partial_word_finds_the_explainer_and_is_marked_in_the_excerpt(
    page, site_url: str
) -> None:
    for partial in ("quantiz", "quant"):
        links = search(page, site_url, partial)
        assert links[0] == "/learn/quantization/", (partial, links)
    # "safeten" is no word of the site, only the start of one.
    assert search(page, site_url, "safeten")[0] == "/learn/safetensors/"
    search(page, site_url, "quantiz")
    first = page.locator(".search-result").first.locator(".search-result-excerpt mark").first
    first.wait_for(timeout=10_000)
    assert first.inner_text().lower().startswith("quantiz")


def test_an_excerpt_centres_on_the_query_word_that_counts_most_in_its_page(
    page, site_url: str
) -> None:
    """ "for" is on nearly every page, and "what" is rarer on this site than "lora": an
    excerpt around their first places says nothing about why the page matched. It centres on
    the word that counts most in the page (its count there times its idf)."""
    for query, url, word in [
        ("vram for a 70b model", "/learn/vram/", "vram"),
        ("what is lora", "/learn/lora/", "lora"),
    ]:
        links = search(page, site_url, query)
        excerpt = page.locator(".search-result").nth(links.index(url))
        excerpt = excerpt.locator(".search-result-excerpt")
        excerpt.locator("mark").first.wait_for(timeout=10_000)
        text = excerpt.inner_text()
        words = text.lower().split()
        assert word in [w.strip(".,:;()“”") for w in words[: len(words) // 2 + 2]], text


def test_a_word_in_one_pages_title_ranks_that_page_first(
    page, site_url: str, shipped_site: Path
) -> None:
    index = shipped_site / "search-index"
    pages = json.loads((index / "pages-0.json").read_text())
    titled = [url for url, title, _ in pages if "throughput" in tokenize(title)]
    assert titled == ["/learn/batching/"]
    links = search(page, site_url, "throughput")
    assert reported_count(page) > 10, "the word is in many pages' text, one page's title"
    assert links[0] == "/learn/batching/"


def test_the_query_comes_from_the_address_and_typing_puts_it_back(page, site_url: str) -> None:
    links = search(page, site_url, "lora")
    assert page.input_value("#search-q") == "lora"
    assert page.input_value("#site-search-q") == "lora"  # the header's box says it too
    assert "/learn/lora/" in links
    page.fill("#search-q", "pickle")
    page.wait_for_url("**/search/?q=pickle")
    wait_for_answer(page, "pickle")
    assert result_links(page) == ["/learn/safetensors/"]
    assert page.inner_text("#search-status") == "1 result for “pickle”"
    assert page.input_value("#site-search-q") == "pickle"
    page.reload()
    wait_for_answer(page, "pickle")
    assert page.input_value("#search-q") == "pickle"
    page.fill("#search-q", "")
    page.wait_for_url("**/search/")
    page.wait_for_function("!document.querySelector('.search-result')")
    assert page.inner_text("#search-status") == ""


def test_a_slower_earlier_query_never_overwrites_a_newer_one(page, site_url: str) -> None:
    held: list[object] = []

    def hold_the_first(route) -> None:
        if held:
            route.continue_()
        else:
            held.append(route)  # answered below, once the newer query is on screen

    page.route("**/search-index/terms-*.json", hold_the_first)
    page.goto(site_url + "/search/")
    page.wait_for_selector("#search-fallback", state="hidden")
    page.fill("#search-q", "runpod")
    while not held:
        page.wait_for_timeout(20)
    page.fill("#search-q", "advisor")
    wait_for_answer(page, "advisor")
    newer = result_links(page)
    assert "/advisor/" in newer and "/prices/" not in newer
    with page.expect_request_finished(lambda r: r.url.endswith("/terms-ru.json")):
        held[0].continue_()
    page.wait_for_timeout(300)  # time for a wrong client to show the stale answer
    assert page.inner_text("#search-status").endswith("for “advisor”")
    assert result_links(page) == newer
    assert page.url.endswith("/search/?q=advisor")


def test_show_more_results_adds_ten_at_a_time(page, site_url: str) -> None:
    links = search(page, site_url, "gpu")
    total = reported_count(page)
    assert total > 20 and len(links) == 10
    more = page.locator("button.search-more")
    shown = 10
    while shown < total:
        assert more.is_visible() and more.inner_text() == "Show more results"
        more.click()
        before, shown = shown, min(total, shown + 10)
        page.wait_for_function(
            "n => document.querySelectorAll('.search-result').length === n", arg=shown
        )
        # Focus goes to the first new result, not back to the top or past the list.
        assert page.evaluate(
            "n => document.activeElement === document.querySelectorAll('.search-result-link')[n]",
            before,
        )
    assert more.is_hidden()
    assert len(set(result_links(page))) == total


def test_search_works_under_a_strict_content_security_policy(page, csp_site_url: str) -> None:
    search(page, csp_site_url, "quantization")
    page.locator(".search-result-excerpt mark").first.wait_for(timeout=10_000)
    page.fill("#search-q", "pickle")
    wait_for_answer(page, "pickle")
    assert result_links(page) == ["/learn/safetensors/"]
    # the `page` fixture fails the test on any console error, CSP refusals included


def test_without_an_index_the_page_says_so_and_lists_everything(browser, site_url: str) -> None:
    """As under the live preview, which builds no index: the full list stays, with a note. (A
    fresh context, not `page`: chromium logs the refused meta.json as a console error.)"""
    context = browser.new_context()
    tab = context.new_page()
    tab.route("**/search-index/meta.json", lambda route: route.fulfill(status=404, body=""))
    tab.goto(site_url + "/search/?q=lora")
    note = tab.locator("#search-fallback .search-missing")
    note.wait_for(timeout=10_000)
    note_text = note.inner_text()
    fallback_visible = tab.locator("#search-fallback").is_visible()
    form_visible = tab.locator("#search").is_visible()
    context.close()
    assert note_text.startswith("The search index is missing here")
    assert fallback_visible and not form_visible
