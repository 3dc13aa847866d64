"""Full-text search: an index of the built pages, written as JSON files the /search/ page reads.

The build holds every page's HTML in memory, so the index is made from it directly and written
like any other output under /search-index/. It replaced Pagefind, which read the site back from
disk and cost about 3 µs per indexed word: 3.2–3.4 s per 1,000 explainers at 140 % CPU on this
project's 2-core machine (plain text too), 9 s or more of a 4,000-page build. Reading a page
here costs about 0.9 ms of one core, and the last build's reading of every unchanged page is
reused (`Index.documents`).

A page is indexed when an element carries `data-search-body`: its text, less the parts that
are figures rather than prose (EXCLUDED_TAGS, `class="meta"`, `data-search-ignore`). Words are
stemmed by a few English suffix rules (STEM_RULES) that `static/js/search.js` repeats exactly;
a browser test holds the two to the same tokens. The format is in docs/architecture.md.

Files: `meta.json` (page count, lengths, which term files exist), `pages-N.json` (URL and title
of PAGES_PER_FILE pages each) and `terms-XX.json` (the postings of the terms that start with
XX), so a query loads a few small files, not the whole index.
"""

from __future__ import annotations

import functools
import hashlib
import html
import json
import math
import re
import unicodedata
from array import array
from collections import Counter
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass

from spanvero_site.core.pages import Output
from spanvero_site.core.pool import fork_map

SUBDIR = "search-index"  # a key of paths.RESERVED_FOLDERS: no page may claim a path in it
FORMAT = 1
PAGES_PER_FILE = 256
MIN_TOKEN, MAX_TOKEN = 2, 40
BODY_MARK = "data-search-body"
IGNORE_MARK = "data-search-ignore"
EXCLUDED_TAGS = frozenset(
    {"table", "time", "nav", "figure", "svg", "script", "style", "template", "noscript"}
)
# Suffix, replacement: the first that leaves a stem of at least 3 letters applies.
# fmt: off
STEM_RULES = (
    ("izations", "iz"), ("ization", "iz"),
    ("ations", "at"), ("ation", "at"), ("ments", ""), ("ment", ""), ("ings", ""), ("ing", ""),
    ("ions", ""), ("ion", ""), ("ies", "y"), ("ied", "y"), ("ers", ""), ("er", ""),
    ("edly", ""), ("ed", ""), ("es", ""), ("ly", ""), ("s", ""), ("e", ""),
)
# fmt: on
# British spellings, read as the American ones the content mostly uses before the suffix rules
# (quantisation: quantization), as (pattern, replacement with $n groups). Each needs letters
# before the ending it changes, so "rise", "hour", "four" and "odour" are left alone.
SPELLING_RULES = (
    (r"^([a-z]{3,})is(e|ed|es|ing|er|ers|ation|ations)$", "$1iz$2"),
    (r"^([a-z]{2,})ys(e|ed|es|ing|er|ers)$", "$1yz$2"),
    (r"^([a-z]{3,})our(s|ed|ing|ite|ites|able|ful|less)?$", "$1or$2"),
    (r"^([a-z]{2,}[tb])re(s?)$", "$1er$2"),
    (r"^([a-z]{2,}[tb])red$", "$1ered"),
    (r"^([a-z]{3,})ogue(s?)$", "$1og$2"),
    (r"^(lic|def|off|pret)enc(e|es|ed|ing)$", "$1ens$2"),
    (r"^([a-z]{3,}e)ll(ed|ing|er|ers)$", "$1l$2"),
)
_SPELLINGS = tuple(
    (re.compile(pattern), re.sub(r"\$(\d)", r"\\\1", replacement))
    for pattern, replacement in SPELLING_RULES
)
# Parsing runs in workers only when there is enough to share; forking costs about 30 ms.
PARALLEL_FROM = 200

# A word is a run of letters and digits; a run of words joined by hyphens is read whole.
_RUN = re.compile(r"[^\W_]+(?:-[^\W_]+)*")
_ASCII_WORD = re.compile(r"[a-z]+")
_BODY = re.compile(r"<([a-zA-Z][a-zA-Z0-9-]*)\b[^>]*?\s" + BODY_MARK + r"[\s=/>]")
_SKIPPED = re.compile(
    r"<(" + "|".join(sorted(EXCLUDED_TAGS)) + r")[\s/>]"
    r"|<([a-zA-Z][a-zA-Z0-9-]*)(?=\s)[^>]*?(?:\s" + IGNORE_MARK + r"[\s=/>]"
    r"""|\sclass\s*=\s*["']?(?:[^"'>]*\s)?meta[\s"'>])"""
)
_H1 = re.compile(r"<h1[\s>].*?</h1\s*>", re.S)
_TITLE = re.compile(r"<title>(.*?)</title>", re.S)
_COMMENT = re.compile(r"<!--.*?-->", re.S)
_ANY_TAG = re.compile(r"<[^>]*>")
# fmt: off
_VOID = frozenset({
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param",
    "source", "track", "wbr",
})
# fmt: on
# Elements whose text runs on into the next word's (a tag between them is not a space).
_INLINE_TAG = re.compile(
    r"</?(?:a|abbr|b|bdi|bdo|cite|code|data|dfn|em|i|kbd|mark|q|s|samp|small|span|strong|sub"
    r"|sup|u|var)(?:\s[^>]*)?>"
)


