"""The README documents exactly the keys the schemas accept: front-matter, site.yaml, data files.

Each README passage about a file is compared with the `Field` schemas the code checks that file
against: every key the code accepts is named in the passage (so an editor can find it), and
every key the passage lists in a `{...}` group, the site.yaml table or the front-matter example
is one the code accepts (so an editor is not told to write a key that only earns W205).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import fields
from pathlib import Path

import pytest

from spanvero_site.core import config
from spanvero_site.core.schema import Field
from spanvero_site.core.sources import SECTION_SCHEMA
from spanvero_site.data import catalog, measurements, prices
from spanvero_site.sections.advisor import data as advisor
from spanvero_site.sections.learn.loader import EXPLAINER_SCHEMA

README = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
_NAME = re.compile(r"[a-z_][a-z0-9_]*")


def _passage(start: str, end: str) -> str:
    """The README's text from `start` up to the next `end`."""
    return README.split(start, 1)[1].split(end, 1)[0]


def _keys(*schemas: Mapping[str, Field]) -> set[str]:
    """Every key of the schemas, nested mappings' keys included."""
    found: set[str] = set()
    for schema in schemas:
        for key, field in schema.items():
            found.add(key)
            if field.schema:
                found |= _keys(field.schema)
    return found


def _named(text: str) -> set[str]:
    """Every name written in code spans of the text."""
    return {name for span in re.findall(r"`([^`]+)`", text) for name in _NAME.findall(span)}


def _listed(text: str) -> set[str]:
    """The keys of every `{key, key: value, ...}` code span, nested groups included; a span
    after "e.g." is an example of a free-form mapping's contents, not a list of keys."""
    found: set[str] = set()
    for span in re.findall(r"(?<!e\.g\. )`(\{[^`]*\})`", text):
        found |= {m for m in re.findall(r"[{,]\s*([a-z_][a-z0-9_]*)\s*(?=[:,}])", span)}
    return found


# (README passage start, where it ends, the schemas the code checks that file against)
DATA_FILES = {
    "models": (
        "**content/models/&lt;id&gt;.yaml**",
        "**content/data/gpus.yaml**",
        (catalog.MODEL_SCHEMA,),
    ),
    "gpus": ("**content/data/gpus.yaml**", "**content/data/prices.yaml**", (catalog.GPU_SCHEMA,)),
    "prices": (
        "**content/data/prices.yaml**",
        "**content/data/measurements.yaml**",
        (
            prices._TOP,
            prices._RENTAL,
            prices._API,
            prices._OBSERVATION,
            prices._RENTAL_VALUES,
            prices._API_VALUES,
            prices._ELECTRICITY,
        ),
    ),
    "measurements": (
        "**content/data/measurements.yaml**",
        "**content/data/advisor.yaml**",
        (measurements._MEASUREMENT,),
    ),
    "advisor": (
        "**content/data/advisor.yaml**",
        "## Diagnostics",
        (
            advisor._TOP,
            advisor._QUESTION,
            advisor._OPTION,
            advisor._APPROACH,
            advisor._RULE,
            advisor._PLACEMENT,
        ),
    ),
}


@pytest.mark.parametrize("name", sorted(DATA_FILES))
def test_data_file_passage_names_every_key_and_only_real_keys(name: str) -> None:
    start, end, schemas = DATA_FILES[name]
    text = _passage(start, end)
    accepted = _keys(*schemas)
    assert accepted - _named(text) == set(), f"{name}: keys the code accepts, not in the README"
    assert _listed(text) - accepted == set(), f"{name}: keys the README lists, not in the code"


def test_front_matter_example_has_exactly_the_explainer_keys() -> None:
    block = _passage("## Explainer front-matter\n\n```yaml\n---\n", "---\n```")
    written = re.findall(r"^([a-z_]+):", block, re.M)
    assert sorted(written) == sorted(EXPLAINER_SCHEMA)


def test_single_pages_sentence_names_exactly_their_keys() -> None:
    sentence = _passage("`content/index.md` and `content/calculator.md` take", "\n\n")
    assert _named(sentence) == set(SECTION_SCHEMA)


def _site_yaml_table() -> dict[str, str]:
    """The site.yaml table's rows: each key of its first cell, with the row's meaning."""
    table = _passage("## site.yaml\n", "\n\n## ")
    rows = {}
    for cell, meaning in re.findall(r"^\| (`.*?) \| (.*) \|$", table, re.M):
        for key in re.findall(r"`([a-z_.]+)`", cell):
            rows[key] = meaning
    return rows


def _site_yaml_paths(schema: Mapping[str, Field], prefix: str = "") -> set[str]:
    paths = set()
    for key, field in schema.items():
        paths.add(prefix + key)
        if field.schema:
            paths |= _site_yaml_paths(field.schema, f"{prefix}{key}.")
    return paths


def test_site_yaml_table_documents_exactly_the_accepted_keys() -> None:
    rows = _site_yaml_table()
    documented = set(rows)
    for key, meaning in rows.items():
        first = re.search(r"`([^`]*)`", meaning)
        if first and first.group(1).startswith("{"):  # `{a, b: c}`: the row's sub-keys
            documented |= {f"{key}.{sub}" for sub in _listed(first.group(0))}
        elif key == "checks":
            documented |= {f"checks.{sub}" for sub in _named(meaning)}
    accepted = _site_yaml_paths(config._SCHEMA)
    accepted |= {f"nav.{key}" for key in config._LINK}
    accepted |= {f"topics.{key}" for key in config._TOPIC}
    # A mapping documented as a whole (`markdown.allow_html`) need not be a row of its own.
    documented |= {path.rsplit(".", 1)[0] for path in documented if "." in path}
    assert accepted - documented == set(), "site.yaml keys the code accepts, not in the README"
    assert documented - accepted == set(), "site.yaml keys the README documents, not in the code"


def test_site_yaml_checks_row_quotes_the_real_defaults() -> None:
    meaning = _site_yaml_table()["checks"]
    quoted = dict(re.findall(r"`([a-z_]+)` \((\d+)\)", meaning))
    assert quoted == {f.name: str(f.default) for f in fields(config.Checks)}
