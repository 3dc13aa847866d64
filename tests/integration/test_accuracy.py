"""The calculator's speed model stays inside its own stated bands on the published measurements.

costs.BANDS states, per kind of setup, the share of the bandwidth ceiling real engines reach. Each
measurement in content/data/measurements.yaml is run through the same formula; a point outside
its kind's band fails here, so a change to the formula, the data or a band that breaks the
page's claims cannot land unnoticed.
"""

from __future__ import annotations

import datetime as dt

import pytest

from spanvero_site.core.diagnostics import Diagnostics
from spanvero_site.data import costs
from spanvero_site.data.catalog import load_catalog
from spanvero_site.data.measurements import load_measurements
from spanvero_site.sections.calculator import accuracy
from tests.conftest import REPO

TODAY = dt.date(2026, 11, 29)


def shipped_points() -> list[accuracy.Point]:
    diags = Diagnostics()
    catalog = load_catalog(REPO, diags, TODAY, 365)
    measurements = load_measurements(REPO, diags, catalog.models, catalog.gpus, TODAY)
    assert diags.errors == []
    return accuracy.points(measurements, catalog)


POINTS = shipped_points()


def test_there_are_at_least_15_predicted_measurements() -> None:
    predicted = [p for p in POINTS if not p.skipped]
    assert len(predicted) >= 15
    assert {p.measurement.concurrency == 1 for p in predicted} == {True, False}


@pytest.mark.parametrize(
    "point", [p for p in POINTS if not p.skipped], ids=lambda p: p.measurement.id
)
def test_every_point_falls_inside_its_own_stated_band(point: accuracy.Point) -> None:
    assert point.share is not None
    assert point.band.low <= point.share <= point.band.high, (
        f"{point.measurement.id} reaches {point.share:.0%} of its bandwidth ceiling, outside "
        f"the {point.band.low:.0%}-{point.band.high:.0%} band of '{point.band.label}'"
    )


def test_the_predicted_speed_is_the_middle_of_the_band_the_calculator_uses() -> None:
    point = next(p for p in POINTS if not p.skipped)
    m = point.measurement
    diags = Diagnostics()
    catalog = load_catalog(REPO, diags, TODAY, 365)
    model, gpu = catalog.models[m.model], catalog.gpus[m.gpu]
    tps = costs.throughput_tps(model, gpu, m.precision, m.context, m.concurrency, "f16", m.gpus)
    assert point.predicted_tps == pytest.approx(tps)
    assert point.error == pytest.approx(tps / m.tokens_per_second - 1)


def test_a_point_outside_its_band_is_caught() -> None:
    point = next(p for p in POINTS if not p.skipped)
    narrow = costs.Band(point.band.kind, point.band.label, 0.0, point.share * 0.9)
    assert not accuracy.Point(
        point.measurement, point.model_name, point.gpu_name, narrow, point.ceiling_tps
    ).in_band
