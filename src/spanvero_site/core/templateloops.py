"""Templates that include, extend or import each other in a loop, found before any is rendered.

Jinja follows `{% include "partials/footer.html" %}` inside partials/footer.html until Python's
recursion limit, then raises a RecursionError with a thousand template frames in its
traceback, on every page that uses the template: half a second a page, and a message that
names no include. Every name a template gives as text is followed here instead, so a loop
is one diagnostic at the line that closes it, and no page is rendered into it. (A name
computed at render time cannot be followed; the render's own error still reports that one.)
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass

import jinja2
from jinja2 import nodes

_REFERENCES = (nodes.Extends, nodes.Include, nodes.Import, nodes.FromImport)
_Reference = nodes.Extends | nodes.Include | nodes.Import | nodes.FromImport

# A template's source as text, or None when it cannot be read or parsed (said elsewhere)
Parse = Callable[[str], nodes.Template | None]


@dataclass(frozen=True)
class Loop:
    """Templates that lead back to the first: `names[0]` refers to `names[1]` at `line`, and
    so on round to `names[0]` again. Written from its least name, so every page that reaches
    it reports the same loop."""

    names: tuple[str, ...]
    line: int  # where names[0] refers to names[1]

    def describe(self) -> str:
        """The loop as the editor follows it: "a.html → b.html → a.html"."""
        return " → ".join((*self.names, self.names[0]))


class TemplateLoops:
    """The loop each template reaches through the names it gives as text, remembered."""

    def __init__(self, parse: Parse) -> None:
        self._parse = parse
        self._asts: dict[str, nodes.Template | None] = {}
        self._references: dict[str, tuple[tuple[str, int], ...]] = {}
        self._found: dict[str, Loop | None] = {}

    def reached_from(self, template: str) -> Loop | None:
        """The first loop `template` leads into (itself in it or not), or None."""
        if template not in self._found:
            self._found[template] = self._search(template)
        return self._found[template]

    def _search(self, start: str) -> Loop | None:
        path: list[str] = []
        lines: list[int] = []
        done: set[str] = set()

        def visit(name: str) -> Loop | None:
            if name in path:  # back to a template on the way: the loop is the rest of the way
                at = path.index(name)
                return _canonical(path[at:], lines[at:])
            if name in done:
                return None
            path.append(name)
            for target, line in self._refers_to(name):
                lines.append(line)
                loop = visit(target)
                lines.pop()
                if loop is not None:
                    return loop
            path.pop()
            done.add(name)
            return None

        return visit(start)

    def _refers_to(self, name: str) -> tuple[tuple[str, int], ...]:
        """The templates every render of `name` extends, includes or imports by a name written
        as text, each with its line, in the order written. Of a list (`{% include ["a.html",
        "b.html"] %}`) Jinja uses the first that loads."""
        if name not in self._references:
            ast = self._parsed(name)
            found: list[tuple[str, int]] = []
            for node in _unconditional(ast) if ast is not None else ():
                names = _names(node.template)
                used = next((n for n in names if self._parsed(n) is not None), None)
                if used is not None:
                    found.append((used, node.lineno))
            self._references[name] = tuple(found)
        return self._references[name]

    def _parsed(self, name: str) -> nodes.Template | None:
        if name not in self._asts:
            self._asts[name] = self._parse(name)
        return self._asts[name]


def parser(env: jinja2.Environment) -> Parse:
    """A `Parse` over `env`'s loader: a template that is missing, refused or does not parse
    leads nowhere here (the render reports it)."""

    def parse(name: str) -> nodes.Template | None:
        try:
            assert env.loader is not None
            return env.parse(env.loader.get_source(env, name)[0])
        except (jinja2.TemplateError, OSError, UnicodeDecodeError):
            return None

    return parse


def _unconditional(node: nodes.Node) -> Iterator[_Reference]:
    """The references under `node` that every render reaches: not inside an `if`, a `for`
    (a partial that includes itself for each child of a tree stops at the leaves) or a
    macro (which may never be called)."""
    for child in node.iter_child_nodes():
        if isinstance(child, _REFERENCES):
            yield child
        elif not isinstance(child, _MAYBE):
            yield from _unconditional(child)


_MAYBE = (nodes.If, nodes.For, nodes.Macro, nodes.CallBlock)


def _names(template: nodes.Expr) -> list[str]:
    """The template names an include gives as text: one, or a list it tries in order."""
    if isinstance(template, nodes.Const) and isinstance(template.value, str):
        return [template.value]
    if isinstance(template, nodes.Tuple | nodes.List):
        return [n for item in template.items for n in _names(item)]
    return []


def _canonical(names: Sequence[str], lines: Sequence[int]) -> Loop:
    """The loop turned to start at its least name, with the line where that one refers on."""
    first = names.index(min(names))
    return Loop((*names[first:], *names[:first]), (*lines[first:], *lines[:first])[0])
