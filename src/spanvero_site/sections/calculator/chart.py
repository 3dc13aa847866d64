"""The cost-against-volume chart: monthly cost of the cheapest own-GPU, rented-GPU and API
option as the monthly volume grows, with the break-even volumes marked.

Every figure comes from `costs.compare`, run for the same scenario at other volumes (the same
input/output mix), so the chart and the results table cannot disagree.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from markupsafe import Markup

from spanvero_site.core.charts import Marker, Series, line_chart
from spanvero_site.core.formatting import money, plain
from spanvero_site.data import costs
from spanvero_site.data.records import Gpu, Model

POINTS = 25
KINDS = (
    ("local", "Your own GPU"),
    ("rented", "Cheapest rented GPU"),
    ("api", "Cheapest API"),
)


def _short(value: float) -> str:
    """`value` to six significant figures, in plain digits: 1e-05 reads '0.00001', not '1e-05'
    (a tiny workload's axis runs that low), and so does calculator.js's `short`."""
    return plain(float(f"{value:.6g}"))


def volume_label(mtok: float) -> str:
    """Million tokens as a short axis label: 0.1M, 10M, 1B."""
    if mtok >= 1000:
        return f"{_short(mtok / 1000)}B"
    return f"{_short(mtok)}M"


def sentence_volume(mtok: float) -> str:
    """A volume in a sentence: three significant figures (the table's rounding)."""
    return volume_label(float(f"{mtok:.3g}"))


def money_label(usd: float) -> str:
    """Dollars as a short axis label: $0, $500, $1.5k, $0.00005."""
    if usd >= 1000:
        return f"${_short(usd / 1000)}k"
    return f"${_short(usd)}"


def _costs_at(result: dict[str, Any]) -> dict[str, float | None]:
    local = result["local"]
    rented = [o for o in result["rental"] if o["monthly_usd"] is not None and o["status"] == "ok"]
    apis = [a for a in result["api"] if a["status"] == "ok"]
    return {
        "local": local["monthly_usd"],
        "rented": min((o["monthly_usd"] for o in rented), default=None),
        "api": min((a["monthly_usd"] for a in apis), default=None),
    }


def cost_curves(
    scenario: costs.Scenario,
    model: Model,
    gpus: dict[str, Gpu],
    rental: Sequence[costs.Offer],
    api: Sequence[costs.ApiOffer],
) -> dict[str, Any]:
    """Volumes (million tokens a month) and each kind's cheapest monthly cost at each volume,
    None where nothing of that kind fits or keeps up; plus the break-even volumes."""
    total = scenario.input_mtok + scenario.output_mtok
    here = costs.compare(scenario, model, gpus, rental, api)
    crossings = [v for v in here["break_even"].values() if v]
    low = min([total, *crossings]) / 10
    high = max([total, *crossings]) * 10
    step = (math.log10(high) - math.log10(low)) / (POINTS - 1)
    volumes = [10 ** (math.log10(low) + i * step) for i in range(POINTS)]
    share = scenario.input_mtok / total if total else 0.5
    rows = []
    for volume in volumes:
        at = replace(scenario, input_mtok=volume * share, output_mtok=volume * (1 - share))
        rows.append(_costs_at(costs.compare(at, model, gpus, rental, api)))
    return {
        "volumes": volumes,
        "costs": {kind: [row[kind] for row in rows] for kind, _ in KINDS},
        "break_even": here["break_even"],
        "total": total,
    }


def cost_chart(curves: dict[str, Any], model_name: str, chart_id: str = "cost-chart") -> Markup:
    """The SVG chart of `cost_curves`, with a title and a description that states the numbers.

    `chart_id` names the chart's element (and its title's and description's), unique per page."""
    series = [
        Series(
            kind,
            label,
            tuple(
                (v, c) for v, c in zip(curves["volumes"], curves["costs"][kind], strict=True) if c
            ),
        )
        for kind, label in KINDS
    ]
    series = [s for s in series if s.points]
    markers = []
    api = dict(zip(curves["volumes"], curves["costs"]["api"], strict=True))
    crossing_labels = (("local_vs_api_mtok", "buying pays"), ("rental_vs_api_mtok", "renting pays"))
    for key, label in crossing_labels:
        volume = curves["break_even"].get(key)
        if volume and api:
            nearest = min(api, key=lambda v: abs(math.log10(v) - math.log10(volume)))
            if api[nearest] is not None:
                markers.append(Marker(volume, api[nearest] * volume / nearest, label))
    described = "; ".join(
        f"{s.label} from {money(s.points[0][1])} at {sentence_volume(s.points[0][0])} "
        f"to {money(s.points[-1][1])} at {sentence_volume(s.points[-1][0])} tokens a month"
        for s in series
    )
    crossings = [f"{m.label} above {sentence_volume(m.x)} tokens a month" for m in markers]
    return line_chart(
        chart_id=chart_id,
        title=f"Monthly cost of {model_name} against monthly volume",
        desc=described + (". Break-even: " + "; ".join(crossings) if crossings else "") + ".",
        series=series,
        x_label="Tokens a month (input and output, log scale)",
        y_label="$ a month",
        x_format=volume_label,
        y_format=money_label,
        markers=markers,
        log_x=True,
    )
