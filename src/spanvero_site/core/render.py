"""The Jinja environment, and template problems turned into diagnostics at template file:line.

Autoescape is on and undefined variables are errors (StrictUndefined), so a typo in a template
fails the build at its line instead of silently printing nothing.
"""

from __future__ import annotations

import re
import traceback
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import jinja2
from jinja2 import meta, nodes
from jinja2.loaders import split_template_path

from spanvero_site.core.assets import STATIC
from spanvero_site.core.config import SiteConfig
from spanvero_site.core.diagnostics import (
    Diagnostics,
    choose_from,
    did_you_mean,
    did_you_mean_path,
    excerpt,
)
from spanvero_site.core.formatting import TEMPLATE_FILTERS
from spanvero_site.core.sources import Refusal, read_text, refusal
from spanvero_site.core.templateblocks import unclosed_block
from spanvero_site.core.templateloops import TemplateLoops, parser

TEMPLATES = "templates"
_LITERAL_ID = re.compile(r"""\bid=["']([^"'{}\s]+)["']""")


def template_ids(folder: Path) -> frozenset[str]:
    """The literal ids the templates under `folder` give their own elements (`id="main"`),
    which a Markdown heading must not take. Unreadable templates are reported elsewhere."""
    found: set[str] = set()
    for path in sorted(folder.rglob("*.html")) if folder.is_dir() else ():
        try:
            found.update(_LITERAL_ID.findall(path.read_text(encoding="utf-8", errors="replace")))
        except OSError:
            continue
    return frozenset(found)


class TemplateFailed(Exception):
    """A page could not be rendered; the reason is already in the diagnostics."""


class _Refused(jinja2.TemplateNotFound):
    """A template the rule every source obeys refuses to read (`sources.refusal`)."""

    def __init__(self, name: str, refused: Refusal) -> None:
        super().__init__(name)
        self.refused = refused


class _SiteLoader(jinja2.FileSystemLoader):
    """Jinja's file loader held to the sources' rule: on its own it follows a symbolic link
    out of the site (publishing what it points at) or into a linked folder, whose files no
    listing or cache fingerprint of the build sees."""

    def __init__(self, root: Path) -> None:
        super().__init__(root / TEMPLATES)
        self._root = root

    def get_source(
        self, environment: jinja2.Environment, template: str
    ) -> tuple[str, str, Callable[[], bool]]:
        rel = "/".join((TEMPLATES, *split_template_path(template)))
        refused = refusal(self._root, rel)
        if refused is not None:
            raise _Refused(template, refused)
        return super().get_source(environment, template)


class _Strftime(Exception):
    """A template asked a date for `strftime`: reported at its line (E503)."""


class _Environment(jinja2.Environment):
    """Jinja's environment with a date's `strftime` out of reach of templates.

    Its `%B` names the month in whatever language LC_TIME holds once anything in the process
    calls setlocale, and `%-d` exists only in glibc, so a page would differ between machines.
    Every attribute a template reads passes through `getattr` (and `x["..."]` through
    `getitem`), so refusing it here leaves no way round the `day` filter.
    """

    def getattr(self, obj: Any, attribute: str) -> Any:
        if attribute == "strftime":
            raise _Strftime
        return super().getattr(obj, attribute)

    def getitem(self, obj: Any, argument: Any) -> Any:
        if argument == "strftime":
            raise _Strftime
        return super().getitem(obj, argument)


class MissingAsset(Exception):
    """`asset(name)` names no file in static/: reported at the template line that asks."""

    def __init__(self, name: str, known: frozenset[str]) -> None:
        super().__init__(name)
        self.name, self.known = name, known


