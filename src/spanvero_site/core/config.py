"""Load and validate content/site.yaml into a frozen SiteConfig, reporting every mistake at once."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from spanvero_site.core import yamlsource
from spanvero_site.core.diagnostics import Diagnostic, Diagnostics, Severity
from spanvero_site.core.schema import Field, Source, check, check_each
from spanvero_site.core.sources import read_text

CONFIG_PATH = "content/site.yaml"

# The weekly email edition's wording; the build writes the emails, nothing sends them, so the
# unsubscribe URL is whatever placeholder the mailing tool replaces per subscriber.
_EMAIL = {
    "list_name": Field("str", required=True, example="The Spanvero weekly price index"),
    "from": Field("str", required=True, example="Spanvero <prices@example.org>"),
    "unsubscribe_text": Field("str", required=True, example="Unsubscribe from this list"),
    "unsubscribe_url": Field("str", required=True, example="{{unsubscribe_url}}"),
}
_MAILBOX = r"[^<>@\s]+@[^<>@\s]+\.[^<>@\s]+"
_ADDRESS = re.compile(rf"^(?:[^<>@]+ <{_MAILBOX}>|{_MAILBOX})$")
_LINK = {"title": Field("str", required=True), "url": Field("str", required=True)}
# Blocks of site.yaml that a section reads and validates itself (its ids, against its data).
SECTION_SETTINGS: dict[str, dict[str, Field]] = {
    "calculator": {
        "default_model": Field("str", example="llama-3-1-8b"),
        "default_gpu": Field("str", example="rtx-4090"),
    },
    "models": {
        "explainers": Field("str_list", example="[vram, quantization, kv-cache]"),
        "moe_explainer": Field("str", example="mixture-of-experts"),
    },
}
_SCHEMA: dict[str, Field] = {
    "title": Field("str", required=True, example="Spanvero"),
    "description": Field("str", required=True, example="What running AI models really costs."),
    "base_url": Field("base_url", required=True, example="https://example.org/"),
    "language": Field("str", example="en"),
    "nav": Field("list", required=True, example="[{title: Learn, url: /learn/}]"),
    "footer": Field(
        "mapping",
        required=True,
        schema={"tagline": Field("str", required=True), "copyright": Field("str", required=True)},
    ),
    "advisor_url": Field("str", example="/advisor/"),
    "newsletter": Field(
        "mapping",
        schema={
            "title": Field("str", required=True),
            "text": Field("str", required=True),
            "form_action": Field("url"),
            "feed_url": Field("str", example="/prices/feed.xml"),
            "email": Field("mapping", schema=_EMAIL),
        },
    ),
    **{key: Field("mapping", schema=schema) for key, schema in SECTION_SETTINGS.items()},
    "topics": Field("list", required=True, example="[{id: start-here, title: Start here}]"),
    "markdown": Field("mapping", schema={"allow_html": Field("bool")}),
    "checks": Field(
        "mapping",
        schema={
            "max_answer_chars": Field("count"),
            "max_title_chars": Field("count"),
            "min_related": Field("int"),
            "max_price_age_days": Field("count"),
            "max_advisor_pages": Field("count"),
        },
    ),
}
_CHECKS = tuple(_SCHEMA["checks"].schema or {})
_TOPIC = {
    "id": Field("str", required=True),
    "title": Field("str", required=True),
    "blurb": Field("str"),
}


@dataclass(frozen=True)
class NavItem:
    """A link in the site navigation, with the site.yaml line it was declared on."""

    title: str
    url: str
    line: int


@dataclass(frozen=True)
class Topic:
    """A group of explainers on /learn/, in the order site.yaml lists them."""

    id: str
    title: str
    blurb: str


@dataclass(frozen=True)
class EmailEdition:
    """The list wording of the weekly price email (newsletter.email in site.yaml)."""

    list_name: str
    sender: str
    unsubscribe_text: str
    unsubscribe_url: str


@dataclass(frozen=True)
class Newsletter:
    """The newsletter block shown under explainers; hidden when site.yaml has none."""

    title: str
    text: str
    form_action: str | None
    feed_url: str | None
    line: int
    email: EmailEdition | None = None


@dataclass(frozen=True)
class Checks:
    """Thresholds of the editorial and data checks."""

    max_answer_chars: int = 320
    max_title_chars: int = 90
    min_related: int = 2
    max_price_age_days: int = 365
    max_advisor_pages: int = 100


@dataclass(frozen=True)
class Setting:
    """One value of a section's block of site.yaml, with where it was written."""

    value: Any
    line: int
    col: int


