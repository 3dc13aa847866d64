"""Template views of /prices/: the price log, the weekly price index pages and their feed."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

from spanvero_site.core.charts import sparkline
from spanvero_site.core.config import EmailEdition, SiteConfig
from spanvero_site.core.context import PageContext, common
from spanvero_site.core.formatting import money, xml_text
from spanvero_site.core.formatting import xml_attr as attr
from spanvero_site.core.section import File, View
from spanvero_site.data.catalog import Catalog
from spanvero_site.data.records import Observation, Prices
from spanvero_site.sections.prices.email import email_urls, week_emails
from spanvero_site.sections.prices.index import FIELDS, PriceChange
from spanvero_site.sections.prices.weeks import PriceWeek, week_url

LOG_PAGES = (
    ("/prices/", "All prices", None),
    ("/prices/rental/", "GPU rental", "rental"),
    ("/prices/api/", "APIs", "api"),
)
PRICE_FEED = "/prices/feed.xml"


class PricesContext(PageContext):
    filters: list[dict[str, Any]]
    weeks: list[dict[str, Any]]  # each with its notes: a filtered log's speak of its kind only
    rental: list[dict[str, Any]]
    api: list[dict[str, Any]]
    ended: list[dict[str, Any]]  # offers withdrawn for good: last price, the day, the source
    max_age: int
    feed: str
    rental_providers: list[str]  # named in prose, so search finds the price log by provider
    api_providers: list[str]
    indexed: bool  # only the full log is in the search index, not its filtered copies


class PriceWeekContext(PageContext):
    summary: str
    revised: list[str]  # what changed after the week was out, and when (`PriceWeek.notes`)
    rows: list[dict[str, Any]]
    newer: dict[str, str] | None
    older: dict[str, str] | None
    email: dict[str, str] | None  # the week's email edition, when site.yaml configures one
    feed: str


def names(catalog: Catalog) -> dict[str, str]:
    return {
        **{g.id: g.name for g in catalog.gpus.values()},
        **{m.id: m.name for m in catalog.models.values()},
    }


def sitemap_entries(weeks: Sequence[PriceWeek]) -> list[tuple[str, dt.date | None]]:
    """The price pages for the sitemap, each dated by its last change (`index.week_dates`)."""
    newest = max((w.dates.updated for w in weeks), default=None)
    return [
        *((url, newest) for url, _, _ in LOG_PAGES),
        *((w.url, w.dates.updated) for w in weeks),
    ]


def _history(what: str, history: tuple[Observation, ...], key: str) -> Any:
    """A sparkline of one price's history, or None when it has a single observation."""
    points = [(o.as_of, v) for o in history if (v := o.value(key)) is not None]
    if len(points) < 2:
        return None
    label = f"{what}: " + ", ".join(f"{money(v)} on {d.isoformat()}" for d, v in points)
    return sparkline([v for _, v in points], label)


def ended_offers(prices: Prices, catalog: Catalog, kind: str | None) -> list[dict[str, Any]]:
    """The offers that ended, newest end first, for the log of `kind` (None: all): what they
    were, their last price and the day they ended, with the observation that says so."""
    rows = []
    if kind != "api":
        for r in prices.ended_rental:
            rows.append(
                {
                    "what": r.label(catalog.gpus[r.gpu].name),
                    "last": f"{money(r.usd_per_hour)} per GPU-hour",
                    "observation": r.current,
                }
            )
    if kind != "rental":
        for a in prices.ended_api:
            usd_in = a.current.value("usd_per_mtok_input") or 0.0
            usd_out = a.current.value("usd_per_mtok_output") or 0.0
            rows.append(
                {
                    "what": f"{a.label(catalog.models[a.model].name)} API",
                    "last": f"{money(usd_in)} input, {money(usd_out)} output per 1M tokens",
                    "observation": a.current,
                }
            )
    return sorted(rows, key=lambda row: (-row["observation"].ended.toordinal(), row["what"]))


def _row(change: PriceChange) -> dict[str, Any]:
    return {
        "change": change,
        "what": f"{change.label}, {FIELDS[change.field]}",
        "week_url": week_url(change.week),
    }


