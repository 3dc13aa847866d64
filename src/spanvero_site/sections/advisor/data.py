"""Read and validate content/data/advisor.yaml: every id a rule names must exist.

Mistakes are diagnostics at the file's line: an unknown question or option in a `when:`
(with "did you mean"), an approach the ladder lacks, a GPU gpus.yaml lacks, a placement list
without a catch-all. Explainer ids in `learn:` are checked later, against the page graph.
"""

from __future__ import annotations

from collections.abc import Collection
from pathlib import Path
from typing import Any

from spanvero_site.core.diagnostics import Diagnostics, choose_from, did_you_mean, excerpt, listing
from spanvero_site.core.guard import processes
from spanvero_site.core.pages import Unusable
from spanvero_site.core.refs import Known, known
from spanvero_site.core.schema import Field, check, in_domain
from spanvero_site.core.sources import DataFile, read_data_file
from spanvero_site.data import costs
from spanvero_site.data.prices import TIERS
from spanvero_site.sections.advisor.engine import (
    RUNS,
    Advisor,
    Approach,
    Assumptions,
    Option,
    Placement,
    Question,
    Rule,
    When,
)

ADVISOR_PATH = "content/data/advisor.yaml"

_OPTION = {
    "id": Field("slug", required=True, example="docs"),
    "label": Field("str", required=True, example="Answer questions from our documents"),
    "monthly_mtok": Field("positive", example="30"),
    "usd": Field("non_negative", example="500"),
    "gpu": Field("slug", example="rtx-4090"),
}
_QUESTION = {
    "id": Field("slug", required=True, example="task"),
    "text": Field("str", required=True, example="What must the model do?"),
    "options": Field("list", required=True, example="[{id: ..., label: ...}]"),
    "ask_if": Field("mapping", example="{task: [docs]}"),
}
_APPROACH = {
    "id": Field("slug", required=True, example="retrieval"),
    "title": Field("str", required=True, example="Add retrieval (RAG)"),
    "learn": Field("str_list", required=True, example="[rag, embeddings]"),
}
_RULE = {
    "when": Field("mapping", required=True, example="{task: [docs]}"),
    "approach": Field("str", example="retrieval"),
    "reason": Field("str", example="Why, in a sentence or two."),
    "note": Field("str", example="A caveat worth knowing."),
    "model_size": Field("str", example="small"),
}
_PLACEMENT = {
    "when": Field("mapping", required=True, example="{privacy: [own-hardware]}"),
    "run": Field("str", required=True, choices=RUNS, example="local"),
    "reason": Field("str", required=True, example="Why run it there."),
}
_ASSUMPTIONS = {
    "precision": Field("str", required=True, example="q4_k_m"),
    "context_tokens": Field("count", required=True, example="8192"),
    "input_share": Field("fraction", required=True, example="0.75"),
    "hours_per_day": Field("positive", required=True, example="8"),
    "payback_months": Field("count", required=True, example="36"),
    "tier": Field("str", required=True, choices=TIERS, example="on-demand"),
    "gpu_to_buy": Field("slug", required=True, example="rtx-4090"),
    "candidates": Field("count", required=True, example="3"),
    "concurrency": Field("list", required=True, example="[1, 2, 4, 8, 16, 32, 64]"),
    "billing": Field("str", required=True, choices=costs.BILLING, example="always-on"),
}
_TOP = {
    "intro": Field("str", required=True),
    "questions": Field("list", required=True),
    "approaches": Field("list", required=True),
    "default_reason": Field("str", required=True),
    "no_local_fit": Field("str", required=True),
    "model_sizes": Field("mapping", required=True, example="{small: 10, medium: 80}"),
    "rules": Field("list", required=True),
    "placement": Field("list", required=True),
    "assumptions": Field("mapping", required=True, schema=_ASSUMPTIONS),
}