@dataclass(frozen=True)
class SiteConfig:
    """Everything site-wide that templates and checks read; frozen so no stage can change it."""

    title: str
    description: str
    base_url: str
    language: str
    nav: tuple[NavItem, ...]
    footer_tagline: str
    footer_copyright: str
    advisor_url: str | None
    advisor_line: int
    newsletter: Newsletter | None
    topics: tuple[Topic, ...]
    allow_html: bool
    checks: Checks
    # (section, key) -> Setting, as a sorted tuple so the config stays hashable
    settings: tuple[tuple[tuple[str, str], Setting], ...] = ()
    # Keys of site.yaml whose value was broken (reported): each holds its fallback, and a check
    # that needs the real value is skipped (see `known_topics`).
    broken: frozenset[str] = frozenset()

    def setting(self, section: str, key: str) -> Setting | None:
        """A value from the section's block of site.yaml (None when it is not set there)."""
        return next((s for k, s in self.settings if k == (section, key)), None)

    @property
    def known_topics(self) -> tuple[Topic, ...] | None:
        """The topics an explainer's `topic:` must be one of; None while site.yaml's `topics`
        is broken, when no topic can be checked without guessing."""
        return None if "topics" in self.broken else self.topics

    @property
    def base_path(self) -> str:
        """The URL path the site is served under, '/' or e.g. '/docs/'."""
        path = urlsplit(self.base_url).path or "/"
        return path if path.endswith("/") else path + "/"

    def with_base_url(self, base_url: str) -> SiteConfig:
        """A copy served from another base URL (the --base-url option)."""
        fields = dict(self.__dict__)
        fields["base_url"] = base_url if base_url.endswith("/") else base_url + "/"
        return SiteConfig(**fields)


# What a broken key costs the rest of the run, said in the hint of each of its errors, where a
# check of the content needs its real value (the others only shape pages, which a run with
# errors never writes, so a fallback stands in for them).
_WITHOUT = {
    "topics": "until it is fixed, no explainer's topic is checked",
}
_UNLOADED = (
    "; until site.yaml loads, the content is checked with the default settings and no "
    "explainer's topic is checked"
)
# The stand-ins of required settings while site.yaml's own are broken; never written, since a
# run with an error writes nothing.
_FALLBACK: dict[str, Any] = {
    "title": "",
    "description": "",
    "base_url": "https://example.invalid/",
    "nav": [],
    "footer": {"tagline": "", "copyright": ""},
    "topics": [],
}


def load_config(root: Path, diags: Diagnostics) -> SiteConfig | None:
    """Read content/site.yaml under `root`; None when any of it is broken (for commands that
    need every setting as written: `new`, `prices`, which stop, so no hint speaks of a
    fallback)."""
    config = read_config(root, diags, fallback=False)
    return None if config.broken else config


def read_config(root: Path, diags: Diagnostics, fallback: bool = True) -> SiteConfig:
    """Read content/site.yaml under `root`, reporting every mistake; always a SiteConfig, with
    a fallback for each broken key (named in `broken`), so that one run reports site.yaml's
    errors and the content's together. With `fallback`, each error's hint says what the run
    used instead and what it could not check."""
    found = Diagnostics()
    raw = _read_raw(root, found)
    if raw is None:
        note = _UNLOADED if fallback else ""
        diags.extend(replace(d, hint=d.hint + note) for d in found.items)
        return _fallback(frozenset(_SCHEMA))
    diags.extend(found.items)
    mapping, text = raw
    source = Source(CONFIG_PATH, yamlsource.Positions(text).locate, today=None)  # no days
    return parse_config(mapping, source, diags, fallback)


def _read_raw(root: Path, diags: Diagnostics) -> tuple[dict[str, Any], str] | None:
    """site.yaml's mapping and text, or None (reported) when it is missing or unreadable."""
    if not (root / CONFIG_PATH).exists():
        diags.error(
            "E101",
            "site configuration not found",
            CONFIG_PATH,
            1,
            1,
            "create it with at least 'title:', 'description:', 'base_url:', 'nav:' and 'topics:'",
        )
        return None
    text = read_text(root, CONFIG_PATH, diags)
    if text is None:
        return None
    try:
        raw = yamlsource.load(text) or {}
    except yamlsource.YamlError as exc:
        diags.error(
            "E202", f"malformed YAML: {exc.message}", CONFIG_PATH, exc.line, exc.col, exc.hint
        )
        return None
    if not isinstance(raw, dict):
        diags.error(
            "E203",
            "site.yaml must be a mapping of keys to values",
            CONFIG_PATH,
            1,
            1,
            "write one setting per line as 'key: value', starting with 'title: ...'",
        )
        return None
    return raw, text


def parse_config(
    raw: dict[str, Any], source: Source, diags: Diagnostics, fallback: bool = True
) -> SiteConfig:
    """Validate the parsed YAML of site.yaml; a key with an error is named in `broken`, and
    what of it is usable is kept (the valid nav links, the valid `checks`), the rest replaced
    by its documented default or a stand-in (said in the hint, with `fallback`)."""
    values, problems = check_each(raw, _SCHEMA, source, diags)
    for key in ("nav", "topics"):
        if key in values:
            spec = _LINK if key == "nav" else _TOPIC
            found = Diagnostics()
            values[key] = _items(values[key], key, spec, source, found)
            if found.items:
                problems.setdefault(key, []).extend(found.items)
    newsletter = values.get("newsletter")
    if newsletter:
        found = Diagnostics()
        newsletter["email"] = _email(newsletter.get("email"), source, found)
        problems.setdefault("newsletter", []).extend(found.items)
    broken = set()
    for key, found_items in problems.items():
        if any(d.severity is Severity.ERROR for d in found_items):
            broken.add(key)
            found_items = [
                replace(d, hint=d.hint + _fallback_note(key, d, values, raw, source))
                if fallback
                else d
                for d in found_items
            ]
        diags.extend(found_items)
    for key, stand_in in _FALLBACK.items():
        values.setdefault(key, stand_in)  # only a broken required key is missing
    return _config(values, raw, source, frozenset(broken))


