from __future__ import annotations

from pathlib import Path

import yaml

from spanvero_site.core.config import _SCHEMA, load_config, read_config
from spanvero_site.core.diagnostics import Diagnostics
from spanvero_site.core.schema import Field
from tests.conftest import REPO

MINIMAL = """title: T
description: D
base_url: https://example.org/docs
nav:
  - {title: Learn, url: /learn/}
footer: {tagline: t, copyright: c}
topics: []
"""


def write(tmp_path: Path, text: str) -> Path:
    (tmp_path / "content").mkdir()
    (tmp_path / "content" / "site.yaml").write_text(text)
    return tmp_path


def test_shipped_config_is_valid() -> None:
    diags = Diagnostics()
    config = load_config(REPO, diags)
    assert diags.items == [] and config is not None
    assert [item.url for item in config.nav] == [
        "/learn/",
        "/models/",
        "/calculator/",
        "/prices/",
        "/advisor/",
    ]


def test_defaults_and_base_path(tmp_path: Path) -> None:
    config = load_config(write(tmp_path, MINIMAL), Diagnostics())
    assert config is not None
    assert config.base_url == "https://example.org/docs/"
    assert config.base_path == "/docs/"
    assert config.newsletter is None and config.advisor_url == "/advisor/"  # the default
    assert config.checks.max_answer_chars == 320


def test_every_error_collected_and_unknown_keys_warned(tmp_path: Path) -> None:
    text = MINIMAL.replace("title: T\n", "").replace("topics: []", "topics: []\nnavv: []")
    diags = Diagnostics()
    assert load_config(write(tmp_path, text), diags) is None
    assert [(d.code, d.message, d.hint) for d in diags.items] == [
        ("E204", "missing required key 'title'", "add 'title: Spanvero'"),
        ("W205", "unknown key 'navv'", "did you mean 'nav'?"),
    ]


def test_advisor_link_can_be_hidden(tmp_path: Path) -> None:
    config = load_config(write(tmp_path, MINIMAL + "advisor_url: null\n"), Diagnostics())
    assert config is not None and config.advisor_url is None


EMAIL = """newsletter:
  title: N
  text: T
  email:
    list_name: The weekly note
    from: {sender}
    unsubscribe_text: Unsubscribe
    unsubscribe_url: "{{{{unsubscribe_url}}}}"
"""


def test_newsletter_email_wording(tmp_path: Path) -> None:
    text = MINIMAL + EMAIL.format(sender="Spanvero <prices@example.org>")
    config = load_config(write(tmp_path, text), Diagnostics())
    assert config is not None and config.newsletter is not None
    email = config.newsletter.email
    assert email is not None
    assert (email.list_name, email.sender, email.unsubscribe_url) == (
        "The weekly note",
        "Spanvero <prices@example.org>",
        "{{unsubscribe_url}}",
    )


def test_newsletter_email_needs_an_address(tmp_path: Path) -> None:
    diags = Diagnostics()
    load_config(write(tmp_path, MINIMAL + EMAIL.format(sender="Spanvero")), diags)
    assert [d.format() for d in diags.items] == [
        "content/site.yaml:13:5: error[E203]: newsletter.email.from is not an email address: "
        "'Spanvero'\n  hint: write it as an address, e.g. 'Spanvero <prices@example.org>'"
    ]


FULL = (
    MINIMAL.replace("topics: []", "topics:\n  - {id: basics, title: Basics}")
    + EMAIL.format(sender="Spanvero <prices@example.org>")
    + "calculator: {default_model: m, default_gpu: g}\nmodels: {explainers: [a]}\n"
    + "markdown: {allow_html: false}\nchecks: {max_answer_chars: 300}\nadvisor_url: /a/\n"
)


def _paths(schema: dict[str, Field], at: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    """Every key of a schema, nested keys included."""
    found = []
    for key, spec in schema.items():
        found.append((*at, key))
        if spec.schema is not None:
            found.extend(_paths(dict(spec.schema), (*at, key)))
    return found


def test_any_broken_setting_still_gives_settings_to_check_the_content_with(
    tmp_path: Path,
) -> None:
    """Each key of site.yaml, set to a value of the wrong kind: the error has a hint, the key
    is named broken (so `load_config` refuses it) and `read_config` still gives a SiteConfig,
    so a run goes on to check the content."""
    assert load_config(write(tmp_path, FULL), Diagnostics()) is not None
    for path in _paths(_SCHEMA):
        raw = yaml.safe_load(FULL)
        spot = raw
        for key in path[:-1]:
            spot = spot[key]
        kind = _SCHEMA[path[0]] if len(path) == 1 else None
        spot[path[-1]] = "text" if kind and kind.kind in ("list", "mapping") else {"a": [1]}
        site = tmp_path / "_".join(path)
        site.mkdir()
        diags = Diagnostics()
        config = read_config(write(site, yaml.safe_dump(raw)), diags)
        assert diags.errors, path
        assert all(d.hint for d in diags.items), path
        assert config.broken == {path[0]}, path
        assert load_config(site, Diagnostics()) is None, path


def test_broken_topics_are_not_guessed(tmp_path: Path) -> None:
    """With `topics` broken no explainer's topic can be checked: the error says so."""
    diags = Diagnostics()
    text = FULL.replace("{id: basics, title: Basics}", "{id: basics}")
    config = read_config(write(tmp_path, text), diags)
    assert config.known_topics is None
    assert [d.hint for d in diags.items] == [
        "add 'title: ...' to topics[0]; until it is fixed, no explainer's topic is checked"
    ]


def test_an_unreadable_site_yaml_says_what_the_run_checks_without_it(tmp_path: Path) -> None:
    diags = Diagnostics()
    config = read_config(write(tmp_path, "title: [oops\n"), diags)
    assert config.known_topics is None and config.broken == set(_SCHEMA)
    (hint,) = [d.hint for d in diags.items]
    assert hint.endswith(
        "; until site.yaml loads, the content is checked with the default settings and no "
        "explainer's topic is checked"
    )


def test_a_broken_check_threshold_says_the_run_used_its_default(tmp_path: Path) -> None:
    """A broken `checks.*` value falls back to its default for the run: the hint says which
    value every page was checked against, so the next run's results are no surprise. A
    command that stops on it instead (load_config: `new`, `prices`) says nothing of one."""
    text = MINIMAL + "checks:\n  max_title_chars: [90]\n  min_related: 3\n  max_price_age_days: x\n"
    diags = Diagnostics()
    config = read_config(write(tmp_path, text), diags)
    assert (config.checks.max_title_chars, config.checks.min_related) == (90, 3)
    assert [(d.line, d.hint) for d in diags.items] == [
        (9, "write it like: max_title_chars: 1; this run used the default (max_title_chars: 90)"),
        (
            11,
            "write it like: max_price_age_days: 1; this run used the default "
            "(max_price_age_days: 365)",
        ),
    ]
    assert load_config(tmp_path, strict := Diagnostics()) is None
    assert [d.hint for d in strict.items] == [
        "write it like: max_title_chars: 1",
        "write it like: max_price_age_days: 1",
    ]
    (tmp_path / "content" / "site.yaml").write_text(MINIMAL + "checks: 90\n")
    diags = Diagnostics()
    read_config(tmp_path, diags)
    assert [d.hint for d in diags.items] == [
        "write it like: checks: {...}; this run used the defaults (max_answer_chars: 320, "
        "max_title_chars: 90, min_related: 2, max_price_age_days: 365, max_advisor_pages: 100)"
    ]
