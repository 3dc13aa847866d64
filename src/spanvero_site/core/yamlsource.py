"""YAML loading that keeps line numbers within reach.

Values are loaded with PyYAML's C loader when present (about 9x faster than the pure-Python one).
Dates are left as strings so that a bad date becomes our diagnostic rather than a loader crash.
Numbers and booleans are read as YAML 1.2's core schema reads them (see `_NUMBERS` and `_BOOL`),
in data files and front-matter alike: decimal numbers only, and only true and false (in three
casings) as booleans, so a country code `no` or a note `off` stays text.
Only plain values are made: a tag such as !!binary or !!set is an error, not a Python object
for the schema to trip over. Duplicate keys and merge keys (<<) are errors, and aliases are
limited (see `load`).
Positions are only computed when a diagnostic needs one: `Positions` composes the text on first
use, which keeps the common, valid path fast.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, ClassVar

import yaml

from spanvero_site.core.diagnostics import excerpt

_BaseLoader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

MAX_EXTRA_NODES = 100_000


_YAML_TAG = "tag:yaml.org,2002:"
# The only values a source holds: anything else (!!binary, !!set, !!omap, !!timestamp, a
# local !tag) would reach the schema checks as a Python object they were not written for.
_PLAIN = frozenset(
    _YAML_TAG + kind for kind in ("null", "bool", "int", "float", "str", "seq", "map")
)


def _refuse_tag(loader: Any, node: yaml.Node) -> None:
    if node.tag == _YAML_TAG + "value":  # YAML 1.1 reads a bare `=` as this tag, unwritten
        raise _BareEquals(None, None, "a bare '=' is not a value YAML reads", node.start_mark)
    tag = node.tag.replace(_YAML_TAG, "!!", 1) if node.tag.startswith(_YAML_TAG) else node.tag
    problem = (
        f"the tag '{excerpt(tag, 60)}' is not allowed: a value here is text, a number, "
        "true/false, null, a list or a mapping"
    )
    raise _TagRefused(None, None, problem, node.start_mark)


# Numbers as YAML 1.2 writes them, in decimal. PyYAML follows YAML 1.1, which reads `1e3`,
# `5E-1` and `1e308` (a float without a dot) as text, so a figure written so was "not a number";
# reads `017` as octal fifteen; and reads `0x1F`, `0b101`, `1_000` and `1:30` (hex, binary,
# grouped and base-60) as numbers the editor never sees written. Here a plain decimal is a
# number, `.inf` and `.nan` are the floats the schema refuses (E209), and every other form
# (`0x1F`, `0o17`, `1_000`, `1:30`) is text as written, which a number field reports (E203).
_INT = re.compile(r"^[-+]?[0-9]+$")
_FLOAT = re.compile(
    r"^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?"
    r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$"
)
_NUMBERS = (
    (_YAML_TAG + "int", _INT, "-+0123456789"),
    (_YAML_TAG + "float", _FLOAT, "-+0123456789."),
)
_SPECIAL = {".inf": math.inf, "+.inf": math.inf, "-.inf": -math.inf, ".nan": math.nan}

# Booleans as YAML 1.2's core schema writes them. PyYAML follows YAML 1.1, which also reads
# yes, no, on and off (in three casings) as booleans: the country code `no`, a note `off` or a
# tag `on` silently became false or true, and `draft: yes` was accepted where YAML 1.2 (and
# every other reader of the file) sees text. Here they are text; a true-or-false field given
# one says to write true or false (schema, E203). Nulls need no rule of ours: PyYAML's (`~`,
# `null`, `Null`, `NULL` and empty) are YAML 1.2's.
_BOOLEANS = {word: word[0] in "tT" for word in ("true", "True", "TRUE", "false", "False", "FALSE")}
_BOOL = (_YAML_TAG + "bool", re.compile(f"^(?:{'|'.join(_BOOLEANS)})$"), "tTfF")
# The words YAML 1.1 reads as booleans and YAML 1.2 as text, by what they were meant to say
# (PyYAML leaves out y and n, which the YAML 1.1 spec has).
YAML11_BOOLEANS = {
    **{word: True for word in ("yes", "Yes", "YES", "on", "On", "ON", "y", "Y")},
    **{word: False for word in ("no", "No", "NO", "off", "Off", "OFF", "n", "N")},
}
_YAML11_BOOL = (
    _YAML_TAG + "bool",
    re.compile(f"^(?:{'|'.join(YAML11_BOOLEANS)})$"),
    "yYnNoO",
)


def _resolvers(*dropped_kinds: str) -> dict[str | None, list[tuple[str, Any]]]:
    """PyYAML's implicit rules without `dropped_kinds`, with YAML 1.2's numbers and booleans
    (`_NUMBERS`, `_BOOL`) in place of its YAML 1.1 ones."""
    dropped = {_YAML_TAG + kind for kind in (*dropped_kinds, "int", "float", "bool")}
    return _with(_BaseLoader.yaml_implicit_resolvers, dropped, (*_NUMBERS, _BOOL))


def _with(
    base: Mapping[str | None, list[tuple[str, Any]]],
    dropped: set[str],
    added: tuple[tuple[str, re.Pattern[str], str], ...],
) -> dict[str | None, list[tuple[str, Any]]]:
    """The implicit rules of `base` without the tags in `dropped`, followed by `added`."""
    table: dict[str | None, list[tuple[str, Any]]] = {
        first: [(tag, regexp) for tag, regexp in resolvers if tag not in dropped]
        for first, resolvers in base.items()
    }
    for tag, regexp, firsts in added:
        for first in firsts:
            table.setdefault(first, []).append((tag, regexp))
    return table


def _construct_int(loader: Any, node: yaml.ScalarNode) -> int:
    return int(loader.construct_scalar(node))  # decimal: `017` is 17, never octal


def _construct_float(loader: Any, node: yaml.ScalarNode) -> float:
    text = loader.construct_scalar(node)
    special = _SPECIAL.get(text.lower())
    return special if special is not None else float(text)  # 1e400 is inf: refused as one


def _construct_bool(loader: Any, node: yaml.ScalarNode) -> bool:
    """A boolean as YAML 1.2 writes it; `!!bool yes` is refused, not read as YAML 1.1 would."""
    text = loader.construct_scalar(node)
    value = _BOOLEANS.get(text)
    if value is None:
        problem = f"'{excerpt(text, 60)}' is not a boolean: only true and false are"
        raise _NotBoolean(None, None, problem, node.start_mark)
    return value


class _Loader(_BaseLoader):  # type: ignore[misc]  # base chosen at run time: C loader if built
    """Safe loader for plain values only (see _PLAIN), without the implicit timestamp rule
    (dates are validated by us), with YAML 1.2's decimal numbers and booleans (`_NUMBERS`,
    `_BOOL`), that refuses duplicate keys instead of silently keeping the last one, and merge
    keys."""

    yaml_implicit_resolvers: ClassVar[dict[str | None, list[tuple[str, Any]]]] = _resolvers(
        "timestamp"
    )
    yaml_constructors: ClassVar[dict[str | None, Any]] = {
        **{tag: c for tag, c in _BaseLoader.yaml_constructors.items() if tag in _PLAIN},
        _YAML_TAG + "int": _construct_int,
        _YAML_TAG + "float": _construct_float,
        _YAML_TAG + "bool": _construct_bool,
        None: _refuse_tag,
    }
    yaml_multi_constructors: ClassVar[dict[str, Any]] = {}
    line_offset = 0

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: dict[tuple[str, str], yaml.Node] = {}
        for key_node, _ in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                continue
            if key_node.tag == _YAML_TAG + "merge":
                # A merged-in key is not written where it counts: a figure merged from another
                # entry silently brings that entry's `source` and `as_of`, and a key written
                # both ways keeps one without a duplicate-key error.
                raise _MergeRefused(
                    None, None, "merge keys (<<) are not allowed here", key_node.start_mark
                )
            first = seen.setdefault((key_node.tag, key_node.value), key_node)
            if first is not key_node:
                raise _DuplicateKey(
                    None,
                    None,
                    f"duplicate key '{excerpt(key_node.value, 60)}' on lines "
                    f"{first.start_mark.line + 1 + self.line_offset} and "
                    f"{key_node.start_mark.line + 1 + self.line_offset} "
                    "(only one can count)",
                    key_node.start_mark,
                )
        return super().construct_mapping(node, deep)  # type: ignore[no-any-return]


class Dumper(yaml.SafeDumper):
    """Writes values that `load` reads back as they were, and that a YAML 1.1 reader (an
    editor's linter, another tool) reads the same: a text either would read as something else
    is quoted, `1e3` (a number to `load`) and `no`, `y`, `on` or `0x1F` (a boolean or a number
    to YAML 1.1) alike. `spanvero prices add` writes with it. Dates keep their rule: a date is
    written bare (and read back as its text), a text that looks like one is quoted."""

    yaml_implicit_resolvers = _with(
        yaml.SafeDumper.yaml_implicit_resolvers, set(), (*_NUMBERS, _YAML11_BOOL)
    )


@dataclass(frozen=True)
class YamlError(Exception):
    """A YAML syntax problem, at a 1-based line and column of the parsed text."""

    message: str
    line: int
    col: int
    hint: str


def load(text: str, *, aliases: bool = True, line_offset: int = 0) -> Any:
    """Parse YAML text into plain Python values; raise YamlError with its position.

    Duplicate keys are an error naming both lines (counted from `line_offset`). With
    `aliases=False` (front-matter) an alias is an error; otherwise aliases may expand the
    document by at most MAX_EXTRA_NODES values, so a "billion laughs" file cannot exhaust
    memory or time in anything that walks the values.
    """
    loader = _Loader(text)
    loader.line_offset = line_offset
    try:
        node = loader.get_single_node()
        if node is None:
            return None
        if "*" in text:  # an alias is written `*name`: without one, no node can repeat
            _check_expansion(node, aliases)
        return loader.construct_document(node)
    except yaml.MarkedYAMLError as exc:
        unclosed = _unclosed(exc, line_offset)
        if unclosed is not None:
            raise unclosed from None
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        problem = exc.problem or exc.context or "invalid YAML"
        raise YamlError(problem, line, col, _HINTS.get(type(exc), SYNTAX_HINT)) from None
    except yaml.YAMLError as exc:
        raise YamlError(excerpt(str(exc), 160), 1, 1, SYNTAX_HINT) from None
    except (ValueError, OverflowError, RecursionError) as exc:  # e.g. a 5000-digit number
        raise YamlError(
            f"a value cannot be read: {excerpt(str(exc), 120)}",
            1,
            1,
            "write the number with fewer digits, or quote it if it is meant as text",
        ) from None
    finally:
        loader.dispose()


# What the parser was reading when it gave up further down, in the editor's words, and how to
# close it: a quote, `[` or `{` left open is reported where it was opened.
_OPENED = {
    "while scanning a quoted scalar": (
        "this quoted value is not closed",
        "close the quote where the value ends, with the same quote mark it opens with",
    ),
    "while parsing a flow sequence": (
        "this list in [ ] is not closed",
        "close the list with ']' where it ends (items are separated by commas)",
    ),
    "while parsing a flow mapping": (
        "this mapping in { } is not closed",
        "close the mapping with '}' where it ends (entries are separated by commas)",
    ),
}


def _unclosed(exc: yaml.MarkedYAMLError, line_offset: int) -> YamlError | None:
    """The error at the quote, `[` or `{` that opened what the parser could not finish, when
    it gave up on a later line (at the end of the file, or at the next key): that later line
    is not where the editor has to look."""
    opened = _OPENED.get(exc.context or "")
    start, end = exc.context_mark, exc.problem_mark
    if opened is None or start is None or end is None or end.line <= start.line:
        return None
    message, hint = opened
    gave_up = end.line + 1 + line_offset
    reason = "the YAML ends there" if "end of stream" in (exc.problem or "") else exc.problem
    return YamlError(
        f"{message} (the parser gave up at line {gave_up}: {reason})",
        start.line + 1,
        start.column + 1,
        hint,
    )


# Most YAML syntax errors come from one of these; the position is where the parser gave up.
SYNTAX_HINT = (
    "check indentation, and quote values that contain ': ' or start with a special character"
)
_DUPLICATE_HINT = "keep one of the two; YAML would silently use the last"
_ALIAS_HINT = "write the value out instead of repeating it with an alias"
_TAG_HINT = "remove the tag; quote the value if the '!' is part of the text"
_EQUALS_HINT = "write it in quotes: '='"
_MERGE_HINT = "write the keys out in this mapping instead of merging them in"
_BOOLEAN_HINT = "write true or false without the tag"
_HINTS: dict[type, str] = {}


class _DuplicateKey(yaml.constructor.ConstructorError):
    """Two equal keys in one mapping."""


class _AliasRefused(yaml.composer.ComposerError):
    """An alias where none is allowed, a recursive one, or too large an expansion."""


class _TagRefused(yaml.constructor.ConstructorError):
    """A tag that makes a value other than plain text, numbers, lists and mappings."""


class _BareEquals(yaml.constructor.ConstructorError):
    """A plain `=`, which YAML 1.1 resolves to a tag nothing constructs."""


class _MergeRefused(yaml.constructor.ConstructorError):
    """A merge key (<<), refused in every source (see `_Loader.construct_mapping`)."""


class _NotBoolean(yaml.constructor.ConstructorError):
    """A value tagged !!bool that YAML 1.2 does not read as one (`!!bool yes`)."""


def _check_expansion(root: yaml.Node, aliases: bool) -> None:
    """Reject aliases (when not allowed), recursive aliases and too large an expansion.

    An alias is the same node object reached a second time, so counting nodes with and
    without repeats measures what the aliases add, in time linear in the distinct nodes.
    """
    expanded: dict[int, int] = {}
    state: dict[int, int] = {}  # 1: being counted (on the stack), 2: done
    stack: list[tuple[yaml.Node, bool]] = [(root, False)]
    while stack:
        node, children_done = stack.pop()
        key = id(node)
        children = _children(node)
        if children_done:
            expanded[key] = 1 + sum(expanded[id(child)] for child in children)
            state[key] = 2
            continue
        if state.get(key) == 2:
            if not aliases:
                raise _alias_error(node, "aliases (*name) are not allowed here")
            continue
        if state.get(key) == 1:
            raise _alias_error(node, "a recursive alias (a value that contains itself)")
        state[key] = 1
        stack.append((node, True))
        stack.extend((child, False) for child in reversed(children))
    extra = expanded[id(root)] - len(expanded)
    if extra > MAX_EXTRA_NODES:
        raise _alias_error(
            root,
            f"aliases expand this document by {extra} values (more than {MAX_EXTRA_NODES})",
        )


def _children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    if isinstance(node, yaml.MappingNode):
        return [item for pair in node.value for item in pair]
    return []


def _alias_error(node: yaml.Node, problem: str) -> yaml.MarkedYAMLError:
    return _AliasRefused(None, None, problem, node.start_mark)


_HINTS.update(
    {
        _DuplicateKey: _DUPLICATE_HINT,
        _AliasRefused: _ALIAS_HINT,
        _TagRefused: _TAG_HINT,
        _BareEquals: _EQUALS_HINT,
        _MergeRefused: _MERGE_HINT,
        _NotBoolean: _BOOLEAN_HINT,
    }
)


class Positions:
    """Finds where values sit in one YAML text; composes the text once, on first use."""

    def __init__(
        self, text: str, line_offset: int = 0, kept: Mapping[str, tuple[int, ...]] | None = None
    ) -> None:
        self._text = text
        self._offset = line_offset
        self._kept = dict(kept or {})
        self._root: yaml.Node | None = None
        self._composed = False

    def keeping(self, kept: Mapping[str, tuple[int, ...]]) -> Positions:
        """These positions for a value whose top-level lists lost items (their repeats):
        item i of list `key` is the item at `kept[key][i]` in the text."""
        return Positions(self._text, self._offset, {**self._kept, **kept})

    def locate(self, path: tuple[str | int, ...]) -> tuple[int, int]:
        """The 1-based (line, col) of the value at `path` (keys and list indexes).

        A mapping entry is located at its key (where an editor looks for it), a list item at
        the item. A path that leaves the document stops at the nearest real place it reached.
        """
        if not self._composed:
            self._root = yaml.compose(self._text, Loader=_Loader)
            self._composed = True
        node = self._root
        line, col = 0, 0
        kept = self._kept.get(str(path[0])) if len(path) > 1 else None
        if kept is not None and isinstance(path[1], int) and 0 <= path[1] < len(kept):
            path = (path[0], kept[path[1]], *path[2:])
        for step in path:
            if isinstance(step, str) and isinstance(node, yaml.MappingNode):
                for key_node, value_node in node.value:
                    if key_node.value == step:
                        line, col = key_node.start_mark.line, key_node.start_mark.column
                        node = value_node
                        break
                else:
                    break
            elif isinstance(step, int) and isinstance(node, yaml.SequenceNode):
                if step >= len(node.value):
                    break
                node = node.value[step]
                line, col = node.start_mark.line, node.start_mark.column
            else:
                break
        return line + 1 + self._offset, col + 1
