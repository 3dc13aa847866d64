"""Declarative checks for YAML mappings: front-matter, site.yaml and data files share them.

One checker means one wording for each kind of mistake, wherever it is made: wrong type (E203),
missing required key (E204), unknown key (W205, with "did you mean"), bad date (E206), a day in
the future (E709, see `Source`), a value outside its allowed set (E208), a number outside its
domain (E209), and a text listed twice in a list of texts (W304: tags, related ids, aliases,
slugs; none of them means anything twice).

Every number has a domain, declared once here as its field's kind and never re-checked by the
readers: `count` (a positive whole number), `positive`, `non_negative` and `fraction` (finite
numbers above zero, at or above zero, and in (0, 1]); plain `number` and `int` still reject NaN,
infinity and booleans, which YAML would otherwise hand over as numbers.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import unicodedata
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from spanvero_site.core import dates
from spanvero_site.core.diagnostics import Diagnostic, Diagnostics, choose_from, excerpt
from spanvero_site.core.paths import path_problem
from spanvero_site.core.yamlsource import YAML11_BOOLEANS

Locate = Callable[[tuple[str | int, ...]], tuple[int, int]]

# Ids that become URL segments: lowercase letters, digits and single hyphens.
SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
MAX_WHOLE = 10**15  # beyond any count a page shows, and still exact as a float
# A number YAML 1.1 reads but the loader (yamlsource) keeps as text: hex, octal, binary, digits
# grouped with '_', base 60.
_NOT_DECIMAL = re.compile(r"^[-+]?(?:0[xXoObB][0-9a-fA-F_]+|[0-9][0-9_.:]*[_:][0-9_.:]*)$")

_KIND_NAMES = {
    "str": "a text",
    "int": "a whole number",
    "number": "a number",
    "bool": "true or false",
    "date": "a date (YYYY-MM-DD)",
    "str_list": "a list of texts",
    "url": "an http(s) URL",
    "base_url": "an http(s) URL of a folder, with no query or #fragment",
    "mapping": "a mapping of keys to values",
    "list": "a list",
    "count": "a positive whole number",
    "positive": "a number above zero",
    "non_negative": "a number at or above zero",
    "fraction": "a number above 0 and at most 1",
    "slug": "an id of lowercase letters, digits and hyphens",
}
# What a missing key's hint shows as its value when its field gives no example.
_PLACEHOLDER = {
    "str": "...",
    "int": "1",
    "number": "1",
    "bool": "true",
    "date": "2026-11-28",
    "str_list": "[...]",
    "url": "https://...",
    "base_url": "https://example.org/",
    "mapping": "{...}",
    "list": "[...]",
    "count": "1",
    "positive": "1",
    "non_negative": "0",
    "fraction": "0.5",
    "slug": "an-id",
}
# Kinds that narrow a base kind: the value must first be of the base kind (else E203), then in
# the domain (else E209; E208 for slugs).
_BASE = {
    "count": "int",
    "positive": "number",
    "non_negative": "number",
    "fraction": "number",
    "slug": "str",
}
# Each kind's domain as rules, in the order they are checked: what must hold, and the rule in
# the words the hint uses when it does not. One table both checks and explains, so a hint
# always names the rule the value broke (a negative count is told "1 or more", never "NaN").
_Rule = tuple[Callable[[Any], bool], str]
_NOT_NAN: _Rule = (
    lambda v: not isinstance(v, float) or math.isfinite(v),
    "NaN, infinity and numbers too large to hold (1e309 and up) are not numbers a page can show",
)
_FLOAT_SIZED: _Rule = (  # an int YAML reads exactly but no calculation can use
    lambda v: _finite(v),
    "it is too large to calculate with",
)
_LIMIT = f"{MAX_WHOLE:,}"
_RULES: dict[str, tuple[_Rule, ...]] = {
    "int": ((lambda v: abs(v) <= MAX_WHOLE, f"it must be between -{_LIMIT} and {_LIMIT}"),),
    "number": (_NOT_NAN, _FLOAT_SIZED),
    "count": (
        (lambda v: v >= 1, "a count must be 1 or more"),
        (lambda v: v <= MAX_WHOLE, f"it must be at most {_LIMIT}"),
    ),
    "positive": (_NOT_NAN, _FLOAT_SIZED, (lambda v: v > 0, "it must be above zero")),
    "non_negative": (_NOT_NAN, _FLOAT_SIZED, (lambda v: v >= 0, "it must be 0 or more")),
    "fraction": (
        _NOT_NAN,
        _FLOAT_SIZED,
        (lambda v: v > 0, "it must be above zero"),
        (lambda v: v <= 1, "it must be at most 1 (a share: 0.75 is 75%)"),
    ),
    "slug": (
        (lambda v: bool(SLUG.match(v)), "use only lowercase letters, digits and single hyphens"),
    ),
}


# Letters that Unicode does not decompose into a base letter and a mark, spelled in ASCII.
_SPELLED = str.maketrans({"ß": "ss", "æ": "ae", "œ": "oe", "ø": "o", "ł": "l", "đ": "d", "þ": "th"})


def slugify(text: str) -> str:
    """`text` as a slug: accents dropped and letters spelled in ASCII ('Größe' -> 'grosse'),
    every other run of characters a hyphen. Empty when nothing of it is a letter or digit."""
    plain = unicodedata.normalize("NFKD", text.lower().translate(_SPELLED))
    ascii_only = "".join(c for c in plain if not unicodedata.combining(c))
    return re.sub(r"[^a-z0-9]+", "-", ascii_only).strip("-")


def in_domain(value: Any, kind: str) -> bool:
    """Whether `value` is of `kind`, domain included (e.g. a finite number above zero)."""
    base = _BASE.get(kind, kind)
    return _is_kind(value, base) and _broken_rule(value, kind) is None


def _broken_rule(value: Any, kind: str) -> str | None:
    """The first rule of `kind`'s domain that `value` (already of its base kind) breaks, in
    words, or None when it is in the domain."""
    return next((words for holds, words in _RULES.get(kind, ()) if not holds(value)), None)


def _finite(value: float) -> bool:
    try:
        return math.isfinite(value)
    except OverflowError:  # an int too large for a float
        return False


@dataclass(frozen=True)
class Field:
    """One allowed key: its kind, whether it must be there, and its allowed values if fixed."""

    kind: str
    required: bool = False
    choices: tuple[str, ...] = ()
    schema: Mapping[str, Field] | None = field(default=None)
    example: str = ""


@dataclass(frozen=True)
class Source:
    """Where a mapping came from: its display path, how to find a key's line, and the build's
    day its dates are checked against.

    Every day a data file records (a price's, a model's, a GPU's, a measurement's) is a day
    something happened or was read, so none may be in the future (E709). The check is made
    here, for every `date` field of every schema, so no reader can forget one. `today` is
    None only where the caller checks the days itself or the file has none: an explainer's
    dates are checked on each build outside its memoised load (W213), and site.yaml and
    section front-matter hold no days. It has no default: each place that makes a Source
    says which it is.
    """

    path: str
    locate: Locate
    today: dt.date | None


def check(
    values: Mapping[str, Any],
    schema: Mapping[str, Field],
    source: Source,
    diags: Diagnostics,
    at: tuple[str | int, ...] = (),
) -> dict[str, Any]:
    """Validate `values` against `schema`; return only the valid entries, dates as `date`s.

    Every problem is reported to `diags`; nothing is raised, so all mistakes of a file surface
    in one run.
    """
    valid, problems = check_each(values, schema, source, diags, at)
    for found in problems.values():
        diags.extend(found)
    return valid


def check_each(
    values: Mapping[str, Any],
    schema: Mapping[str, Field],
    source: Source,
    diags: Diagnostics,
    at: tuple[str | int, ...] = (),
) -> tuple[dict[str, Any], dict[str, list[Diagnostic]]]:
    """`check`, handing back each key's problems instead of reporting them: the valid entries
    and, for each key with a problem, its diagnostics (unknown keys still go to `diags`).

    A caller that can go on without a broken key (site.yaml: the content is still checked with
    a fallback) knows exactly which keys are broken, and can say in their hints what that
    costs the rest of the run.
    """
    valid: dict[str, Any] = {}
    problems: dict[str, list[Diagnostic]] = {}
    for key in values:
        if key not in schema:
            line, col = source.locate((*at, key))
            hint = choose_from(str(key), sorted(schema), "known keys: ", "remove it")
            diags.warning("W205", f"unknown key '{_dotted(at, key)}'", source.path, line, col, hint)
    for key, spec in schema.items():
        found = Diagnostics()
        if key not in values or values[key] is None:
            example = f"{key}: {spec.example or _PLACEHOLDER[spec.kind]}"
            if spec.required and key in values:  # written, with nothing after the colon
                line, col = source.locate((*at, key))
                found.error(
                    "E204",
                    f"required key '{_dotted(at, key)}' has no value",
                    source.path,
                    line,
                    col,
                    f"write its value after the colon, like: {example}",
                )
            elif spec.required:
                line, col = source.locate(at)
                where = f" to {_dotted(at[:-1], at[-1])}" if at else ""
                found.error(
                    "E204",
                    f"missing required key '{_dotted(at, key)}'",
                    source.path,
                    line,
                    col,
                    f"add '{example}'{where}",
                )
        else:
            value = _check_value(values[key], spec, source, found, (*at, key))
            if value is not _INVALID:
                valid[key] = value
        if found.items:
            problems[str(key)] = found.items
    return valid, problems


_INVALID = object()


def _check_value(
    value: Any, spec: Field, source: Source, diags: Diagnostics, at: tuple[str | int, ...]
) -> Any:
    if spec.kind == "str_list" and isinstance(value, list):
        return _check_texts(value, spec, source, diags, at)
    if not _is_kind(value, _BASE.get(spec.kind, spec.kind)):
        line, col = source.locate(at)
        name = _dotted(at[:-1], at[-1])
        shown = "a list" if isinstance(value, list) else excerpt(repr(value), 60)
        problem = f"'{name}' must be {_KIND_NAMES[spec.kind]}, not {shown}"
        if isinstance(value, str) and not value.strip():  # None is E204, before this
            problem = f"'{name}' is empty: it must be {_KIND_NAMES[spec.kind]}"
        diags.error(
            "E203",
            problem,
            source.path,
            line,
            col,
            _type_hint(value, spec, at[-1]),
        )
        return _INVALID
    broken = _broken_rule(value, spec.kind)
    if broken is not None:
        line, col = source.locate(at)
        code = "E208" if spec.kind == "slug" else "E209"
        diags.error(
            code,
            f"'{_dotted(at[:-1], at[-1])}' must be {_KIND_NAMES[spec.kind]}, "
            f"not {excerpt(repr(value), 60)}",
            source.path,
            line,
            col,
            _domain_hint(spec, at[-1], broken),
        )
        return _INVALID
    if spec.kind == "date":
        return _check_day(value, source, diags, at)
    if spec.choices and value not in spec.choices:
        line, col = source.locate(at)
        hint = choose_from(value, spec.choices, "choose one of: ", "use a value this key allows")
        diags.error(
            "E208",
            f"'{_dotted(at[:-1], at[-1])}' has an unknown value '{excerpt(value, 60)}'",
            source.path,
            line,
            col,
            hint,
        )
        return _INVALID
    if spec.kind == "mapping" and spec.schema is not None:
        return check(value, spec.schema, source, diags, at)
    return value


def _check_day(value: str, source: Source, diags: Diagnostics, at: tuple[str | int, ...]) -> Any:
    """A YYYY-MM-DD text as a date: a real day (else E206), and one that has come somewhere on
    Earth by the build's day (else E709, when the source has one to check against)."""
    name = _dotted(at[:-1], at[-1])
    try:
        day = dates.parse_day(value)
    except ValueError as exc:
        line, col = source.locate(at)
        diags.error(
            "E206", f"'{name}' is not a real date: '{value}'", source.path, line, col, str(exc)
        )
        return _INVALID
    if source.today is not None and dates.is_future(day, source.today):
        line, col = source.locate(at)
        diags.error(
            "E709",
            dates.in_the_future(name, day, source.today),
            source.path,
            line,
            col,
            "write the day it happened or was read from its source; a future date is usually "
            "a typo in the year or month",
        )
    return day


