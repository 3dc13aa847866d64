"""The weekly email edition: each week page's price moves as a plain-text and an HTML email.

Both are built from the same `PriceWeek` as the week page and its feed entry, and written next
to the page (/prices/2026-w44/email.txt and email.html): the same changes, the same summary
and, when a reading recorded late changed the week after it was out, the same notes in the same
words, so a subscriber is told what a reader of the page is told. The subject is the list's
name and the week's title, which, like the page's and its feed entry's, stays the same when the
week is corrected: the note under the summary says it was. Nothing sends them: an editor pastes
them into the mailing tool, which replaces the unsubscribe placeholder from site.yaml. The HTML
is an email, not a site page: it is styled inline (mail clients drop stylesheets), so it lives
outside the site's pages, their Content-Security-Policy and their search index. Nor can it
count on a media query to fit a phone, so its table of changes has two columns: the price's
name, date and source, which wrap, and the figures, which do not; it fits a 320 px screen as it
is.
"""

from __future__ import annotations

import textwrap
from html import escape

from spanvero_site.core.config import EmailEdition, SiteConfig
from spanvero_site.core.formatting import money, signed_percent
from spanvero_site.core.section import File
from spanvero_site.sections.prices.index import FIELDS, PriceChange
from spanvero_site.sections.prices.weeks import PriceWeek

TEXT_NAME, HTML_NAME = "email.txt", "email.html"
_WIDTH = 72  # plain-text mail wraps at about 72 columns

_FONT = "font-family:Arial,Helvetica,sans-serif;color:#1a1a1a;"
_CELL = "padding:8px 6px;border-bottom:1px solid #d6d6d6;vertical-align:top;"
_HEAD = "padding:8px 6px;border-bottom:2px solid #1a1a1a;font-weight:bold;"
_MUTED = "color:#555555;font-size:13px;"
# A correction is set apart from the summary, not muted: the subscriber may be holding the
# earlier figures, and this paragraph is where they learn they changed.
_NOTE = (
    "margin:0 0 24px;padding:0 0 0 10px;border-left:3px solid #1a1a1a;"
    "font-size:15px;line-height:1.5;"
)


def email_urls(week_url: str) -> dict[str, str]:
    """The URLs of a week page's two email files, for the page to link."""
    return {"text": week_url + TEXT_NAME, "html": week_url + HTML_NAME}


def week_emails(week: PriceWeek, config: SiteConfig, email: EmailEdition) -> tuple[File, File]:
    """The plain-text and HTML emails of one week."""
    base = config.base_url.rstrip("/")
    subject = f"{email.list_name}: {week.title}"
    urls = email_urls(week.url)
    text = _text(subject, week, base + week.url, base + "/prices/", email)
    html = _html(subject, week, base + week.url, base + "/prices/", email, config)
    return (
        File(urls["text"], text.encode(), f"the plain-text email of {week.title}"),
        File(urls["html"], html.encode(), f"the HTML email of {week.title}"),
    )


def _move(change: PriceChange) -> str:
    return f"{money(change.old)} → {money(change.new)}"


def _what(change: PriceChange) -> str:
    return f"{change.label}, {FIELDS[change.field]}"


def _text(subject: str, week: PriceWeek, page: str, log: str, email: EmailEdition) -> str:
    def fill(paragraph: str, indent: str = "") -> str:
        return textwrap.fill(
            paragraph,
            _WIDTH,
            initial_indent=indent,
            subsequent_indent=indent,
            break_long_words=False,
            break_on_hyphens=False,
        )

    lines = [
        f"From: {email.sender}",
        f"Subject: {subject}",
        "",
        email.list_name,
        week.title,
        "",
        fill(week.summary),
        "",
        *(line for note in week.notes for line in (fill(note), "")),
        "What moved this week",
        "--------------------",
    ]
    for change in week.changes:
        lines += [
            "",
            fill(_what(change)),
            f"  {_move(change)} ({signed_percent(change.percent)}) on {change.date.isoformat()}",
            f"  Source: {change.source}",
        ]
    lines += [
        "",
        f"This week on the web: {page}",
        f"Every price we track: {log}",
        "",
        "-- ",
        fill(f"You receive this email because you subscribed to {email.list_name}."),
        f"{email.unsubscribe_text}: {email.unsubscribe_url}",
    ]
    return "\n".join(lines) + "\n"


def _html(
    subject: str, week: PriceWeek, page: str, log: str, email: EmailEdition, config: SiteConfig
) -> str:
    rows = "\n".join(
        "<tr>"
        f'<td style="{_CELL}text-align:left;">{escape(_what(c))}<br>'
        f'<span style="{_MUTED}">{c.date.isoformat()} · <a href="{escape(c.source)}" '
        f'style="color:#0b57d0;">{escape(_host(c.source))}</a></span></td>'
        f'<td style="{_CELL}text-align:right;white-space:nowrap;">{escape(_move(c))}<br>'
        f'<span style="{_MUTED}">{signed_percent(c.percent)}</span></td>'
        "</tr>"
        for c in week.changes
    )
    notes = "".join(f'<p style="{_NOTE}">{escape(note)}</p>\n' for note in week.notes)
    heads = (
        f'<th scope="col" style="{_HEAD}text-align:left;">Price, date, source</th>'
        f'<th scope="col" style="{_HEAD}text-align:right;">Old → new</th>'
    )
    link = 'style="color:#0b57d0;"'
    return f"""<!DOCTYPE html>
<html lang="{escape(config.language)}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>{escape(subject)}</title>
</head>
<body style="margin:0;padding:0;background-color:#ffffff;">
<table role="presentation" style="width:100%;max-width:680px;margin:0 auto;border-collapse:collapse;{_FONT}">
<tr><td style="padding:24px 16px;">
<p style="margin:0 0 4px;{_MUTED}">{escape(email.list_name)}</p>
<h1 style="margin:0 0 16px;font-size:22px;line-height:1.3;">{escape(week.title)}</h1>
<p style="margin:0 0 24px;font-size:16px;line-height:1.5;">{escape(week.summary)}</p>
{notes}<h2 style="margin:0 0 8px;font-size:18px;">What moved this week</h2>
<table style="width:100%;border-collapse:collapse;font-size:14px;line-height:1.4;">
<thead><tr>{heads}</tr></thead>
<tbody>
{rows}
</tbody>
</table>
<p style="margin:24px 0 0;font-size:15px;line-height:1.5;"><a href="{escape(page)}" {link}>This week on the web</a> · <a href="{escape(log)}" {link}>Every price we track</a></p>
<p style="margin:32px 0 0;{_MUTED}">You receive this email because you subscribed to {escape(email.list_name)}. <a href="{escape(email.unsubscribe_url)}" style="color:#555555;">{escape(email.unsubscribe_text)}</a></p>
</td></tr>
</table>
</body>
</html>
"""  # noqa: E501


def _host(url: str) -> str:
    """A source link's text: its host, which says whose page it is in a narrow column."""
    rest = url.split("://", 1)[-1]
    return rest.split("/", 1)[0] or url