@processes(ADVISOR_PATH)
def load_advisor(
    root: Path, diags: Diagnostics, gpu_ids: Collection[str], rent_only: Collection[str] = ()
) -> Advisor | None:
    """The advisor, or None when the file is absent or too broken to use (already reported).

    `rent_only` are the GPUs with no price: a reader cannot own one (E715)."""
    if not (root / ADVISOR_PATH).exists():
        return None
    file = read_data_file(root, ADVISOR_PATH, diags, today=None)  # it holds no days
    if file is None:
        return None
    if not isinstance(file.data, dict):
        diags.error(
            "E203",
            "advisor.yaml must be a mapping of keys to values",
            ADVISOR_PATH,
            1,
            1,
            "start it with keys such as 'questions:', 'approaches:' and 'rules:', one per line",
        )
        return None
    return _Reader(file, diags, gpu_ids, rent_only).read()


class _Reader:
    def __init__(
        self,
        file: DataFile,
        diags: Diagnostics,
        gpu_ids: Collection[str],
        rent_only: Collection[str] = (),
    ) -> None:
        self.file, self.diags, self.rent_only = file, diags, rent_only
        self.gpu_ids = known(gpu_ids)
        self.errors_before = diags.error_count
        # entries (by list) and options (by question) that failed to load, already reported:
        # what names them is not reported again
        self.failed: dict[str, list[Unusable]] = {}

    def rented_only(self, gpu: str, at: tuple[str | int, ...]) -> bool:
        """E715 when `gpu` has no price: it can be rented, never be the reader's own."""
        if gpu not in self.rent_only:
            return False
        self.error(
            "E715",
            f"GPU '{gpu}' has no price in gpus.yaml, so it can only be rented: it cannot be "
            "hardware the reader owns or buys",
            at,
            "give it a dated price in gpus.yaml, or name a GPU that has one",
        )
        return True

    def error(self, code: str, message: str, at: tuple[str | int, ...], hint: str) -> None:
        self.file.error(self.diags, code, message, at, hint)

    def items(
        self, raw: list[Any], schema: dict[str, Field], key: str
    ) -> list[tuple[tuple[str | int, ...], dict[str, Any]]]:
        found: list[tuple[tuple[str | int, ...], dict[str, Any]]] = []
        for index, entry in enumerate(raw):
            at = (key, index)
            if not isinstance(entry, dict):
                self.error(
                    "E203",
                    f"'{key}[{index}]' must be a mapping",
                    at,
                    f"write each item of '{key}' as '- id: ...' with its other keys indented",
                )
                continue
            before = self.diags.error_count
            values = check(entry, schema, self.file.source, self.diags, at)
            if self.diags.error_count == before:
                found.append((at, values))
            elif isinstance(entry.get("id"), str):
                self.failed.setdefault(key, []).append(Unusable(entry["id"], "", ADVISOR_PATH))
        return found

    def read(self) -> Advisor | None:
        top = check(self.file.data, _TOP, self.file.source, self.diags)
        if self.diags.error_count > self.errors_before:
            return None
        questions = self._questions(top["questions"])
        known = self._asked(questions)
        approaches = [
            Approach(v["id"], v["title"], tuple(v["learn"]))
            for _, v in self.items(top["approaches"], _APPROACH, "approaches")
        ]
        sizes = top["model_sizes"]
        for name, value in sizes.items():
            if not in_domain(value, "positive"):
                self.error(
                    "E203",
                    f"model size '{name}' must be a positive number",
                    ("model_sizes", name),
                    "billions of parameters, e.g. small: 10",
                )
                return None
        ids = [a.id for a in approaches]
        approach_ids = Known.of(ids, self.failed.get("approaches", ()))
        not_listed = listing("approaches: ", ids, "add the approach under 'approaches:'")
        rules = []
        for at, v in self.items(top["rules"], _RULE, "rules"):
            when = self._when(v["when"], (*at, "when"), known)
            missing = v.get("approach") and approach_ids.missing(
                v["approach"], f"unknown approach '{v['approach']}'", not_listed
            )
            if missing:
                self.file.report(self.diags, "E302", missing, (*at, "approach"))
            if v.get("approach") and not v.get("reason"):
                self.error(
                    "E204",
                    "a rule that recommends an approach needs a 'reason'",
                    at,
                    "say in a sentence or two why this approach fits these answers",
                )
            if v.get("model_size") and v["model_size"] not in sizes:
                self.error(
                    "E302",
                    f"unknown model size '{v['model_size']}'",
                    (*at, "model_size"),
                    choose_from(v["model_size"], sizes, "sizes: ", "add it under 'model_sizes:'"),
                )
            if not v.get("approach") and not v.get("note"):
                self.error(
                    "E204",
                    "a rule needs an 'approach' or a 'note'",
                    at,
                    "add what the rule recommends, or the caveat it adds",
                )
            rules.append(
                Rule(when, v.get("approach"), v.get("reason"), v.get("note"), v.get("model_size"))
            )
        placement = [
            Placement(self._when(v["when"], (*at, "when"), known), v["run"], v["reason"])
            for at, v in self.items(top["placement"], _PLACEMENT, "placement")
        ]
        if not placement or placement[-1].when:
            self.error(
                "E712",
                "the last placement must match every answer (when: {})",
                ("placement",),
                "end the list with a catch-all entry",
            )
        if not approaches:
            self.error(
                "E204",
                "the advisor needs at least one approach",
                ("approaches",),
                "add an item under 'approaches:' with id, title and learn",
            )
        if self.diags.error_count > self.errors_before:
            return None
        assumptions = self._assumptions(top["assumptions"])
        if assumptions is None:
            return None
        return Advisor(
            assumptions=assumptions,
            intro=top["intro"].strip(),
            questions=tuple(questions),
            approaches=tuple(approaches),
            default_reason=top["default_reason"].strip(),
            model_sizes=tuple((k, float(v)) for k, v in sizes.items()),
            rules=tuple(rules),
            placement=tuple(placement),
            no_local_fit=top["no_local_fit"].strip(),
        )

    def _assumptions(self, raw: dict[str, Any]) -> Assumptions | None:
        """How answers are priced; every id and value checked against what the build knows."""
        ok = True
        if raw["precision"] not in costs.PRECISIONS:
            hint = choose_from(raw["precision"], costs.PRECISIONS, "", "see costs.PRECISIONS")
            self.error(
                "E208",
                f"unknown precision '{raw['precision']}'",
                ("assumptions", "precision"),
                hint,
            )
            ok = False
        if raw["gpu_to_buy"] not in self.gpu_ids:
            missing = self.gpu_ids.missing(
                raw["gpu_to_buy"], f"unknown GPU '{raw['gpu_to_buy']}'", "use an id from gpus.yaml"
            )
            if missing is not None:
                self.file.report(self.diags, "E302", missing, ("assumptions", "gpu_to_buy"))
            ok = False
        elif self.rented_only(raw["gpu_to_buy"], ("assumptions", "gpu_to_buy")):
            ok = False
        levels = raw["concurrency"]
        if not levels or not all(in_domain(n, "count") for n in levels):
            self.error(
                "E203",
                "concurrency must be a list of whole numbers of at least 1",
                ("assumptions", "concurrency"),
                "the numbers of requests served at once to price, e.g. [1, 2, 4, 8]",
            )
            ok = False
        if not ok:
            return None
        return Assumptions(
            precision=raw["precision"],
            context_tokens=raw["context_tokens"],
            input_share=float(raw["input_share"]),
            hours_per_day=float(raw["hours_per_day"]),
            payback_months=raw["payback_months"],
            tier=raw["tier"],
            gpu_to_buy=raw["gpu_to_buy"],
            candidates=raw["candidates"],
            concurrency=tuple(sorted(set(levels))),
            billing=raw["billing"],
        )

    def _questions(self, raw: list[Any]) -> list[Question]:
        questions: list[Question] = []
        for at, v in self.items(raw, _QUESTION, "questions"):
            if v["id"] in {q.id for q in questions}:
                self.error(
                    "E303",
                    f"duplicate question id '{v['id']}'",
                    (*at, "id"),
                    "give one of the two questions a new id, or merge them",
                )
                continue
            options = []
            for _, ov in self._options(at, v):
                options.append(
                    Option(
                        ov["id"], ov["label"], ov.get("monthly_mtok"), ov.get("usd"), ov.get("gpu")
                    )
                )
            known = self._asked(questions)
            ask_if = self._when(v.get("ask_if", {}), (*at, "ask_if"), known)
            questions.append(Question(v["id"], v["text"], tuple(options), ask_if))
        return questions

    def _options(
        self, at: tuple[str | int, ...], question: dict[str, Any]
    ) -> list[tuple[tuple[str | int, ...], dict[str, Any]]]:
        found = []
        seen: set[str] = set()
        for index, entry in enumerate(question["options"]):
            oat = (*at, "options", index)
            if not isinstance(entry, dict):
                self.error(
                    "E203",
                    "an option must be a mapping with id and label",
                    oat,
                    "write it as '- {id: ..., label: ...}'",
                )
                continue
            before = self.diags.error_count
            values = check(entry, _OPTION, self.file.source, self.diags, oat)
            if self.diags.error_count > before:
                self._option_failed(question, entry.get("id"))
                continue
            if values["id"] in seen:
                self.error(
                    "E303",
                    f"duplicate option id '{values['id']}'",
                    (*oat, "id"),
                    "give one of the two options a new id, or merge them",
                )
            elif values.get("gpu") and values["gpu"] not in self.gpu_ids:
                missing = self.gpu_ids.missing(
                    values["gpu"], f"unknown GPU id '{values['gpu']}'", "use an id from gpus.yaml"
                )
                if missing is not None:
                    self.file.report(self.diags, "E302", missing, (*oat, "gpu"))
                # an option whose GPU failed in gpus.yaml waits on that file, as its GPU does
                self._option_failed(question, values["id"], missing.waits_on if missing else "")
            elif values.get("gpu") and self.rented_only(values["gpu"], (*oat, "gpu")):
                self._option_failed(question, values["id"])
            else:
                seen.add(values["id"])
                found.append((oat, values))
        return found

    def _option_failed(self, question: dict[str, Any], option: Any, cause: str = "") -> None:
        """Remember an option that failed (reported at `cause`, by default this file): an
        ask_if or when naming it waits on that source."""
        if isinstance(option, str):
            key = f"options of {question['id']}"
            self.failed.setdefault(key, []).append(Unusable(option, "", cause or ADVISOR_PATH))

    def _asked(self, questions: list[Question]) -> dict[str, Known]:
        """The options of each question read so far, with those that failed to load."""
        failed = self.failed.get
        known = {
            q.id: Known.of((o.id for o in q.options), failed(f"options of {q.id}", ()))
            for q in questions
        }
        for question in failed("questions", ()):
            known.setdefault(question.id, Known(unreadable=(ADVISOR_PATH,)))
        return known

    def _when(
        self, raw: dict[str, Any], at: tuple[str | int, ...], known: dict[str, Known]
    ) -> When:
        conditions = []
        for key, values in raw.items():
            if key not in known:
                self.error(
                    "E302",
                    f"unknown question '{key}'",
                    (*at, key),
                    did_you_mean(str(key), known) or "name a question asked before this point",
                )
                continue
            if not isinstance(values, list) or not values:
                self.error(
                    "E203",
                    f"'{key}' must be a list of option ids",
                    (*at, key),
                    f"e.g. {key}: [{next(iter(known[key]), 'an-option-id')}]",
                )
                continue
            for index, value in enumerate(values):
                if not isinstance(value, str):
                    self.error(
                        "E203",
                        f"'{key}[{index}]' must be an option id, not {excerpt(value, 40)}",
                        (*at, key, index),
                        f"e.g. {key}: [{next(iter(known[key]), 'an-option-id')}]",
                    )
                elif value not in known[key]:
                    missing = known[key].missing(
                        value,
                        f"question '{key}' has no option '{value}'",
                        listing("options: ", known[key], f"'{key}' has no option to name"),
                    )
                    if missing is not None:
                        self.file.report(self.diags, "E302", missing, (*at, key, index))
            conditions.append((key, tuple(str(v) for v in values)))
        return tuple(conditions)