def _check_texts(
    items: list[Any], spec: Field, source: Source, diags: Diagnostics, at: tuple[str | int, ...]
) -> Any:
    """A list of texts, each item reported at its own line: a bad item (E203), or a repeat
    (W304, kept: `distinct` drops it where the list is used)."""
    name = _dotted(at[:-1], at[-1])
    seen: dict[str, int] = {}  # each text's first index; lines are looked up only to report
    valid = True
    for index, item in enumerate(items):
        if not (isinstance(item, str) and item.strip()):
            line, col = source.locate((*at, index))
            shown = "a list" if isinstance(item, list) else excerpt(repr(item), 60)
            diags.error(
                "E203", f"'{name}[{index}]' must be a text, not {shown}", source.path, line, col,
                _item_hint(item, spec, at[-1]),
            )  # fmt: skip
            valid = False
        elif item in seen:
            line, col = source.locate((*at, index))
            first_line, first_col = source.locate((*at, seen[item]))
            diags.warning(
                "W304", f"'{excerpt(item, 60)}' is listed twice in {name}", source.path, line,
                col, f"remove the repeat (the first is at {first_line}:{first_col})",
            )  # fmt: skip
        else:
            seen[item] = index
    return items if valid else _INVALID


def distinct(items: Sequence[str]) -> tuple[tuple[str, ...], tuple[int, ...]]:
    """A list of texts without its repeats (W304), and the index each kept item had in it, so
    a caller can still find a kept item's line in the source."""
    first: dict[str, int] = {}
    for index, item in enumerate(items):
        first.setdefault(item, index)
    return tuple(first), tuple(first.values())