def _fallback_note(
    key: str, found: Diagnostic, values: dict[str, Any], raw: dict[str, Any], source: Source
) -> str:
    """What the run does without the broken `key`, for the hint of its error `found`: the
    checks it skips, or the default it used in place of a threshold written wrong."""
    if key != "checks":
        return f"; {_WITHOUT[key]}" if key in _WITHOUT else ""
    written = raw["checks"] if isinstance(raw["checks"], dict) else dict.fromkeys(_CHECKS)
    used = [name for name in _CHECKS if name in written and name not in values.get("checks", {})]
    at = (found.line, found.col)
    used = [name for name in used if source.locate(("checks", name)) == at] or used
    defaults = ", ".join(f"{name}: {getattr(Checks(), name)}" for name in used)
    return f"; this run used the default{'s' if len(used) > 1 else ''} ({defaults})"


def _fallback(broken: frozenset[str]) -> SiteConfig:
    """The settings a run checks the content with while site.yaml cannot be read at all."""
    return _config(dict(_FALLBACK), {}, Source(CONFIG_PATH, lambda at: (1, 1), today=None), broken)


def _config(
    values: dict[str, Any], raw: dict[str, Any], source: Source, broken: frozenset[str]
) -> SiteConfig:
    newsletter = values.get("newsletter")
    if newsletter and ("title" not in newsletter or "text" not in newsletter):
        newsletter = None  # broken: hidden, as when unset
    footer = values["footer"]
    return SiteConfig(
        title=values["title"],
        description=values["description"],
        base_url=values["base_url"]
        if values["base_url"].endswith("/")
        else values["base_url"] + "/",
        language=values.get("language", "en"),
        nav=tuple(NavItem(item["title"], item["url"], item["_line"]) for item in values["nav"]),
        footer_tagline=footer.get("tagline", ""),
        footer_copyright=footer.get("copyright", ""),
        # The advisor link defaults to /advisor/; `advisor_url: null` hides it.
        advisor_url=values.get("advisor_url", None if "advisor_url" in raw else "/advisor/"),
        advisor_line=source.locate(("advisor_url",))[0],
        newsletter=Newsletter(
            newsletter["title"],
            newsletter["text"],
            newsletter.get("form_action"),
            newsletter.get("feed_url"),
            source.locate(("newsletter", "feed_url"))[0],
            newsletter.get("email"),
        )
        if newsletter
        else None,
        topics=tuple(Topic(t["id"], t["title"], t.get("blurb", "")) for t in values["topics"]),
        allow_html=values.get("markdown", {}).get("allow_html", False),
        checks=Checks(**values.get("checks", {})),
        settings=tuple(
            ((section, key), Setting(_hashable(value), *source.locate((section, key))))
            for section in SECTION_SETTINGS
            for key, value in sorted(values.get(section, {}).items())
        ),
        broken=broken,
    )


def _hashable(value: Any) -> Any:
    return tuple(value) if isinstance(value, list) else value


def _email(raw: dict[str, Any] | None, source: Source, diags: Diagnostics) -> EmailEdition | None:
    if raw is None or not raw.keys() >= _EMAIL.keys():
        return None  # unset, or a key is missing (reported)
    if not _ADDRESS.match(raw["from"]):
        line, col = source.locate(("newsletter", "email", "from"))
        diags.error(
            "E203",
            f"newsletter.email.from is not an email address: {raw['from']!r}",
            source.path,
            line,
            col,
            "write it as an address, e.g. 'Spanvero <prices@example.org>'",
        )
        return None
    return EmailEdition(
        raw["list_name"], raw["from"], raw["unsubscribe_text"], raw["unsubscribe_url"]
    )


def _items(
    raw: list[Any], key: str, schema: dict[str, Field], source: Source, diags: Diagnostics
) -> list[dict[str, Any]]:
    items = []
    for index, entry in enumerate(raw):
        if not isinstance(entry, dict):
            line, col = source.locate((key, index))
            diags.error(
                "E203",
                f"'{key}[{index}]' must be a mapping",
                source.path,
                line,
                col,
                "write each item as '- ' and its keys: "
                + ", ".join(f"{name}: ..." for name, spec in schema.items() if spec.required),
            )
            continue
        before = diags.error_count
        valid = check(entry, schema, source, diags, (key, index))
        if diags.error_count == before:
            valid["_line"] = source.locate((key, index))[0]
            items.append(valid)
    return items
