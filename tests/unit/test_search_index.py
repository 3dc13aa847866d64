"""The search index: what text of a page is indexed, how words become terms, and the files."""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import replace

import pytest

from spanvero_site.core import search
from spanvero_site.core.pages import Output
from tests.conftest import REPO


def page(body: str, head: str = "<title>Doc title</title>") -> str:
    return f"<!doctype html><html><head>{head}</head><body><nav>Menu</nav>{body}</body></html>"


def explainer(path: str, title: str, text: str) -> Output:
    html = page(f"<main data-search-body><h1>{title}</h1>{text}</main>")
    return Output(path, html.encode())


@pytest.mark.parametrize(
    ("body", "text"),
    [
        ("<main data-search-body><p>kept</p></main><p>after</p>", "kept"),
        ("<main data-search-body><p>a</p><table><tr><td>9.99</td></tr></table>b</main>", "a b"),
        ('<main data-search-body>a<time datetime="2026-01-01">1 Jan</time>b</main>', "a b"),
        ("<main data-search-body>a<nav><a href=/>Home</a></nav>b</main>", "a b"),
        (
            "<main data-search-body>a<figure><svg><svg>x</svg>y</svg><figcaption>c</figcaption>"
            "</figure>b</main>",
            "a b",
        ),
        ('<main data-search-body>a<div class="x meta y"><div>no</div>no</div>b</main>', "a b"),
        ('<main data-search-body>a<p class="metal">kept</p>b</main>', "a kept b"),
        ("<main data-search-body>a<details data-search-ignore><p>no</p></details>b</main>", "a b"),
        ('<main data-search-body>a<img data-search-ignore src="x.png">b</main>', "a b"),
        ("<main data-search-body>a<!-- <p>no</p> -->b</main>", "a b"),
        ("<div data-search-body>a<div>b<div>c</div></div>d</div><div>after</div>", "a b c d"),
        ("<main data-search-body>fine-<em>tuning</em> H<sub>100</sub></main>", "fine-tuning H100"),
        ("<main data-search-body>a<p>b</main>", "a b"),  # an unclosed element ends the text
        ("<main data-search-body>Q&amp;A &lt;tag&gt; caf&eacute;</main>", "Q&A <tag> café"),
        ("<main data-search-body>a<script>var x = '<p>no</p>';</script>b</main>", "a b"),
    ],
)
def test_only_the_marked_body_is_indexed_less_what_is_not_prose(body: str, text: str) -> None:
    found = search.extract(page(body))
    assert found is not None
    assert " ".join(found[1].split()) == text


def test_a_page_without_a_marked_body_is_not_indexed() -> None:
    assert search.extract(page("<main><p>text</p></main>")) is None
    assert search.extract(page('<main data-search-bodyx="1"><p>t</p></main>')) is None


def test_the_title_is_the_first_heading_of_the_body_else_the_documents() -> None:
    found = search.extract(page("<main data-search-body><h1>What is <em>LoRA</em>?</h1></main>"))
    assert found is not None and found[0] == "What is LoRA?"
    found = search.extract(page("<main data-search-body><h2>Sub</h2></main>"))
    assert found is not None and found[0] == "Doc title"


@pytest.mark.parametrize(
    ("words", "term"),
    [
        (("quantization", "quantize", "quantized", "quantizing", "quantizer"), "quantiz"),
        (("price", "prices", "priced", "pricing"), "pric"),
        (("gpu", "gpus", "GPUs"), "gpu"),
        (("library", "libraries"), "library"),
        (("tune", "tuned", "tuning", "tunes"), "tun"),
        (("generation", "generate", "generated"), "generat"),
        (("deploy", "deployment", "deployments"), "deploy"),
        (("class", "classes"), "class"),
        (("this",), "this"),
        (("analysis",), "analysis"),
        (("use", "uses"), "use"),
    ],
)
def test_common_forms_of_a_word_share_one_term(words: tuple[str, ...], term: str) -> None:
    assert {t for word in words for t in search.tokenize(word)} == {term}


@pytest.mark.parametrize(
    ("british", "american"),
    [
        ("quantisation quantise quantised quantising", "quantization quantize quantized"),
        ("optimisers optimise", "optimizers optimize"),
        ("analyse analysed", "analyze analyzed"),
        ("behaviour behaviours favourite colour", "behavior behaviors favorite color"),
        ("centre centres centred metre fibre", "center centers centered meter fiber"),
        ("catalogue dialogues", "catalog dialogs"),
        ("licence licences defence", "license licenses defense"),
        ("modelling labelled travellers", "modeling labeled travelers"),
    ],
)
def test_a_british_spelling_finds_the_american_one(british: str, american: str) -> None:
    """The content mostly spells the American way (quantization, license), and a reader who
    types the British way (quantisation, licence) must still find it, as either way round."""
    assert set(search.tokenize(british)) == set(search.tokenize(american))


