"""The advisor without JavaScript: a few dozen static pages that agree with every answer set."""

from __future__ import annotations

import pytest

from spanvero_site.core.config import load_config
from spanvero_site.core.diagnostics import Diagnostics
from spanvero_site.sections.advisor import engine, walk
from spanvero_site.sections.advisor.views import advisor_pages, cost_text, names, plan
from tests.conftest import REPO
from tests.integration.test_advisor_vectors import shipped, shipped_defaults


def _pages():
    advisor, catalog, prices, titles = shipped()
    config = load_config(REPO, Diagnostics())
    assert config is not None
    planned = plan(advisor, catalog, prices)
    defaults = shipped_defaults(catalog, prices)
    views = advisor_pages(planned, advisor, catalog, prices, config, titles, defaults)
    return advisor, catalog, prices, {v.url: v for v in views}


def _follow(views, start: str, answers: dict[str, str]):
    """Click the static options for `answers` from `start` until a page that asks nothing."""
    url = start
    while views[url].template == "advisor_question.html":
        context = views[url].context
        chosen = answers[context["question"].id]
        url = next(o["url"] for o in context["options"] if o["option"].id == chosen)
    return views[url]


@pytest.mark.slow  # every one of the 1,700+ answer sets
def test_every_answer_set_reaches_static_pages_that_say_what_the_engine_says() -> None:
    advisor, catalog, prices, views = _pages()
    display = names(catalog, prices)
    volume = next(q for q in advisor.questions if any(o.monthly_mtok for o in q.options))
    budget = next(q for q in advisor.questions if any(o.usd for o in q.options))
    checked = 0
    for answers in engine.states(advisor):
        if engine.next_question(advisor, answers) is not None:
            continue
        rec = engine.recommend(advisor, answers, catalog, prices)
        what = _follow(views, walk.ROOT, answers)
        assert what.template == "advisor_what.html"
        assert [a["title"] for a in what.context["approaches"]] == [
            a["title"] for a in rec["approaches"]
        ]
        assert [a["reasons"] for a in what.context["approaches"]] == [
            a["reasons"] for a in rec["approaches"]
        ]
        assert what.context["notes"] == rec["notes"]
        where = _follow(views, what.context["where_url"], answers)
        assert where.template == "advisor_where.html"
        table = where.context["result"]
        assert table["run"] == rec["run"] and table["run_reason"] == rec["run_reason"]
        assert [m["url"] for m in table["models"]] == [f"/models/{m}/" for m in rec["candidates"]]
        row = next(r for r in table["rows"] if r["volume_id"] == answers[volume.id])
        assert row["cost_text"] == cost_text(rec, display)
        assert row["calculator_url"] == rec["calculator_url"]
        if rec["cost"] is not None:
            label = budget.option(answers[budget.id]).label
            assert (label not in row["within"]) == rec["over_budget"]
        checked += 1
    assert checked > 1000


def test_the_static_advisor_grows_with_the_options_not_their_product() -> None:
    advisor, _, _, views = _pages()
    complete = sum(1 for a in engine.states(advisor) if engine.next_question(advisor, a) is None)
    options = sum(len(q.options) for q in advisor.questions)
    assert complete > 1000  # one page per answer set would be over a thousand pages
    assert len(views) <= 2 * options + 10  # a few dozen: about the sum of the options
    assert len(views) <= 60


def test_questions_are_split_by_the_half_of_the_advice_that_reads_them() -> None:
    advisor, *_ = shipped()
    split = walk.halves(advisor)
    assert split.what == ("task", "freshness", "prompting", "volume")
    assert split.where == ("privacy", "hardware")
    assert split.both == ()
