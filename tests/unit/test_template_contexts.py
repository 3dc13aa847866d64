"""Every page template has a typed context named after it, and reads nothing that type lacks.

So a key a view forgets is a type error (mypy, strict) and a key a template reads that no type
declares fails here, before either is a StrictUndefined at render time.
"""

from __future__ import annotations

import importlib
import pkgutil
import typing
from pathlib import Path

import pytest

from spanvero_site import sections
from spanvero_site.core.config import load_config
from spanvero_site.core.context import PageContext
from spanvero_site.core.diagnostics import Diagnostics
from spanvero_site.core.render import Renderer
from tests.conftest import REPO

TEMPLATES = sorted(p.name for p in (REPO / "templates").glob("*.html") if p.name != "base.html")


def context_name(template: str) -> str:
    """'learn_index.html' -> 'LearnIndexContext'; '404.html' -> 'NotFoundContext'."""
    stem = {"404": "not_found"}.get(template.removesuffix(".html"), template.removesuffix(".html"))
    return "".join(part.capitalize() for part in stem.split("_")) + "Context"


def context_types() -> dict[str, type]:
    found: dict[str, type] = {}
    for info in pkgutil.walk_packages(sections.__path__, "spanvero_site.sections."):
        module = importlib.import_module(info.name)
        for name, value in vars(module).items():
            if typing.is_typeddict(value) and getattr(value, "__module__", "") == info.name:
                found[name] = value
    return found


@pytest.fixture(scope="module")
def renderer() -> Renderer:
    config = load_config(REPO, Diagnostics())
    assert config is not None
    return Renderer(REPO, config, {})


@pytest.mark.parametrize("template", TEMPLATES)
def test_each_template_reads_only_what_its_context_type_declares(
    template: str, renderer: Renderer
) -> None:
    types = context_types()
    name = context_name(template)
    assert name in types, f"declare `class {name}(PageContext)` in the view module of {template}"
    declared = set(typing.get_type_hints(types[name]))
    assert set(typing.get_type_hints(PageContext)) <= declared  # every page extends base.html
    missing = renderer.template_variables(template) - declared
    assert not missing, f"{template} reads {sorted(missing)}, which {name} does not declare"


def test_the_check_catches_an_undeclared_key(tmp_path: Path, renderer: Renderer) -> None:
    config = load_config(REPO, Diagnostics())
    assert config is not None
    (tmp_path / "templates").mkdir()
    (tmp_path / "templates" / "x.html").write_text("{{ title }} {{ surprise }}{{ url('/') }}")
    assert Renderer(tmp_path, config, {}).template_variables("x.html") == {"title", "surprise"}