@dataclass(frozen=True, slots=True)
class Document:
    """One indexed page: where it is, its title, its terms and their weights, and its length
    in terms.

    A term's weight is twice its occurrences in the body (which holds the title), plus one
    when it is in the title: the search page gives a title match a bonus of its own, because
    a count alone saturates in BM25, and a page that uses a word often would match as well
    as the page named after it. The terms are one space-separated string and the weights one
    array, not a tuple of pairs: 4,000 pages hold 1.6 million pairs, which cost 180 MB as
    objects and most of the time of sending them back from the workers.
    """

    url: str
    title: str
    terms: str
    weights: array[int]
    length: int

    def pairs(self) -> Iterator[tuple[str, int]]:
        """The terms with their weights, in the terms' order."""
        return zip(self.terms.split(" "), self.weights, strict=True) if self.terms else iter(())


@dataclass(frozen=True)
class Index:
    """The index's files, and each indexed page's `page_key` and Document by its path, which
    the next build reuses for every page whose bytes did not change."""

    files: list[Output]
    documents: dict[str, Known]


Known = tuple[bytes, Document]


def index_files(
    outputs: Sequence[Output], workers: int = 1, known: Mapping[str, Known] | None = None
) -> Index:
    """The search index of the HTML pages among `outputs`, as files under SUBDIR/.

    `known` holds what an earlier build read, by path: after one edit, one page is read again,
    not 4,000 (a Document depends on nothing but the page's path and bytes). A reused entry
    is returned as the very object given, so a store can tell what is new by identity.
    """
    known = known or {}
    pages = sorted((o for o in outputs if o.path.endswith(".html")), key=lambda o: page_url(o.path))
    marked = [(o, page_key(o)) for o in pages if BODY_MARK.encode() in o.data]
    reused = {
        o.path: entry for o, key in marked if (entry := known.get(o.path)) and entry[0] == key
    }
    new = [o for o, _ in marked if o.path not in reused]
    found = iter(fork_map(document, new, workers if len(new) >= PARALLEL_FROM else 1))
    documents: dict[str, Known] = {}
    for output, key in marked:
        entry = reused.get(output.path)
        if entry is None and (doc := next(found)) is not None:
            entry = (key, doc)
        if entry is not None:
            documents[output.path] = entry
    return Index(_files([doc for _, doc in documents.values()]), documents)


def page_key(output: Output) -> bytes:
    """A digest of a page's path and bytes: what its Document was read from."""
    key = hashlib.blake2b(output.path.encode() + b"\0", digest_size=32)
    key.update(output.data)
    return key.digest()


def document(output: Output) -> Document | None:
    """The indexed text of one page, or None when it marks no body."""
    text = output.data.decode("utf-8", "replace")
    found = extract(text)
    if found is None:
        return None
    title, body = found
    counts, titled = term_counts(body), set(tokenize(title))
    terms = sorted(counts.keys() | titled)
    weights = array("I", [2 * counts[term] + (term in titled) for term in terms])
    length = sum(counts.values())
    return Document(page_url(output.path), title, " ".join(terms), weights, length)


def page_url(path: str) -> str:
    """The URL a reader follows to the output at `path`: `learn/x/index.html` is `/learn/x/`."""
    if path == "index.html" or path.endswith("/index.html"):
        return "/" + path[: -len("index.html")]
    return "/" + path


def extract(page: str) -> tuple[str, str] | None:
    """The title and indexed text of a page, or None when no element marks the body.

    Regular expressions over the page, not an HTML parser: the pages are the build's own
    output, and html.parser costs several times as much on 4,000 of them. An element is
    delimited by counting the tags of its own name, so one nested in itself ends in the right
    place.
    """
    start = _BODY.search(page)
    if start is None:
        return None
    region = page[start.start() : _element_end(page, start.group(1), start.start())]
    if "<!--" in region:
        region = _COMMENT.sub(" ", region)
    if heading := _H1.search(region):
        title = _text(heading.group(0))
    else:
        title = _text(found.group(1)) if (found := _TITLE.search(page)) else ""
    return title, html.unescape(_ANY_TAG.sub(" ", _INLINE_TAG.sub("", _kept(region))))


def _kept(region: str) -> str:
    """`region` less the elements search leaves out (EXCLUDED_TAGS, `class="meta"`, marked)."""
    parts = []
    position = 0
    while found := _SKIPPED.search(region, position):
        parts.append(region[position : found.start()])
        position = _element_end(region, found.group(1) or found.group(2), found.start())
    parts.append(region[position:])
    return " ".join(parts)


