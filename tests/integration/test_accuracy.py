"""The calculator's speed model stays inside its own stated bands on the published measurements.

costs.BANDS states, per kind of setup, the share of the calculator's full-efficiency speed (the
bandwidth/compute roofline, plus prefill for figures whose clock covered the prompts) real
engines reach. Each measurement in content/data/measurements.yaml is run through the same
formulas; a counted point outside its kind's band fails here, and so does a many-stream band
wider than 2x, so a change to the formula, the data or a band that breaks the page's claims
cannot land unnoticed. Excluded points carry their reason in the data file.
"""

from __future__ import annotations

import pytest

from spanvero_site.core.diagnostics import Diagnostics
from spanvero_site.data import costs
from spanvero_site.data.catalog import load_catalog
from spanvero_site.data.measurements import load_measurements
from spanvero_site.sections.calculator import accuracy
from tests.conftest import REPO, SHIPPED_DAY

TODAY = SHIPPED_DAY  # the shipped data is measured against its own newest day


def shipped_points() -> list[accuracy.Point]:
    diags = Diagnostics()
    catalog = load_catalog(REPO, diags, TODAY, 365)
    measurements = load_measurements(REPO, diags, catalog, TODAY)
    assert diags.errors == []
    return accuracy.points(measurements, catalog)


POINTS = shipped_points()


def test_there_are_at_least_15_counted_measurements_of_both_kinds() -> None:
    counted = [p for p in POINTS if p.counted]
    assert len(counted) >= 15
    assert {p.measurement.concurrency == 1 for p in counted} == {True, False}
    assert {p.measurement.measures for p in counted} == {"decode", "end-to-end"}


def test_every_exclusion_says_why_and_still_shows_its_prediction() -> None:
    excluded = [p for p in POINTS if p.measurement.excluded]
    assert excluded
    for point in excluded:
        assert len(point.measurement.excluded) > 40, point.measurement.id
        assert point.ceiling_tps is not None and not point.counted


@pytest.mark.parametrize("point", [p for p in POINTS if p.counted], ids=lambda p: p.measurement.id)
def test_every_point_falls_inside_its_own_stated_band(point: accuracy.Point) -> None:
    assert point.share is not None
    assert point.band.low <= point.share <= point.band.high, (
        f"{point.measurement.id} reaches {point.share:.0%} of its bandwidth ceiling, outside "
        f"the {point.band.low:.0%}-{point.band.high:.0%} band of '{point.band.label}'"
    )


@pytest.mark.parametrize("kind", ["batched-dense", "batched-moe"])
def test_each_many_stream_band_spans_at_most_2x(kind: str) -> None:
    band = costs.BANDS[kind]
    assert band.high / band.low <= 2.0
    [summary] = [k for k in accuracy.summaries(POINTS) if k.band.kind == kind]
    assert summary.points >= 3


def test_the_predicted_speed_is_the_middle_of_the_band_the_calculator_uses() -> None:
    diags = Diagnostics()
    catalog = load_catalog(REPO, diags, TODAY, 365)
    decode = next(p for p in POINTS if p.counted and p.measurement.measures == "decode")
    m = decode.measurement
    model, gpu = catalog.models[m.model], catalog.gpus[m.gpu]
    tps = costs.throughput_tps(model, gpu, m.precision, m.context, m.concurrency, "f16", m.gpus)
    assert decode.predicted_tps == pytest.approx(tps)
    assert decode.error == pytest.approx(tps / m.tokens_per_second - 1)


def test_an_end_to_end_figure_also_pays_for_reading_every_prompt() -> None:
    """Prefill: 2 x active params FLOPs per prompt token at the GPU's dense tensor rate."""
    diags = Diagnostics()
    catalog = load_catalog(REPO, diags, TODAY, 365)
    point = next(
        p
        for p in POINTS
        if p.counted and p.measurement.id.endswith("bf16-h100-sxm-vllm-prefill-c64")
    )
    m = point.measurement
    model, gpu = catalog.models[m.model], catalog.gpus[m.gpu]
    output = m.context - m.prompt_tokens
    step = costs.step_seconds(model, gpu, m.precision, m.context, m.concurrency)
    prefill = m.prompt_tokens * 2 * model.active_params_b * 1e9 / (gpu.tflops_bf16 * 1e12)
    expected = m.concurrency * output / (m.concurrency * prefill + output * step)
    assert point.ceiling_tps == pytest.approx(expected)
    decode_only = costs.throughput_tps(
        model, gpu, m.precision, m.context, m.concurrency, "f16", 1, 1.0
    )
    assert point.ceiling_tps < decode_only * 0.6, "1,024-token prompts take over 40% of the time"


def test_a_point_outside_its_band_is_caught() -> None:
    point = next(p for p in POINTS if p.counted)
    narrow = costs.Band(point.band.kind, point.band.label, 0.0, point.share * 0.9)
    assert not accuracy.Point(
        point.measurement, point.model_name, point.gpu_name, narrow, point.ceiling_tps
    ).in_band
