from __future__ import annotations

from pathlib import Path

from spanvero_site.core.config import load_config
from spanvero_site.core.diagnostics import Diagnostics
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
