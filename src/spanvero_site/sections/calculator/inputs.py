"""The calculator's inputs and the rules its form checks them by, in Python.

static/js/calculator.js (FIELDS and parseValue) is what a reader's browser applies; this is the
same table and the same rules, so that an explainer's figure is refused for the inputs the
calculator would refuse, and so that every link the site makes into the calculator can be
checked at build time to open a scenario the calculator accepts (a model's page must not open
it at a context the model cannot read).
"""

from __future__ import annotations

import math
import re
from dataclasses import fields
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from spanvero_site.core.charts import ChartProblem
from spanvero_site.core.diagnostics import choose_from, excerpt, listing
from spanvero_site.core.formatting import plain
from spanvero_site.core.refs import Missing
from spanvero_site.data import costs
from spanvero_site.data.catalog import Catalog

# Each input: its query parameter on /calculator/, its kind, and its allowed range (as the
# calculator's form checks it, static/js/calculator.js FIELDS). The context's upper bound is
# the chosen model's context_length.
INPUTS: dict[str, tuple[str, str, float | None, float | None]] = {
    "model": ("model", "id", None, None),
    "precision": ("precision", "choice", None, None),
    "input_mtok": ("in", "number", 0, 1e6),
    "output_mtok": ("out", "number", 0, 1e6),
    "context": ("ctx", "integer", 1, None),
    "concurrency": ("conc", "integer", 1, 4096),
    "kv_type": ("kv", "choice", None, None),
    "gpu": ("gpu", "id", None, None),
    "gpus": ("gpus", "count", None, None),
    "hours_per_day": ("hours", "number", 0.1, 24),
    "usd_per_kwh": ("kwh", "number", 0, 10),
    "hardware_usd": ("hw", "number", 0, 1e7),
    "amortization_months": ("months", "integer", 1, 240),
    "tier": ("tier", "choice", None, None),
    "billing": ("billing", "choice", None, None),
}
assert set(INPUTS) == {f.name for f in fields(costs.Scenario)}

_DEFAULTS = costs.Scenario(model="")  # the calculator's own defaults, for hints
BY_PARAMETER = {spec[0]: key for key, spec in INPUTS.items()}
# The numbers calculator.js's parseValue accepts (digits, with an exponent either way: 1e3,
# 2.5e-1), after dropping the commas of a number whose commas separate thousands (GROUPED there
# too): any other comma is a decimal comma ("0,15"), and dropping it would read a figure a
# hundred times too large.
_NUMBER = re.compile(r"[0-9]*\.?[0-9]+(e[+-]?[0-9]+)?|[0-9]+\.", re.IGNORECASE)
GROUPED = re.compile(r"[1-9][0-9]{0,2}(,[0-9]{3})+(\.[0-9]*)?")


