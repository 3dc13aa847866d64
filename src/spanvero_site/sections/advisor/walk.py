"""The advisor without JavaScript: a static walk that grows with the options, not their product.

A recommendation has two halves that read different questions: what to do (the rules) and where
to run it (the placement list, the owned GPU). So the static site has two short walks instead of
one page per finished set of answers. The first asks only the rules' questions and stops as soon
as every way of finishing it gives the same advice, at a page named by that advice; the second
asks only the placement's questions and ends at a page that prices every volume at once, so
neither volume nor budget multiplies the pages. Where two answers lead to the same page, they
share it.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Hashable, Iterator, Mapping, Sequence
from dataclasses import dataclass

from spanvero_site.sections.advisor import engine
from spanvero_site.sections.advisor.engine import Advisor, Answers, Question, What

ROOT = "/advisor/"
Outcome = Callable[[Mapping[str, str]], Hashable]
EndUrl = Callable[[Mapping[str, str]], str]
# More complete answer sets than this in one half, and the walk is not enumerated at all.
MAX_COMPLETIONS = 20_000


class WalkTooLarge(Exception):
    """One half of the rules has too many answer combinations to walk."""


@dataclass(frozen=True)
class Halves:
    """The questions each half of the advisor reads (ids, in question order).

    `both` lists questions the rules and the placement both name: the static walk cannot keep
    its halves apart then, which the data check reports.
    """

    what: tuple[str, ...]
    where: tuple[str, ...]
    both: tuple[str, ...]


def halves(advisor: Advisor) -> Halves:
    """Split the questions by which half of the recommendation reads them."""
    by_rules = {key for rule in advisor.rules for key, _ in rule.when}
    by_place = {key for p in advisor.placement for key, _ in p.when}
    by_place |= {q.id for q in advisor.questions if any(o.gpu for o in q.options)}
    by_rules = _with_prerequisites(advisor, by_rules)
    by_place = _with_prerequisites(advisor, by_place)
    order = [q.id for q in advisor.questions]
    return Halves(
        what=tuple(q for q in order if q in by_rules),
        where=tuple(q for q in order if q in by_place and q not in by_rules),
        both=tuple(q for q in order if q in by_rules and q in by_place),
    )


def _with_prerequisites(advisor: Advisor, ids: set[str]) -> set[str]:
    """Add the questions whose answers decide whether these are asked at all (`ask_if`)."""
    by_id = {q.id: q for q in advisor.questions}
    found, pending = set(ids), list(ids)
    while pending:
        for key, _ in by_id[pending.pop()].ask_if:
            if key not in found:
                found.add(key)
                pending.append(key)
    return found


def what_slug(what: What) -> str:
    """A stable URL segment for a piece of advice: its approaches and a digest of all of it."""
    payload = json.dumps(
        [list(what.approaches), list(what.notes), what.size], sort_keys=True, ensure_ascii=False
    )
    digest = hashlib.sha256(payload.encode()).hexdigest()[:8]
    return "-".join(a["id"] for a in what.approaches) + f"-{digest}"


def what_url(what: What) -> str:
    return f"{ROOT}what/{what_slug(what)}/"


def where_root(size: str | None) -> str:
    """Where the second walk starts for a model size cap ('any' when the rules set none)."""
    return f"{ROOT}where/{size or 'any'}/"


@dataclass(frozen=True)
class Step:
    """One question page of a walk: the answers so far and where each option leads."""

    url: str
    question: Question
    answers: Mapping[str, str]
    options: tuple[tuple[str, str], ...]  # (option id, URL it leads to)


@dataclass(frozen=True)
class Walk:
    """Every page of one walk: its question pages and the answer sets that end it, by URL."""

    steps: tuple[Step, ...]
    ends: Mapping[str, Mapping[str, str]]  # end page URL -> one answer set that reaches it
    # end page URL -> every answer set (over this walk's questions) that reaches it, so the
    # page can say which answers lead there
    reached: Mapping[str, tuple[Mapping[str, str], ...]]


def walk(
    advisor: Advisor,
    questions: Sequence[str],
    start: str,
    outcome: Outcome,
    end_url: EndUrl,
) -> Walk:
    """Walk `questions` from `start`, stopping where every completion has one `outcome`.

    Question pages are named by the answers given (`start` + option ids); an answer set whose
    outcome is settled leads to `end_url(answers)`, shared by every answer set with that URL.
    """
    allowed = set(questions)
    settled: dict[frozenset[tuple[str, str]], bool] = {}

    def next_q(answers: Answers) -> Question | None:
        return next(
            (
                q
                for q in advisor.questions
                if q.id in allowed and q.id not in answers and engine.matches(q.ask_if, answers)
            ),
            None,
        )

    def completions(answers: dict[str, str]) -> Iterator[dict[str, str]]:
        question = next_q(answers)
        if question is None:
            yield answers
            return
        for option in question.options:
            yield from completions({**answers, question.id: option.id})

    def is_settled(answers: dict[str, str]) -> bool:
        key = frozenset(answers.items())
        if key not in settled:
            seen = set()
            for count, complete in enumerate(completions(answers)):
                if count > MAX_COMPLETIONS:
                    raise WalkTooLarge(start)
                seen.add(outcome(complete))
                if len(seen) > 1:
                    break
            settled[key] = len(seen) == 1
        return settled[key]

    def page(answers: dict[str, str], path: str) -> str:
        if answers and is_settled(answers):
            return end_url(next(completions(answers)))
        return path

    steps: list[Step] = []
    ends: dict[str, Mapping[str, str]] = {}
    reached: dict[str, list[Mapping[str, str]]] = {}
    pending: list[tuple[dict[str, str], str]] = [({}, start)]
    while pending:
        answers, path = pending.pop()
        question = next_q(answers)
        if question is None or (answers and is_settled(answers)):
            every = list(completions(answers))
            ends.setdefault(end_url(every[0]), every[0])
            reached.setdefault(end_url(every[0]), []).extend(every)
            continue
        options = []
        for option in question.options:
            child = {**answers, question.id: option.id}
            child_path = f"{path}{option.id}/"
            options.append((option.id, page(child, child_path)))
            pending.append((child, child_path))
        steps.append(Step(path, question, answers, tuple(options)))
    return Walk(
        tuple(sorted(steps, key=lambda s: s.url)),
        dict(sorted(ends.items())),
        {url: tuple(reached[url]) for url in sorted(reached)},
    )
