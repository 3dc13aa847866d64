"""The floor of our stack: what a build of the peer corpus costs with no checks and no graph.

Issue #15 measures `spanvero build` against this: PyYAML's C loader for front-matter,
markdown-it-py for the body, Pygments for code blocks (with `--highlight`) and one Jinja
template, one file per page, on one process or several. Nothing is validated, linked, cached or
indexed, so whatever spanvero costs above this is the price of its own pipeline. The shared peer
harness calls it as `raw_python_floor.py` (see `bench/peers.sh`):

    python floor.py build CONTENT OUT [--workers N] [--highlight]
    python floor.py profile CONTENT [--highlight]     # one JSON line: microseconds per page

It imports only the stack's libraries, so it runs in the harness's own virtualenv.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import jinja2
import yaml
from markdown_it import MarkdownIt
from pygments import highlight as pygments_highlight
from pygments.formatters import HtmlFormatter
from pygments.lexers import get_lexer_by_name
from pygments.util import ClassNotFound

TEMPLATE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{{ title }}</title>
<meta name="description" content="{{ description }}"></head>
<body><main><h1>{{ title }}</h1>
<ul class="tags">{% for t in tags %}<li>{{ t }}</li>{% endfor %}</ul>
{{ body }}
<h2>Related</h2>
<ul>{% for r in related %}<li><a href="/learn/{{ r }}/">{{ r }}</a></li>{% endfor %}</ul>
</main></body></html>
"""

_FORMATTER = HtmlFormatter(nowrap=False)


def _highlight(code: str, lang: str, _attrs: str) -> str:
    """Pygments for a fenced block, as spanvero highlights at build time."""
    try:
        lexer = get_lexer_by_name(lang or "text")
    except ClassNotFound:
        return ""
    return str(pygments_highlight(code, lexer, _FORMATTER))


def _markdown(highlight: bool) -> MarkdownIt:
    options: dict[str, Any] = {"highlight": _highlight} if highlight else {}
    return MarkdownIt("commonmark", options).enable("table")


def _split(text: str) -> tuple[str, str]:
    """Front-matter and body of a `---` delimited page."""
    _, front, body = text.split("---\n", 2)
    return front, body


class Stages:
    """The four stages, each a function, so `profile` can time them one by one."""

    def __init__(self, highlight: bool) -> None:
        self.md = _markdown(highlight)
        self.template = jinja2.Environment(autoescape=True).from_string(TEMPLATE)

    def parse(self, text: str) -> tuple[dict[str, Any], str]:
        front, body = _split(text)
        return yaml.load(front, Loader=yaml.CSafeLoader), body

    def render_body(self, body: str) -> str:
        return self.md.render(body)

    def render_page(self, meta: dict[str, Any], html: str) -> str:
        return self.template.render(body=jinja2.utils.markupsafe.Markup(html), **meta)


def _build_one(stages: Stages, source: Path, out: Path) -> None:
    meta, body = stages.parse(source.read_text(encoding="utf-8"))
    page = stages.render_page(meta, stages.render_body(body))
    target = out / source.stem / "index.html"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(page, encoding="utf-8")


_WORKER: dict[str, Any] = {}


def _init_worker(highlight: bool, out: str) -> None:
    _WORKER["stages"], _WORKER["out"] = Stages(highlight), Path(out)


def _work(paths: list[str]) -> int:
    for p in paths:
        _build_one(_WORKER["stages"], Path(p), _WORKER["out"])
    return len(paths)


def _chunks(items: list[str], size: int) -> Iterator[list[str]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def build(content: Path, out: Path, workers: int, highlight: bool) -> int:
    sources = sorted(str(p) for p in content.glob("*.md"))
    if workers <= 1:
        _init_worker(highlight, str(out))
        return _work(sources)
    with multiprocessing.get_context("fork").Pool(
        workers, _init_worker, (highlight, str(out))
    ) as pool:
        return sum(pool.imap_unordered(_work, _chunks(sources, 64)))


def _best_of(runs: int, fn: Callable[[], object]) -> float:
    best = float("inf")
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    return best


def profile(content: Path, highlight: bool) -> dict[str, Any]:
    """Microseconds per page of each stage, best of 3, on one process."""
    stages = Stages(highlight)
    texts = [p.read_text(encoding="utf-8") for p in sorted(content.glob("*.md"))]
    parsed = [stages.parse(t) for t in texts]
    bodies = [stages.render_body(b) for _, b in parsed]
    n = len(texts)
    timings = {
        "yaml": _best_of(3, lambda: [stages.parse(t) for t in texts]),
        "markdown": _best_of(3, lambda: [stages.render_body(b) for _, b in parsed]),
        "jinja": _best_of(
            3, lambda: [stages.render_page(m, h) for (m, _), h in zip(parsed, bodies, strict=True)]
        ),
    }
    return {
        "pages": n,
        "highlight": highlight,
        **{k: round(v / n * 1e6, 1) for k, v in timings.items()},
    }


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    b = commands.add_parser("build")
    b.add_argument("content", type=Path)
    b.add_argument("out", type=Path)
    b.add_argument("--workers", type=int, default=1)
    b.add_argument("--highlight", action="store_true")
    p = commands.add_parser("profile")
    p.add_argument("content", type=Path)
    p.add_argument("--highlight", action="store_true")
    args = parser.parse_args(argv)
    if args.command == "build":
        count = build(args.content, args.out, args.workers, args.highlight)
        print(f"floor: {count} pages", file=sys.stderr)
    else:
        print(json.dumps(profile(args.content, args.highlight)))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