def problem(key: str, value: Any, catalog: Catalog, model_id: str) -> ChartProblem | None:
    """What is wrong with one input's value for a scenario of `model_id`, or None."""
    _, kind, low, high = INPUTS[key]
    shown = excerpt(value, 40)
    if kind == "id":
        found = catalog.models if key == "model" else catalog.gpus
        if value in found:
            return None
        noun = "model" if key == "model" else "GPU"
        ids = catalog.model_ids() if key == "model" else catalog.gpu_ids()
        message = f"unknown {noun} id '{shown}'"
        hint = listing("use an id from ", found, f"the data has no {noun} to draw", limit=5)
        # (`missing` is None only for a value that is not text but reads as an id, e.g. 7)
        missing = ids.missing(str(value), message, hint) or Missing(message, hint)
        return ChartProblem(key, missing.message, missing.hint, missing.waits_on)
    if kind == "choice":
        options = choices(key, catalog, model_id)
        if value in options:
            return None
        hint = choose_from(str(value), options, "one of ", f"no {key} fits this scenario")
        return ChartProblem(key, f"unknown {key} '{shown}'", hint)
    if kind == "count":
        counts = (0, *costs.GPU_COUNTS)
        if type(value) is int and value in counts:
            return None
        return ChartProblem(
            key,
            f"{key} must be one of {', '.join(map(str, counts))}, not '{shown}'",
            f"write a count of GPUs, e.g. {key}: 1 (0 compares only renting and APIs)",
        )
    whole = kind == "integer"
    number = type(value) is int or (not whole and type(value) is float)
    if not number or not math.isfinite(value):
        return ChartProblem(
            key,
            f"{key} must be a {'whole ' if whole else ''}number, not '{shown}'",
            f"write the bare number, without a unit or words, e.g. {key}: {_example(key)}",
        )
    if high is None and low is not None and value < low:
        return ChartProblem(
            key, f"{key} must be at least {low:g}, not {shown}", f"e.g. {key}: {_example(key)}"
        )
    if (low is not None and value < low) or (high is not None and value > high):
        return ChartProblem(
            key,
            f"{key} must be between {low:g} and {high:g}, not {shown}",
            f"the calculator's form takes {low:g} to {high:g}, e.g. {key}: {_example(key)}",
        )
    if key == "output_mtok" and value == 0:
        return ChartProblem(
            key,
            "output_mtok must be above 0: costs are per output token",
            f"e.g. {key}: {_example(key)} (millions of output tokens a month)",
        )
    model = catalog.models.get(model_id)
    if key == "context" and model is not None and value > model.context_length:
        return ChartProblem(
            key,
            f"context must be at most {model.context_length:,}, the longest {model.name} reads, "
            f"not {shown}",
            f"use {model.context_length} or less, or leave it out for "
            f"{costs.standard_context(model)}",
        )
    return None


def _example(key: str) -> str:
    """A value of `key` to show in a hint: the calculator's default for it."""
    return param_text(getattr(_DEFAULTS, key))


def param_text(value: Any) -> str:
    """An input's value as a calculator link writes it: exact, without a trailing '.0'."""
    return plain(value) if isinstance(value, float) else str(value)


def choices(key: str, catalog: Catalog, model_id: str) -> list[str]:
    """The values a choice input offers (the precision's depend on the model)."""
    if key == "precision":
        model = catalog.models.get(model_id)
        return list(costs.precisions_for(model) if model else costs.PRECISIONS)
    if key == "kv_type":
        return list(costs.KV_BITS)
    if key == "tier":
        return ["on-demand", "spot"]
    return ["hourly", "always-on"]


def link_problems(url: str, catalog: Catalog, defaults: costs.Scenario) -> list[str]:
    """Why the calculator would not open the scenario a link into it states (none: it would).

    The query is read as calculator.js reads it: each parameter over the page's defaults, text
    parsed as the form parses it. A parameter the calculator ignores (an unknown name, a choice
    it does not offer, a GPU that cannot be the reader's own) is a problem too: the link would
    not show what it says.
    """
    query = parse_qsl(urlsplit(url).query, keep_blank_values=True)
    values: dict[str, Any] = {}
    problems = []
    for name, text in query:
        key = BY_PARAMETER.get(name)
        if key is None:
            problems.append(f"the calculator has no input '{name}'")
            continue
        values[key] = parse_text(key, text)
    model_id = values.get("model", defaults.model)
    for key, value in values.items():
        found = problem(key, value, catalog, model_id)
        if found is not None:
            problems.append(found.message)
        elif key == "gpu" and not catalog.gpus[value].ownable:
            problems.append(f"the calculator offers no '{value}' as the reader's own GPU")
    if "context" not in values:  # the page's default context must suit the linked model
        found = problem("context", defaults.context, catalog, model_id)
        if found is not None:
            problems.append(f"the default {found.message}")
    return problems


def parse_text(key: str, text: str) -> Any:
    """An input's text as the form reads it: choices as text, numbers as numbers (whole ones as
    int), anything else left as text for problem() to refuse."""
    kind = INPUTS[key][1]
    text = text.strip()
    if kind in ("id", "choice"):
        return text
    if kind == "count":
        return int(text) if text.isdigit() else text
    if GROUPED.fullmatch(text):
        text = text.replace(",", "")
    if not _NUMBER.fullmatch(text):
        return text
    value = float(text)
    return int(value) if value.is_integer() and kind == "integer" else value
