"""The calculator's chart for other pages: cost against volume for a scenario an editor states.

An explainer asks for it with a ```figure block (`chart: cost-vs-volume`, `model:`, `gpu:`,
...: the calculator's inputs, by their names in costs.Scenario). The chart is the calculator's
own (`cost_curves`, `cost_chart`), drawn for that scenario at the build's prices, so an
explainer's figure and the calculator cannot disagree. Inputs left out take the calculator's
defaults: site.yaml's GPU, the GPU's listed price, the default electricity price.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, fields, replace
from typing import Any
from urllib.parse import urlencode

from spanvero_site.core.charts import Chart, ChartProblem
from spanvero_site.core.diagnostics import choose_from, excerpt, listing
from spanvero_site.core.formatting import money
from spanvero_site.core.refs import Missing
from spanvero_site.data import costs
from spanvero_site.data.catalog import Catalog
from spanvero_site.data.records import Prices
from spanvero_site.sections.calculator.chart import KINDS, cost_chart, cost_curves, sentence_volume
from spanvero_site.sections.calculator.views import hardware_price

CHART = "cost-vs-volume"
CALCULATOR_URL = "/calculator/"

# Each input: its query parameter on /calculator/, its kind, and its allowed range (as the
# calculator's form checks it, static/js/calculator.js FIELDS).
_INPUTS: dict[str, tuple[str, str, float | None, float | None]] = {
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
assert set(_INPUTS) == {f.name for f in fields(costs.Scenario)}


@dataclass(frozen=True)
class CostFigure:
    """Draws the cost-against-volume chart for a stated scenario (a core.charts.ChartDrawer)."""

    catalog: Catalog
    prices: Prices
    offers: Sequence[costs.Offer]
    default_gpu: str

    def __call__(
        self, request: Mapping[str, Any], chart_id: str
    ) -> Chart | tuple[ChartProblem, ...]:
        model_ids, gpu_ids = self.catalog.model_ids(), self.catalog.gpu_ids()
        if model_ids.failed(str(request.get("model"))) or gpu_ids.failed(
            str(request.get("gpu", self.default_gpu))
        ):
            return ()  # its model or GPU failed to load and is reported there: nothing to add
        scenario, problems = self._scenario(request)
        if scenario is None:
            return tuple(problems)
        model = self.catalog.models[scenario.model]
        curves = cost_curves(scenario, model, dict(self.catalog.gpus), self.offers, self.prices.api)
        gpu = self.catalog.gpus[scenario.gpu].name
        rows = tuple(
            (
                sentence_volume(volume),
                *(money(curves["costs"][kind][i]) for kind, _ in KINDS),
            )
            for i, volume in enumerate(curves["volumes"])
        )
        precision = costs.PRECISIONS.get(scenario.precision, (scenario.precision,))[0]
        billing = "billed by the hour" if scenario.billing == "hourly" else "always on"
        caption = (
            f"{model.name} at {precision}, {_mix(scenario)}: {_yours(scenario.gpus, gpu)}the "
            f"cheapest rented GPU ({scenario.tier}, {billing}) and the cheapest API, at the "
            "prices in our data."
        )
        query = {_INPUTS[key][0]: _param(request[key]) for key in _INPUTS if key in request}
        return Chart(
            svg=cost_chart(curves, model.name, chart_id),
            caption=caption,
            table_caption="Monthly cost at each volume (tokens a month, input and output)",
            columns=("Tokens a month", *(label for _, label in KINDS)),
            rows=rows,
            link=(f"{CALCULATOR_URL}?{urlencode(query)}", "Change the inputs in the calculator →"),
        )

    def _scenario(
        self, request: Mapping[str, Any]
    ) -> tuple[costs.Scenario | None, list[ChartProblem]]:
        """The scenario the request states, or the problems with it."""
        problems = []
        values: dict[str, Any] = {}
        for key, value in request.items():
            if key not in _INPUTS:
                hint = choose_from(str(key), _INPUTS, "the inputs are ", "remove it")
                problems.append(ChartProblem(str(key), f"unknown input '{excerpt(key, 40)}'", hint))
                continue
            problem = self._check(key, value, request)
            if problem:
                problems.append(problem)
            else:
                values[key] = value
        if "model" not in request:
            problems.append(ChartProblem("", "the figure names no model", "add `model: <id>`"))
        if problems:
            return None, problems
        gpu_id = values.setdefault("gpu", self.default_gpu)
        gpu = self.catalog.gpus.get(gpu_id)
        if gpu is None:  # no GPU in the catalogue at all
            return None, [
                ChartProblem("", "there is no GPU to compare with", "add one to gpus.yaml")
            ]
        if values.get("gpus", 1) and not gpu.ownable:  # as the calculator's form: E715's rule
            return None, [
                ChartProblem(
                    "gpu" if "gpu" in request else "",
                    f"the {gpu.name} has no price in gpus.yaml, so it can only be rented",
                    "name a GPU with a price, or set `gpus: 0` to compare renting and APIs",
                )
            ]
        values = {k: float(v) if _INPUTS[k][1] == "number" else v for k, v in values.items()}
        scenario = costs.Scenario(**values)
        if "usd_per_kwh" not in request and self.prices.electricity:
            scenario = replace(scenario, usd_per_kwh=self.prices.electricity.usd_per_kwh)
        if "hardware_usd" not in request:
            scenario = replace(scenario, hardware_usd=hardware_price(gpu, scenario.gpus))
        return scenario, []

    def _check(self, key: str, value: Any, request: Mapping[str, Any]) -> ChartProblem | None:
        """What is wrong with one input's value, or None."""
        _, kind, low, high = _INPUTS[key]
        shown = excerpt(value, 40)
        if kind == "id":
            found = self.catalog.models if key == "model" else self.catalog.gpus
            if value in found:
                return None
            noun = "model" if key == "model" else "GPU"
            ids = self.catalog.model_ids() if key == "model" else self.catalog.gpu_ids()
            message = f"unknown {noun} id '{shown}'"
            hint = listing("use an id from ", found, f"the data has no {noun} to draw", limit=5)
            # (one whose source failed was let through by __call__, so `missing` is not None)
            missing = ids.missing(str(value), message, hint) or Missing(message, hint)
            return ChartProblem(key, missing.message, missing.hint)
        if kind == "choice":
            choices = self._choices(key, request)
            if value in choices:
                return None
            hint = choose_from(str(value), choices, "one of ", f"no {key} fits this scenario")
            return ChartProblem(key, f"unknown {key} '{shown}'", hint)
        if kind == "count":
            counts = (0, *costs.GPU_COUNTS)
            if type(value) is int and value in counts:
                return None
            return ChartProblem(
                key, f"{key} must be one of {', '.join(map(str, counts))}, not '{shown}'"
            )
        whole = kind == "integer"
        number = type(value) is int or (not whole and type(value) is float)
        if not number or not math.isfinite(value):
            return ChartProblem(
                key, f"{key} must be a {'whole ' if whole else ''}number, not '{shown}'"
            )
        if high is None and low is not None and value < low:
            return ChartProblem(key, f"{key} must be at least {low:g}, not {shown}")
        if (low is not None and value < low) or (high is not None and value > high):
            return ChartProblem(key, f"{key} must be between {low:g} and {high:g}, not {shown}")
        if key == "output_mtok" and value == 0:
            return ChartProblem(key, "output_mtok must be above 0: costs are per output token")
        return None

    def _choices(self, key: str, request: Mapping[str, Any]) -> list[str]:
        if key == "precision":
            model = self.catalog.models.get(request.get("model", ""))
            return list(costs.precisions_for(model) if model else costs.PRECISIONS)
        if key == "kv_type":
            return list(costs.KV_BITS)
        if key == "tier":
            return ["on-demand", "spot"]
        return ["hourly", "always-on"]


def _mix(s: costs.Scenario) -> str:
    return f"{_short(s.input_mtok)}M input and {_short(s.output_mtok)}M output tokens a month"


def _short(value: float) -> str:
    return f"{value:,.10g}"


def _yours(count: int, gpu: str) -> str:
    if count == 0:
        return ""
    return f"your own {gpu if count == 1 else f'{count}× {gpu}'}, "


def _param(value: Any) -> str:
    return f"{value:g}" if isinstance(value, float) else str(value)
