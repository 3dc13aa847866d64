"""The one rule for every path the build writes: a plain site URL that normalises to itself.

Pages, aliases, tag pages, assets and publishing files all become files through `output_path`,
and every `Output` checks its path with `path_problem` when it is made, so nothing a source can
say (an alias such as `/learn/../../x/`, a name with a newline) reaches the file system or a
generated file like `_redirects`.
"""

from __future__ import annotations

import functools
import re
import unicodedata

MAX_URL_CHARS = 1024
MAX_SEGMENT_BYTES = 200  # file systems allow 255; leave room for '.tmp-<pid>' names
_ESCAPED_SEPARATOR = re.compile(r"%(2f|5c|2e|00)", re.IGNORECASE)
_FORBIDDEN = {"?": "'?'", "#": "'#'", "\\": "a backslash", '"': "a double quote"}
_HIDDEN_CATEGORIES = ("Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp", "Zs")


class UnsafePath(ValueError):
    """A path that must not be written; `problem` says why, in words for a diagnostic."""

    def __init__(self, path: str, problem: str) -> None:
        super().__init__(f"unsafe output path {path[:80]!r}: {problem}")
        self.path, self.problem = path, problem


# Folders of the output that a part of spanvero outside the sections writes whole after the
# build (the search index: `core/search.py`), so no page, alias or file may claim a path in them.
RESERVED_FOLDERS = {"search-index/": "the search index"}


def path_problem(url: str) -> str | None:
    """Why `url` (a site path such as '/learn/lora/') cannot be written, or None when it can.

    Rejected: anything not starting with '/', empty segments ('//'), '.' and '..' segments,
    hidden segments ('.git'), whitespace and control characters, '?', '#', backslashes,
    %-escapes of separators, dots and NUL, over-long names, and text that is not in Unicode
    normal form (two spellings of one name would be two files).
    """
    if not isinstance(url, str) or not url.startswith("/"):
        return "it must start with '/'"
    return _problem(url)


# Every build asks again about the same few thousand URLs (each page's path is checked when
# its Output is made, when URLs are claimed, when it is written); the answer depends only on
# the string, so it is remembered for the life of the process.
@functools.lru_cache(maxsize=1 << 16)
def _problem(url: str) -> str | None:
    if len(url) > MAX_URL_CHARS:
        return f"it is longer than {MAX_URL_CHARS} characters"
    if not _PLAIN.fullmatch(url):  # plain ASCII letters, digits and -_.~/ need no char checks
        problem = _character_problem(url)
        if problem is not None:
            return problem
    segments = url[1:].split("/")
    for index, segment in enumerate(segments):
        last = index == len(segments) - 1
        if segment == "" and not last:
            return "it has an empty segment ('//')"
        if segment in (".", ".."):
            return f"it contains a '{segment}' segment"
        if segment.startswith("."):
            return f"its segment '{segment}' is hidden (starts with '.')"
        if len(segment.encode("utf-8")) > MAX_SEGMENT_BYTES:
            return f"a segment is longer than {MAX_SEGMENT_BYTES} bytes"
    return None


_PLAIN = re.compile(r"[A-Za-z0-9/_.~-]*")


def _character_problem(url: str) -> str | None:
    for char in url:
        if char.isspace() or unicodedata.category(char) in _HIDDEN_CATEGORIES:
            return f"it contains whitespace or a control character ({_codepoint(char)})"
        if char in _FORBIDDEN:
            return f"it contains {_FORBIDDEN[char]}"
    if _ESCAPED_SEPARATOR.search(url):
        return "it contains a %-escaped '/', '\\', '.' or NUL"
    if unicodedata.normalize("NFC", url) != url:
        return "it is not in Unicode normal form (NFC)"
    return None


def output_path(url: str) -> str:
    """The file a site URL is written to: '/a/' -> 'a/index.html', '/x.xml' -> 'x.xml'.

    Raises UnsafePath for a URL that `path_problem` rejects.
    """
    problem = path_problem(url)
    if problem is not None:
        raise UnsafePath(url, problem)
    path = url.lstrip("/")
    return path + "index.html" if path == "" or path.endswith("/") else path


def check_output_file(path: str) -> None:
    """Raise UnsafePath unless `path` (relative, e.g. 'learn/index.html') is a safe file path."""
    problem = path_problem("/" + path) if path and not path.endswith("/") else "it names no file"
    if problem is not None:
        raise UnsafePath(path, problem)


def file_folder_clashes(paths: list[str]) -> list[tuple[str, str]]:
    """Pairs (file, other) where `other` needs `file` to be a folder ('a', 'a/index.html')."""
    files = set(paths)
    clashes = []
    for path in sorted(files):
        parts = path.split("/")
        for depth in range(1, len(parts)):
            prefix = "/".join(parts[:depth])
            if prefix in files:
                clashes.append((prefix, path))
                break
    return clashes


def _codepoint(char: str) -> str:
    return f"U+{ord(char):04X}"
