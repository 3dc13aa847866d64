"""YAML loading that keeps line numbers within reach.

Values are loaded with PyYAML's C loader when present (about 9x faster than the pure-Python one).
Dates are left as strings so that a bad date becomes our diagnostic rather than a loader crash.
Positions are only computed when a diagnostic needs one: `Positions` composes the text on first
use, which keeps the common, valid path fast.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

import yaml

_BaseLoader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Loader(_BaseLoader):  # type: ignore[misc]  # base chosen at run time: C loader if built
    """Safe loader without the implicit timestamp rule (dates are validated by us)."""

    yaml_implicit_resolvers: ClassVar[dict[str, list[tuple[str, Any]]]] = {
        first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
        for first, resolvers in _BaseLoader.yaml_implicit_resolvers.items()
    }


@dataclass(frozen=True)
class YamlError(Exception):
    """A YAML syntax problem, at a 1-based line and column of the parsed text."""

    message: str
    line: int
    col: int


def load(text: str) -> Any:
    """Parse YAML text into plain Python values; raise YamlError with its position."""
    try:
        return yaml.load(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        problem = exc.problem or exc.context or "invalid YAML"
        raise YamlError(problem, line, col) from None
    except yaml.YAMLError as exc:
        raise YamlError(str(exc), 1, 1) from None


class Positions:
    """Finds where values sit in one YAML text; composes the text once, on first use."""

    def __init__(self, text: str, line_offset: int = 0) -> None:
        self._text = text
        self._offset = line_offset
        self._root: yaml.Node | None = None
        self._composed = False

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