def _element_end(page: str, name: str, start: int) -> int:
    """Where the element whose start tag is at `start` ends: after its own end tag, counting
    the tags of its name nested in it; after the start tag for a void or self-closed one; the
    page's end when it is never closed."""
    tag_end = page.find(">", start) + 1 or len(page)
    if name.lower() in _VOID or page[tag_end - 2] == "/":
        return tag_end
    depth = 1
    for tag in _tags_named(name.lower()).finditer(page, tag_end):
        depth += -1 if tag.group(1) else 1
        if depth == 0:
            return page.find(">", tag.end() - 1) + 1 or len(page)
    return len(page)


@functools.cache
def _tags_named(name: str) -> re.Pattern[str]:
    return re.compile(rf"<(/?){re.escape(name)}[\s/>]", re.I)


def _text(fragment: str) -> str:
    return " ".join(html.unescape(_ANY_TAG.sub(" ", _INLINE_TAG.sub("", fragment))).split())


def tokenize(text: str, compounds: bool = True) -> list[str]:
    """The stemmed terms of `text`, in order; with `compounds`, also each hyphenated run of
    words joined ("fine-tuning" adds "finetun"), so a query typed either way finds it."""
    return [term for run in _runs(text) for term in _run_terms(run, compounds)]


def term_counts(text: str) -> dict[str, int]:
    """How often each term (compounds included) occurs in `text`: `Counter(tokenize(text))`,
    but each distinct run of words is turned into terms once, not at every occurrence."""
    counts: dict[str, int] = {}
    get = counts.get
    for run, times in Counter(_runs(text)).items():
        for term in _run_terms(run, True):
            counts[term] = get(term, 0) + times
    return counts


def _runs(text: str) -> list[str]:
    if not text.isascii():
        text = unicodedata.normalize("NFKC", text)
    return _RUN.findall(text.lower())


@functools.cache
def _run_terms(run: str, compounds: bool) -> tuple[str, ...]:
    """The terms of one run of words (a site's runs number some tens of thousands)."""
    words = run.split("-")
    if compounds and len(words) > 1:
        words.append("".join(words))
    return tuple(term for term in map(stem, words) if MIN_TOKEN <= len(term) <= MAX_TOKEN)


@functools.cache
def stem(word: str) -> str:
    """`word` with one English suffix cut (quantization, quantized, quantize: "quantiz"), a
    British spelling first read as the American one (quantisation, quantise: "quantiz").

    Deliberately small: it only has to put a word's common forms on one term, and the search
    page runs the same rules on the query. Other scripts and words with digits are left whole.
    """
    if len(word) < 4 or not _ASCII_WORD.fullmatch(word):
        return word
    for pattern, spelled in _SPELLINGS:
        if pattern.match(word):
            word = pattern.sub(spelled, word)
            break
    for suffix, replacement in STEM_RULES:
        if not word.endswith(suffix) or len(word) - len(suffix) + len(replacement) < 3:
            continue
        if suffix == "s" and word.endswith(("ss", "is")):
            continue
        return word[: -len(suffix)] + replacement
    return word


def term_file(term: str) -> str:
    """The key of the file that holds `term`: its first two characters, or "_" for others."""
    head = term[:2]
    return head if len(head) == 2 and all(c in _FILE_CHARS for c in head) else "_"


_FILE_CHARS = frozenset("abcdefghijklmnopqrstuvwxyz0123456789")


def _files(documents: Sequence[Document]) -> list[Output]:
    postings: dict[str, list[int]] = {}
    for number, doc in enumerate(documents):
        for term, weight in doc.pairs():
            postings.setdefault(term, []).extend((number, weight))
    shards: dict[str, dict[str, list[int]]] = {}
    for term in sorted(postings):
        shards.setdefault(term_file(term), {})[term] = postings[term]
    lengths = [doc.length for doc in documents]
    meta = {
        "average": average(lengths),
        "chunk": PAGES_PER_FILE,
        "lengths": lengths,
        "pages": len(documents),
        "shards": sorted(shards),
        "version": FORMAT,
    }
    files = [index_file("meta.json", meta)]
    for number in range(math.ceil(len(documents) / PAGES_PER_FILE)):
        chunk = documents[number * PAGES_PER_FILE : (number + 1) * PAGES_PER_FILE]
        files.append(index_file(f"pages-{number}.json", [page_entry(doc) for doc in chunk]))
    files += [index_file(f"terms-{key}.json", terms) for key, terms in sorted(shards.items())]
    return files


def page_entry(doc: Document) -> list[object]:
    """A page's entry in its `pages-N.json`: URL, title, length in terms."""
    return [doc.url, doc.title, doc.length]


def average(lengths: Sequence[int]) -> float:
    """The pages' average length in terms, as `meta.json` holds it."""
    return round(sum(lengths) / len(lengths), 3) if lengths else 0


def index_file(name: str, value: object) -> Output:
    """One file of the index, as JSON in one fixed form (sorted keys, no spaces)."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    return Output(f"{SUBDIR}/{name}", (text + "\n").encode())