def _item_hint(item: Any, spec: Field, key: str | int) -> str:
    if item is None:
        return "the item is empty (~, or a lone '-'): write a text there, or remove it"
    if isinstance(item, list):
        return f"brackets inside the list make a list in it: write {key}: {spec.example}"
    if isinstance(item, bool):
        return _QUOTE_BOOLEAN
    return f"put it in quotes if it is meant as text, e.g. {key}: {spec.example}"


_QUOTE_BOOLEAN = "YAML reads true and false as booleans: put the text in quotes"


def _domain_hint(spec: Field, key: str | int, broken: str) -> str:
    """How to write a value that broke the rule `broken` of its field's domain."""
    example = f"write it like: {key}: {spec.example}; " if spec.example else ""
    return f"{example}{broken}"


def _type_hint(value: Any, spec: Field, key: str | int) -> str:
    """Never empty: a field declared without an example still says what to write."""
    if isinstance(value, bool) and spec.kind in ("str", "str_list"):
        return _QUOTE_BOOLEAN
    if spec.kind == "bool" and isinstance(value, str) and value in YAML11_BOOLEANS:
        # YAML 1.1 reads it as a boolean; the loader, as YAML 1.2 does, as text
        meant = "true" if YAML11_BOOLEANS[value] else "false"
        return f"write {key}: {meant} ('{value}' is text: only true and false are booleans)"
    if isinstance(value, list | dict) and spec.kind == "str":
        return "YAML reads [...] as a list and {...} as a mapping: put the text in quotes"
    if isinstance(value, str) and spec.kind == "date":
        return dates.hint(value)
    if isinstance(value, str) and spec.kind in ("url", "base_url"):
        problem = (url_problem if spec.kind == "url" else base_url_problem)(value)
        if problem is not None and not problem.startswith("it must start"):
            return f"{problem}; write it like: {key}: {spec.example or _PLACEHOLDER['url']}"
    if _BASE.get(spec.kind, spec.kind) in ("int", "number") and _not_decimal(value):
        return (
            f"write it in decimal digits, like: {key}: {spec.example or _PLACEHOLDER[spec.kind]} "
            "(a number written with 0x, 0o or 0b, with '_' between digits, or as 1:30 is text)"
        )
    return f"write it like: {key}: {spec.example or _PLACEHOLDER[spec.kind]}"


