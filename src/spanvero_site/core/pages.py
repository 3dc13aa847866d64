"""The plain, frozen records that flow between the core stages: pages, links, outputs."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from spanvero_site.core.paths import check_output_file
from spanvero_site.core.pickling import tuple_pickled
from spanvero_site.core.yamlsource import Positions


@tuple_pickled
@dataclass(frozen=True, slots=True)
class Page:
    """One Markdown source: an explainer, the home page or the calculator's intro.

    `tags`, `related` and `aliases` hold no repeats (the loader reports and drops them, W304),
    so nothing that shows them need check.
    """

    id: str
    kind: str
    source: str
    url: str
    title: str
    short_title: str
    answer: str
    body: str
    body_line: int
    date: dt.date | None = None
    updated: dt.date | None = None
    topic: str | None = None
    weight: int = 0
    draft: bool = False
    tags: tuple[str, ...] = ()
    related: tuple[str, ...] = ()
    aliases: tuple[str, ...] = ()
    positions: Positions | None = field(default=None, compare=False, repr=False)

    def line_of(self, *path: str | int) -> tuple[int, int]:
        """File (line, col) of a front-matter value, e.g. ("related", 2), for diagnostics."""
        return self.positions.locate(path) if self.positions else (1, 1)


@tuple_pickled
@dataclass(frozen=True, slots=True)
class Unusable:
    """A source that tried to define `id` (and `url`) but is left out of this build: it failed
    to load (already reported, so references to it are not reported again), or it is a draft
    and the build is not a --drafts preview (references to it say so)."""

    id: str
    url: str
    source: str
    draft: bool = False


@tuple_pickled
@dataclass(frozen=True, slots=True)
class Target:
    """Anything a `related:` id can name: an explainer, a model, a section index."""

    id: str
    title: str
    short_title: str
    url: str


@tuple_pickled
@dataclass(frozen=True, slots=True)
class Heading:
    """A heading of a rendered body, for the table of contents and anchor checks."""

    level: int
    text: str
    id: str


@tuple_pickled
@dataclass(frozen=True, slots=True)
class Link:
    """A link found in a rendered body, with the source line and column it was written at.

    `md_path` is set when the link named a Markdown file that no page is built from;
    `image` when it is an image's source, which a broken one is reported as.
    """

    href: str
    line: int
    md_path: str | None = None
    col: int = 1
    image: bool = False


@tuple_pickled
@dataclass(frozen=True, slots=True)
class FigureBlock:
    """A ```figure block of a body: its text (a chart request in YAML) and its fence's line.

    The Markdown leaves a slot in its place; the page's section draws the figure into it.
    """

    text: str
    line: int


@tuple_pickled
@dataclass(frozen=True, slots=True)
class BodyProblem:
    """Markdown in a body that the page would lose or show as written rather than as meant
    (E403, or the warnings W404 and W405 of `mdchecks`): found while rendering, reported
    wherever the body's links are checked."""

    line: int
    col: int
    message: str
    hint: str
    code: str


@dataclass(frozen=True, slots=True)
class Rendered:
    """A Markdown body as HTML, with the headings, links and figure requests it contains."""

    html: str
    headings: tuple[Heading, ...]
    links: tuple[Link, ...]
    has_code: bool
    figures: tuple[FigureBlock, ...] = ()
    problems: tuple[BodyProblem, ...] = ()

    # Pickled (the persistent cache, the worker pool) with the HTML as UTF-8 bytes: pickling a
    # str that is not ASCII leaves a UTF-8 copy of it cached on the string for its whole life.
    def __getstate__(self) -> tuple[object, ...]:
        return (
            self.html.encode("utf-8"),
            self.headings,
            self.links,
            self.has_code,
            self.figures,
            self.problems,
        )

    def __setstate__(self, state: tuple[Any, ...]) -> None:
        html, *rest = state
        for name, value in zip(_RENDERED_FIELDS, (html.decode("utf-8"), *rest), strict=True):
            object.__setattr__(self, name, value)


_RENDERED_FIELDS = ("html", "headings", "links", "has_code", "figures", "problems")


@tuple_pickled
@dataclass(frozen=True, slots=True)
class Output:
    """One file of the built site: its path under the output folder and its bytes.

    The path is checked when the Output is made (core/paths.py), so an unsafe path is a bug
    caught at its source, never a file written outside the output folder.
    """

    path: str
    data: bytes

    def __post_init__(self) -> None:
        check_output_file(self.path)