class Renderer:
    """Renders pages through the site's templates with the site-wide helpers."""

    def __init__(
        self,
        root: Path,
        config: SiteConfig,
        assets: Mapping[str, str],
        compiled: jinja2.BytecodeCache | None = None,
    ) -> None:
        self._dir = (root / TEMPLATES).resolve()
        self._root = root.resolve()
        self._loader = _SiteLoader(self._root)
        self._env = _Environment(
            loader=self._loader,
            autoescape=True,
            undefined=jinja2.StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=True,
            bytecode_cache=compiled,
            # A Renderer serves one set of templates: the Builder makes a new one when any
            # template changes, so Jinja need not stat its files on every page (4,000 a build).
            auto_reload=False,
        )
        self._env.filters.update(TEMPLATE_FILTERS)
        self._loops = TemplateLoops(parser(self._env))
        base = config.base_path.rstrip("/")
        self._env.globals.update(
            site=config,
            url=lambda path: base + path,
            asset=lambda name: base + _asset(assets, name),
            absolute_url=lambda path: config.base_url.rstrip("/") + path,
        )

    def template_variables(self, name: str) -> frozenset[str]:
        """The context keys a page template reads, with its includes and the template it
        extends, less the site-wide globals: what its typed context must provide.

        A name an including template binds (`{% with entries = ... %}`, a loop variable) is
        not asked of the context when its partial reads it.
        """
        names: set[str] = set()
        pending: list[tuple[str, frozenset[str]]] = [(name, frozenset())]
        seen: set[str] = set()
        while pending:
            current, bound = pending.pop()
            if current in seen:
                continue
            seen.add(current)
            ast = self._env.parse(self._loader.get_source(self._env, current)[0])
            names |= meta.find_undeclared_variables(ast) - bound
            stored = {n.name for n in ast.find_all(nodes.Name) if n.ctx in ("store", "param")}
            pending += [(t, bound | stored) for t in meta.find_referenced_templates(ast) if t]
        return frozenset(names - set(self._env.globals))

    def check_syntax(self, diags: Diagnostics) -> None:
        """Compile every template once, so all syntax errors surface even in unused ones."""
        for path in sorted(self._dir.rglob("*.html")):
            name = path.relative_to(self._dir).as_posix()
            rel = f"{TEMPLATES}/{name}"
            if read_text(self._root, rel, diags) is None:  # E101/E104, said once, here
                continue
            try:
                self._env.get_template(name)
            except jinja2.TemplateSyntaxError as exc:
                self._syntax_error(exc, diags)
            else:
                self._report_loop(name, diags)

    def _report_loop(self, template: str, diags: Diagnostics) -> bool:
        """Whether `template` leads into a loop of templates (reported at the line that
        refers on from the loop's first template)."""
        loop = self._loops.reached_from(template)
        if loop is None:
            return False
        diags.error(
            "E503",
            f"templates include each other in a loop: {loop.describe()}",
            f"{TEMPLATES}/{loop.names[0]}",
            loop.line,
            1,
            "every render would go round it without end: remove the extends, include or "
            "import that leads back, or put it under an {% if %} that stops it",
        )
        return True

    def render(self, template: str, context: Mapping[str, Any], diags: Diagnostics) -> str:
        """Render `template` with `context`; raise TemplateFailed after recording why."""
        if self._report_loop(template, diags):
            raise TemplateFailed(template)
        try:
            return self._env.get_template(template).render(context)
        except jinja2.TemplateSyntaxError as exc:
            self._syntax_error(exc, diags)
        except _Refused as exc:
            rel = f"{TEMPLATES}/{exc.name}"
            diags.error("E104", f"not read: {exc.refused.problem}", rel, 1, 1, exc.refused.hint)
        except jinja2.TemplateNotFound as exc:
            # At the extends or include that names it (the page's template when that is what
            # is missing), so a partial's typo is one diagnostic, not one per page template
            known = [n for n in self._env.list_templates() if n.endswith(".html")]
            self._failed_at(
                exc,
                template,
                "E503",
                f"template '{excerpt(str(exc.name), 80)}' not found",
                did_you_mean_path(str(exc.name), known) or f"create {TEMPLATES}/{exc.name}",
                diags,
            )
        except (UnicodeDecodeError, OSError):
            # Whichever template (or include) it was, check_syntax reports it at its path:
            # read them all again, so the same diagnostic is recorded (once) here too.
            for source in sorted(self._dir.rglob("*.html")):
                read_text(self._root, source.relative_to(self._root).as_posix(), diags)
        except MissingAsset as exc:
            self._failed_at(
                exc,
                template,
                "E503",
                f"asset('{excerpt(exc.name, 60)}'): there is no {STATIC}/{excerpt(exc.name, 60)}",
                did_you_mean(exc.name, exc.known) or f"add {STATIC}/{exc.name}, or fix the name",
                diags,
            )
        except _Strftime as exc:
            self._failed_at(
                exc,
                template,
                "E503",
                "strftime is not available in templates",
                "its month names follow the locale of the machine that builds and %-d only "
                "exists in glibc: write {{ value|day }} for '5 November 2026', or "
                "{{ value.isoformat() }} for 2026-11-05",
                diags,
            )
        except jinja2.UndefinedError as exc:
            self._failed_at(
                exc,
                template,
                "E502",
                f"undefined template variable: {exc.message}",
                "check the name's spelling, or guard it with {% if ... is defined %}",
                diags,
            )
        except RecursionError as exc:
            self._failed_at(
                exc,
                template,
                "E503",
                "templates went round a loop until Python's recursion limit",
                "a template that includes or imports itself (or a macro that calls itself) "
                "needs a condition that stops it: check the {% if %} around the include or "
                "call on this line",
                diags,
            )
        except Exception as exc:
            self._failed_at(
                exc,
                template,
                "E503",
                f"template error: {type(exc).__name__}: {excerpt(str(exc), 120)}",
                "this line of the template failed on the values it was given: check the "
                "filters and tests it applies, and that each value is of the kind they take",
                diags,
            )
        raise TemplateFailed(template)

    def _failed_at(
        self,
        exc: BaseException,
        template: str,
        code: str,
        message: str,
        hint: str,
        diags: Diagnostics,
    ) -> None:
        """Report a failure at the template line that raised it (`template`'s own file when
        the traceback names none)."""
        path, line = self._template_frame(exc)
        diags.error(code, message, path or f"{TEMPLATES}/{template}", line, 1, hint)

    def _syntax_error(self, exc: jinja2.TemplateSyntaxError, diags: Diagnostics) -> None:
        path = self._display(exc.filename) or f"{TEMPLATES}/{exc.name}"
        block = unclosed_block(self._env, exc)
        if block is not None:  # at the line that opened it, not where Jinja gave up
            message, line, hint = block.describe(), block.line, block.hint()
        else:
            message, line = exc.message or "", exc.lineno or 1
            hint = _syntax_hint(message, self._env)
        diags.error("E501", f"template syntax error: {message}", path, line, 1, hint)

    def _template_frame(self, exc: BaseException) -> tuple[str | None, int]:
        """The innermost template file and line in `exc`'s traceback (Jinja rewrites them)."""
        found: tuple[str | None, int] = (None, 1)
        # A template that includes itself under an {% if %} that never stops leaves a
        # thousand frames of a few files: each file's path is resolved once, not per frame.
        shown_as: dict[str, str | None] = {}
        for frame in traceback.extract_tb(exc.__traceback__):
            if frame.filename not in shown_as:
                shown_as[frame.filename] = self._display(frame.filename)
            shown = shown_as[frame.filename]
            if shown and shown.startswith(TEMPLATES + "/"):
                found = (shown, frame.lineno or 1)
        return found

    def _display(self, filename: str | None) -> str | None:
        if not filename:
            return None
        try:
            return Path(filename).resolve().relative_to(self._root).as_posix()
        except ValueError:
            return None


def _asset(assets: Mapping[str, str], name: str) -> str:
    """The URL a static file is served at; MissingAsset when static/ has no such file."""
    url = assets.get(name)
    if url is None:
        raise MissingAsset(name, frozenset(assets))
    return url


# Jinja's messages for a name it does not know: the hint offers the closest known one.
_UNKNOWN = re.compile(r"^No (filter|test) named '([^']*)'")


def _syntax_hint(message: str, env: jinja2.Environment) -> str:
    """What to do about a template syntax error, by what Jinja says is wrong."""
    unknown = _UNKNOWN.match(message)
    if unknown:
        kind, name = unknown.groups()
        known = env.filters if kind == "filter" else env.tests
        return choose_from(name, sorted(known), f"the {kind}s are: ", f"there are no {kind}s")
    if "end of template" in message or "Encountered unknown tag 'end" in message:
        return "check that every {% block %}, {% if %} and {% for %} is closed"
    if "unknown tag" in message:
        return "the tags are block, extends, include, if, for, set, with, macro and their ends"
    return "compare the line with Jinja's syntax: {{ value }}, {% tag %}, {# comment #}"
