"""Template views of the explainer side of the site: plain data in, (url, template, context) out.

Templates get finished values (titles, URLs, grouped lists) so they hold no logic beyond layout.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from spanvero_site.core import graph as graph_mod
from spanvero_site.core.config import SiteConfig
from spanvero_site.core.context import PageContext, TrustedHtml, common, embed_json, trusted_html
from spanvero_site.core.markdown import toc
from spanvero_site.core.pages import Heading, Page, Rendered, Target
from spanvero_site.core.section import View

NEWEST_ON_HOME = 6


@dataclass(frozen=True)
class Item:
    """An explainer in a list. Attributes, not dict keys: a template's `item.title` then finds
    it at the first try, which counts on the lists of 4,000 explainers."""

    title: str
    url: str
    answer: str


class ExplainerContext(PageContext):
    page: Page
    body: TrustedHtml
    toc: tuple[Heading, ...]
    related: tuple[Target, ...]
    backlinks: tuple[Target, ...]
    prev: Target | None
    next: Target | None
    tags: list[dict[str, str]]


class SearchContext(PageContext):
    all_explainers: list[Item]
    all_models: list[dict[str, str]]


class LearnIndexContext(PageContext):
    groups: list[dict[str, Any]]
    tags: list[dict[str, Any]]


class TagsIndexContext(PageContext):
    tags: list[dict[str, Any]]


class TagContext(PageContext):
    items: list[Item]


class NotFoundContext(PageContext):  # 404.html
    pass


class RedirectContext(PageContext):
    target: Target


class HomeContext(PageContext):
    page: Page
    body: TrustedHtml
    start: list[Item]
    newest: list[Item]


@dataclass(frozen=True)
class LearnViews:
    """The template and context of every explainer-side page: plain data, no template logic."""

    graph: graph_mod.PageGraph
    rendered: Mapping[str, Rendered]
    backlinks: Mapping[str, tuple[Target, ...]]
    config: SiteConfig
    bodies: Mapping[str, str] = field(default_factory=dict)  # HTML with its figures drawn, by id

    def _body(self, page_id: str) -> TrustedHtml:
        return trusted_html(self.bodies.get(page_id, self.rendered[page_id].html))

    def pages(self, reuse: Mapping[str, View] | None = None) -> list[View]:
        """Every view, in a fixed order; those of explainers and tags whose URL is in `reuse`
        are taken from it as they are (the caller knows their inputs are unchanged)."""
        graph = self.graph
        kept = reuse or {}
        views = [
            self._learn_index(),
            self._tags_index(),
            *(kept.get(graph_mod.tag_url(tag)) or self._tag(tag) for tag in graph.tags),
            kept.get("/404.html") or self._not_found(),
            self._search(),
            *(kept.get(graph.pages[pid].url) or self.explainer(pid) for pid in graph.explainers),
            *self._redirects(),
        ]
        if "home" in graph.pages:
            views.append(self.home(graph.pages["home"]))
        return views

    def _item(self, page_id: str) -> Item:
        page = self.graph.pages[page_id]
        return Item(page.title, page.url, page.answer)

    def _tags(self) -> list[dict[str, Any]]:
        return [
            {"name": tag, "url": graph_mod.tag_url(tag), "count": len(ids)}
            for tag, ids in self.graph.tags.items()
        ]

    def explainer(self, page_id: str) -> View:
        """One explainer's page."""
        page = self.graph.pages[page_id]
        body = self.rendered[page_id]
        prev_id, next_id = self.graph.prev_next[page_id]
        base = common(
            self.config,
            page.url,
            page.title,
            page.answer,
            code_css=body.has_code,
            og_type="article",
            indexed=not page.draft,
            json_ld=embed_json(self._article(page)),
        )
        context = ExplainerContext(
            **base,
            page=page,
            body=self._body(page_id),
            toc=toc(body.headings),
            related=self.graph.related[page_id],
            backlinks=self.backlinks.get(page_id, ()),
            prev=self.graph.targets[prev_id] if prev_id else None,
            next=self.graph.targets[next_id] if next_id else None,
            tags=[{"name": t, "url": graph_mod.tag_url(t)} for t in page.tags],
        )
        return View(page.url, "explainer.html", context, f"page {page.source}", page.source, 1)

    def _article(self, page: Page) -> dict[str, Any]:
        """schema.org Article data for search engines (headline, dates, author, publisher)."""
        config = self.config
        site = {"@type": "Organization", "name": config.title, "url": config.base_url}
        url = config.base_url.rstrip("/") + page.url
        return {
            "@context": "https://schema.org",
            "@type": "Article",
            "headline": page.title,
            "description": page.answer,
            "datePublished": page.date.isoformat() if page.date else None,
            "dateModified": (page.updated or page.date).isoformat() if page.date else None,
            "author": site,
            "publisher": site,
            "mainEntityOfPage": {"@type": "WebPage", "@id": url},
            "url": url,
            "inLanguage": config.language,
            "keywords": list(page.tags),
        }

    def _search(self) -> View:
        description = "Search every explainer and model on the site."
        # Without JavaScript the page lists every explainer and model, to search with the
        # browser's own find.
        models = sorted(
            (t for tid, t in self.graph.targets.items() if tid.startswith("models/")),
            key=lambda t: t.title,
        )
        # Not in the sitemap, so not indexed either: it repeats other pages' titles
        context = SearchContext(
            **common(
                self.config,
                "/search/",
                "Search",
                description,
                scripts=["js/search.js"],
                indexed=False,
            ),
            all_explainers=sorted(
                (self._item(pid) for pid in self.graph.explainers), key=lambda i: i.title
            ),
            all_models=[{"title": t.title, "url": t.url} for t in models],
        )
        return View("/search/", "search.html", context, "the search page")

    def _learn_index(self) -> View:
        groups = []
        placed: set[str] = set()
        by_topic: dict[str | None, list[str]] = {}
        for pid in self.graph.explainers:
            by_topic.setdefault(self.graph.pages[pid].topic, []).append(pid)
        for topic in self.config.topics:
            ids = by_topic.get(topic.id, [])
            placed.update(ids)
            if ids:
                groups.append(
                    {
                        "id": topic.id,
                        "title": topic.title,
                        "blurb": topic.blurb,
                        "entries": [self._item(pid) for pid in ids],
                    }
                )
        rest = [pid for pid in self.graph.explainers if pid not in placed]
        if rest:
            groups.append(
                {
                    "id": "more",
                    "title": "More explainers",
                    "blurb": "",
                    "entries": [self._item(pid) for pid in rest],
                }
            )
        base = common(
            self.config,
            "/learn/",
            "All explainers",
            "Plain answers to the questions people ask before they spend money on AI models.",
        )
        context = LearnIndexContext(**base, groups=groups, tags=self._tags())
        return View("/learn/", "learn_index.html", context, "the explainer index")

    def _tags_index(self) -> View:
        base = common(self.config, "/learn/tags/", "All tags", "Every tag used by an explainer.")
        context = TagsIndexContext(**base, tags=self._tags())
        return View("/learn/tags/", "tags_index.html", context, "the tag index")

    def _tag(self, tag: str) -> View:
        url = graph_mod.tag_url(tag)
        ids = self.graph.tags[tag]
        title, description = f"Explainers tagged “{tag}”", f"{len(ids)} explainers tagged {tag}."
        context = TagContext(
            **common(self.config, url, title, description),
            items=[self._item(pid) for pid in ids],
        )
        return View(url, "tag.html", context, f"the page of tag '{tag}'")

    def _not_found(self) -> View:
        description = "There is no page at this address."
        # Served at every missing address: never a page a search engine should list
        context = NotFoundContext(
            **common(self.config, "/404.html", "Page not found", description, indexed=False)
        )
        return View("/404.html", "404.html", context, "the not-found page")

    def _redirects(self) -> list[View]:
        views = []
        for page_id in self.graph.explainers:
            page = self.graph.pages[page_id]
            for index, alias in enumerate(page.aliases):
                context = RedirectContext(
                    **common(self.config, alias, page.title, page.answer),
                    target=self.graph.targets[page_id],
                )
                line = page.line_of("aliases", index)[0]
                label = f"a redirect to {page.url}"
                views.append(View(alias, "redirect.html", context, label, page.source, line))
        return views

    def home(self, page: Page) -> View:
        """The home page (content/index.md)."""
        body = self.rendered[page.id]
        explainers = [self.graph.pages[pid] for pid in self.graph.explainers]
        first_topic = self.config.topics[0].id if self.config.topics else None
        newest = sorted(explainers, key=lambda p: (p.date or dt.date.min, p.id), reverse=True)
        context = HomeContext(
            **common(self.config, page.url, page.title, page.answer, code_css=body.has_code),
            page=page,
            body=self._body(page.id),
            start=[self._item(p.id) for p in explainers if p.topic == first_topic],
            newest=[self._item(p.id) for p in newest[:NEWEST_ON_HOME]],
        )
        return View(page.url, "home.html", context, f"page {page.source}", page.source, 1)