def url_problem(url: str) -> str | None:
    """Why `url` is not an address a reader's browser opens as written, or None.

    Data files cite their sources by URL and every page links to them: one with a space, a
    line break or no host would ship as a broken "source" link under a figure, the one place a
    reader goes to check it. So the rule is the browser's, not only the scheme's prefix."""
    if not url.startswith(("https://", "http://")):
        return "it must start with https:// or http://"
    if any(c.isspace() or ord(c) < 32 or ord(c) == 127 for c in url):
        return "it contains a space, a tab or a line break (write a space as %20)"
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises ValueError on a port that is not a number
    except ValueError as exc:
        return f"it is not a valid URL ({exc})"
    if not parts.hostname:
        return "it names no host after the //"
    return None


def base_url_problem(url: str) -> str | None:
    """Why `url` cannot be a site's base URL, or None: site.yaml's `base_url` and `--base-url`
    answer to this one rule. Every published address (canonical links, the sitemap, feeds) is
    the base with a page's path appended, so besides being a URL a browser opens, it must end
    in a folder: a query or a #fragment would land in the middle of every address."""
    problem = url_problem(url)
    if problem is not None:
        return problem
    if "?" in url or "#" in url:
        return (
            "it must not carry a query (?...) or a #fragment: every page's address is "
            "written after it"
        )
    path = urlsplit(url).path
    if path not in ("", "/") and path_problem(path.rstrip("/") + "/"):
        return "its path must be a plain folder path such as /docs/"
    return None


def _not_decimal(value: Any) -> bool:
    return isinstance(value, str) and _NOT_DECIMAL.match(value) is not None


def _is_kind(value: Any, kind: str) -> bool:
    if kind == "str":
        return isinstance(value, str) and value.strip() != ""
    if kind == "int":
        return isinstance(value, int) and not isinstance(value, bool)
    if kind == "number":
        return isinstance(value, int | float) and not isinstance(value, bool)
    if kind == "bool":
        return isinstance(value, bool)
    if kind == "date":
        return isinstance(value, str) and dates.is_day(value)
    if kind == "str_list":
        return isinstance(value, list) and all(isinstance(v, str) and v for v in value)
    if kind == "url":
        return isinstance(value, str) and url_problem(value) is None
    if kind == "base_url":
        return isinstance(value, str) and base_url_problem(value) is None
    if kind == "mapping":
        return isinstance(value, dict)
    if kind == "list":
        return isinstance(value, list)
    raise ValueError(f"unknown field kind {kind!r}")


def _dotted(at: tuple[str | int, ...], key: str | int) -> str:
    parts = [*at, key]
    text = ""
    for part in parts:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text