def price_pages(
    prices: Prices,
    catalog: Catalog,
    logs: Mapping[str | None, Sequence[PriceWeek]],
    config: SiteConfig,
) -> list[View]:
    """The log (all, rental, API), one page per week with changes (`logs` holds the weeks of
    each log page's kind, from weeks.price_weeks; the week pages are those of the full log)."""
    max_age = config.checks.max_price_age_days
    current_rental = [
        {
            "gpu": gpu.name,
            "rows": [
                {
                    "price": p,
                    "trend": _history(
                        f"{p.label(gpu.name)}, per GPU-hour",
                        p.history,
                        "usd_per_hour",
                    ),
                }
                for p in sorted(prices.rental, key=lambda p: (p.usd_per_hour, p.provider, p.tier))
                if p.gpu == gpu.id
            ],
        }
        for gpu in sorted(catalog.gpus.values(), key=lambda g: g.name)
    ]
    current_api = [
        {
            "model": model.name,
            "rows": [
                {
                    "price": p,
                    "trend": _history(
                        f"{p.label(model.name)}, output per 1M tokens",
                        p.history,
                        "usd_per_mtok_output",
                    ),
                }
                for p in sorted(prices.api, key=lambda p: p.provider)
                if p.model == model.id
            ],
        }
        for model in catalog.models.values()
    ]
    views: list[View] = []
    for url, title, kind in LOG_PAGES:
        base = common(
            config,
            url,
            "Price log" if kind is None else f"Price log: {title}",
            "Every change in the GPU rental and API prices we track, newest first, with its "
            "date and source.",
            wide=True,
        )
        context = PricesContext(
            **base,
            filters=[{"url": u, "title": t, "current": u == url} for u, t, _ in LOG_PAGES],
            weeks=[
                {
                    "slug": w.slug,
                    "title": w.title,
                    "url": w.url,
                    "notes": list(w.notes),
                    "rows": [_row(c) for c in w.changes],
                }
                for w in logs[kind]
            ],
            rental=[g for g in current_rental if g["rows"]] if kind != "api" else [],
            api=[m for m in current_api if m["rows"]] if kind != "rental" else [],
            ended=ended_offers(prices, catalog, kind),
            max_age=max_age,
            feed=PRICE_FEED,
            rental_providers=sorted(
                {p.provider_name for p in (*prices.rental, *prices.ended_rental)}
            ),
            api_providers=sorted({p.provider_name for p in (*prices.api, *prices.ended_api)}),
            indexed=kind is None,
        )
        views.append(View(url, "prices.html", context, "the price log"))
    weeks = logs[None]
    for index, week in enumerate(weeks):
        newer = weeks[index - 1] if index > 0 else None
        older = weeks[index + 1] if index + 1 < len(weeks) else None
        page = PriceWeekContext(
            **common(config, week.url, _page_title(week), week.summary, wide=True),
            summary=week.summary,
            revised=list(week.notes),
            rows=[_row(c) for c in week.changes],
            newer={"url": newer.url, "title": newer.title} if newer else None,
            older={"url": older.url, "title": older.title} if older else None,
            email=email_urls(week.url) if _email_edition(config) else None,
            feed=PRICE_FEED,
        )
        label = f"the price index of {week.slug}"
        views.append(View(week.url, "price_week.html", page, label))
    return views


def _page_title(week: PriceWeek) -> str:
    """The week page's title and its feed entry's: the same whether or not it was corrected
    (its notes and its date say that), so a feed reader shows one entry, updated."""
    return f"Price index: {week.title}"


def _email_edition(config: SiteConfig) -> EmailEdition | None:
    return config.newsletter.email if config.newsletter else None


def email_files(weeks: Sequence[PriceWeek], config: SiteConfig) -> list[File]:
    """The weekly email edition: a plain-text and an HTML email beside every week page."""
    email = _email_edition(config)
    if email is None:
        return []
    return [file for week in weeks for file in week_emails(week, config, email)]


def price_feed(weeks: Sequence[PriceWeek], config: SiteConfig) -> File:
    """The weekly price index as Atom: one entry per week, its id the week page's URL, updated
    on the last day what the week shows changed (a reading recorded late moves it, so a feed
    reader sees a corrected week again, and its summary says what happened)."""
    base = config.base_url.rstrip("/")
    updated = max((w.dates.updated for w in weeks), default=dt.date(1970, 1, 1))
    lines = [
        '<?xml version="1.0" encoding="utf-8"?>',
        f'<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="{attr(config.language)}">',
        f"<title>{xml_text(config.title)}: the weekly price index</title>",
        f"<id>{xml_text(base + PRICE_FEED)}</id>",
        f'<link rel="self" type="application/atom+xml" href="{attr(base + PRICE_FEED)}"/>',
        f'<link rel="alternate" type="text/html" href="{attr(base + "/prices/")}"/>',
        f"<updated>{updated.isoformat()}T00:00:00Z</updated>",
        f"<author><name>{xml_text(config.title)}</name><uri>{xml_text(config.base_url)}</uri></author>",
    ]
    for week in weeks:
        url = base + week.url
        summary = " ".join((week.summary, *week.notes))
        lines += [
            "<entry>",
            f"<title>{xml_text(_page_title(week))}</title>",
            f"<id>{xml_text(url)}</id>",
            f'<link rel="alternate" type="text/html" href="{attr(url)}"/>',
            f"<updated>{week.dates.updated.isoformat()}T00:00:00Z</updated>",
            f"<summary>{xml_text(summary)}</summary>",
            "</entry>",
        ]
    lines.append("</feed>")
    return File(PRICE_FEED, ("\n".join(lines) + "\n").encode(), "the price index feed")