@pytest.mark.parametrize(
    "words",
    ["rise hour four your tour odour", "hardware more sure tier timber", "install call fill file"],
)
def test_words_that_only_look_british_keep_their_own_terms(words: str) -> None:
    """A fold needs a few letters before the ending it changes: 'four' is not 'for', 'rise'
    not 'rize'; and 'install' still finds 'installed'."""
    terms = search.tokenize(words)
    assert len(set(terms)) == len(terms), terms
    assert search.tokenize("installed installing") == [search.stem("install")] * 2


def test_words_are_runs_of_letters_and_digits_and_compounds_are_joined() -> None:
    text = "Fine-tuning LoRA on an H100: 8B at Q4_K_M, café, 日本語 and Ελληνικά."
    assert search.tokenize(text, compounds=False) == [
        "fin", "tun", "lora", "on", "an", "h100", "8b", "at", "q4", "café", "日本語", "and",
        "ελληνικά",
    ]  # fmt: skip
    assert "finetun" in search.tokenize(text) and "finetun" not in search.tokenize(
        text, compounds=False
    )
    assert search.tokenize("ｆｕｌｌｗｉｄｔｈ") == ["fullwidth"]  # NFKC: typed either way


@pytest.mark.parametrize(
    "text",
    [
        *(path.read_text() for path in sorted((REPO / "content").rglob("*.md"))),
        "fine-tuning fine-tuning fine tuning -- a-b-c x-1 - - 4-bit 4-bit Q4_K_M",
        "a I of ab ab-cd ab-cd-ef " + "x" * 41 + " " + "y" * 40 + "-z",
        "ＦＵＬＬ full ﬁne fine x² x2 ΣΑΣ σας e\u0301 é",
    ],
)
def test_counting_terms_gives_the_counts_of_the_terms_in_order(text: str) -> None:
    assert search.term_counts(text) == Counter(search.tokenize(text))


def test_index_files_list_each_marked_page_once_with_its_terms() -> None:
    outputs = [
        explainer("learn/b/index.html", "Bee", "bee"),
        explainer("learn/a/index.html", "Ant", "ant bee"),
        Output("about.html", page("<main>not indexed</main>").encode()),
        Output("feed.xml", b"<feed data-search-body>no</feed>"),
    ]
    files = {o.path: json.loads(o.data) for o in search.index_files(outputs).files}
    assert files["search-index/pages-0.json"] == [
        ["/learn/a/", "Ant", 3],  # the title is part of the body
        ["/learn/b/", "Bee", 2],
    ]
    meta = files["search-index/meta.json"]
    assert meta == {
        "average": 2.5,
        "chunk": search.PAGES_PER_FILE,
        "lengths": [3, 2],
        "pages": 2,
        "shards": ["an", "be"],
        "version": search.FORMAT,
    }
    # twice the count in the body (the title is in it), plus one when in the title
    assert files["search-index/terms-an.json"] == {"ant": [0, 2 * 2 + 1]}
    assert files["search-index/terms-be.json"] == {"bee": [0, 2 * 1, 1, 2 * 2 + 1]}


def test_the_index_does_not_depend_on_the_number_of_workers(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    outputs = [explainer(f"learn/p{n}/index.html", f"T{n}", f"w{n % 7} x") for n in range(300)]
    serial = search.index_files(outputs, workers=1)
    monkeypatch.setattr(search, "PARALLEL_FROM", 2)
    assert search.index_files(outputs, workers=2) == serial
    assert search.index_files(list(reversed(outputs)), workers=2) == serial


def test_terms_are_filed_by_their_first_two_characters() -> None:
    assert [search.term_file(t) for t in ("lora", "8b", "café", "ca", "日本語")] == [
        "lo",
        "8b",
        "ca",
        "ca",
        "_",
    ]
    assert search.term_file("éa") == "_"


@pytest.mark.parametrize(
    ("path", "url"),
    [
        ("index.html", "/"),
        ("learn/lora/index.html", "/learn/lora/"),
        ("404.html", "/404.html"),
    ],
)
def test_a_page_is_found_at_the_url_a_reader_follows(path: str, url: str) -> None:
    assert search.page_url(path) == url


def test_a_known_page_is_not_read_again_and_a_changed_one_is() -> None:
    first = [explainer("learn/a/index.html", "Ant", "ant"), explainer("b.html", "Bee", "bee")]
    known = search.index_files(first).documents
    poisoned = {path: (key, replace(doc, title="Known")) for path, (key, doc) in known.items()}
    second = [first[0], explainer("b.html", "Bee", "bees, edited")]
    index = search.index_files(second, 1, poisoned)
    files = {o.path: json.loads(o.data) for o in index.files}
    assert files["search-index/pages-0.json"] == [["/b.html", "Bee", 3], ["/learn/a/", "Known", 2]]
    # what was reused is the very entry given, so a store sees it unchanged by identity
    assert index.documents["learn/a/index.html"] is poisoned["learn/a/index.html"]
    assert index.documents["b.html"] is not poisoned["b.html"]
    moved = [explainer("learn/c/index.html", "Ant", "ant")]  # the same text elsewhere
    assert search.index_files(moved, 1, poisoned).documents["learn/c/index.html"][1].url == (
        "/learn/c/"
    )
