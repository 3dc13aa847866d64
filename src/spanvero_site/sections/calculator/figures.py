"""The calculator's chart for other pages: cost against volume for a scenario an editor states.

An explainer asks for it with a ```figure block (`chart: cost-vs-volume`, `model:`, `gpu:`,
...: the calculator's inputs, by their names in costs.Scenario). The chart is the calculator's
own (`cost_curves`, `cost_chart`), drawn for that scenario at the build's prices, so an
explainer's figure and the calculator cannot disagree. Inputs left out take the calculator's
defaults: site.yaml's GPU, the GPU's listed price, the default electricity price.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any
from urllib.parse import urlencode

from spanvero_site.core.charts import Chart, ChartProblem
from spanvero_site.core.diagnostics import choose_from, excerpt
from spanvero_site.core.formatting import money
from spanvero_site.data import costs
from spanvero_site.data.catalog import Catalog
from spanvero_site.data.records import Prices
from spanvero_site.sections.calculator import inputs
from spanvero_site.sections.calculator.chart import KINDS, cost_chart, cost_curves, sentence_volume
from spanvero_site.sections.calculator.inputs import INPUTS
from spanvero_site.sections.calculator.views import hardware_price

CHART = "cost-vs-volume"
CALCULATOR_URL = "/calculator/"


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
        waiting = self._waiting(request)
        if waiting:
            return waiting
        scenario, problems = self._scenario(request)
        if scenario is None:
            return tuple(problems)
        model = self.catalog.models[scenario.model]
        gpus = dict(self.catalog.gpus)
        curves = cost_curves(scenario, model, gpus, self.offers, costs.api_offers(self.prices.api))
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
        query = {
            INPUTS[key][0]: inputs.param_text(request[key]) for key in INPUTS if key in request
        }
        if scenario.context != costs.DEFAULT_CONTEXT and "context" not in request:
            query["ctx"] = str(scenario.context)  # the calculator's default is too long for it
        return Chart(
            svg=cost_chart(curves, model.name, chart_id),
            caption=caption,
            table_caption="Monthly cost at each volume (tokens a month, input and output)",
            columns=("Tokens a month", *(label for _, label in KINDS)),
            rows=rows,
            link=(f"{CALCULATOR_URL}?{urlencode(query)}", "Change the inputs in the calculator →"),
        )

    def _waiting(self, request: Mapping[str, Any]) -> tuple[ChartProblem, ...]:
        """The model and GPU the figure names whose source failed to load (reported there):
        every other input depends on them, so the figure is checked and drawn once they load."""
        named = (
            ("model", "model", self.catalog.model_ids(), request.get("model")),
            ("gpu", "GPU", self.catalog.gpu_ids(), request.get("gpu", self.default_gpu)),
        )
        return tuple(
            ChartProblem(key if key in request else "", f"{noun} '{excerpt(ref, 40)}'", "", source)
            for key, noun, ids, ref in named
            if (source := ids.waits_on(str(ref))) is not None
        )

    def _scenario(
        self, request: Mapping[str, Any]
    ) -> tuple[costs.Scenario | None, list[ChartProblem]]:
        """The scenario the request states, or the problems with it."""
        problems = []
        values: dict[str, Any] = {}
        for key, value in request.items():
            if key not in INPUTS:
                hint = choose_from(str(key), INPUTS, "the inputs are ", "remove it")
                problems.append(ChartProblem(str(key), f"unknown input '{excerpt(key, 40)}'", hint))
                continue
            problem = inputs.problem(key, value, self.catalog, request.get("model", ""))
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
        values = {k: float(v) if INPUTS[k][1] == "number" else v for k, v in values.items()}
        # Left out, the context is the model's standard one, never longer than it reads.
        values.setdefault("context", costs.standard_context(self.catalog.models[values["model"]]))
        scenario = costs.Scenario(**values)
        if "usd_per_kwh" not in request and self.prices.electricity:
            scenario = replace(scenario, usd_per_kwh=self.prices.electricity.usd_per_kwh)
        if "hardware_usd" not in request:
            scenario = replace(scenario, hardware_usd=hardware_price(gpu, scenario.gpus))
        return scenario, []


def _mix(s: costs.Scenario) -> str:
    return f"{_short(s.input_mtok)}M input and {_short(s.output_mtok)}M output tokens a month"


def _short(value: float) -> str:
    return f"{value:,.10g}"


def _yours(count: int, gpu: str) -> str:
    if count == 0:
        return ""
    return f"your own {gpu if count == 1 else f'{count}× {gpu}'}, "
