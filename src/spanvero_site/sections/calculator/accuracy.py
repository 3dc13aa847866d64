"""/calculator/accuracy/: the calculator's speed model against published measurements.

For every measurement in content/data/measurements.yaml, the same setup goes through
costs.throughput_tps: the bandwidth ceiling (efficiency 1), the band of its kind and the middle
of that band, which is what the calculator uses. The page shows each point's error and, per
kind of setup, the range the measured points span against the band the calculator states.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from spanvero_site.core.config import SiteConfig
from spanvero_site.core.context import PageContext, common
from spanvero_site.core.section import View
from spanvero_site.data import costs
from spanvero_site.data.catalog import Catalog
from spanvero_site.data.measurements import can_predict
from spanvero_site.data.records import Measurement

URL = "/calculator/accuracy/"


class AccuracyContext(PageContext):
    points: list[Point]
    kinds: list[KindSummary]
    tp_pct: int


@dataclass(frozen=True)
class Point:
    """One measurement and what the calculator predicts for the same setup."""

    measurement: Measurement
    model_name: str
    gpu_name: str
    band: costs.Band
    ceiling_tps: float | None = None
    skipped: str = ""

    @property
    def predicted_tps(self) -> float | None:
        return self.ceiling_tps * self.band.mid if self.ceiling_tps else None

    @property
    def share(self) -> float | None:
        """Measured speed as a share of the bandwidth ceiling."""
        return self.measurement.tokens_per_second / self.ceiling_tps if self.ceiling_tps else None

    @property
    def error(self) -> float | None:
        """Predicted over measured, minus one: +0.10 means the calculator says 10% faster."""
        predicted = self.predicted_tps
        return predicted / self.measurement.tokens_per_second - 1 if predicted else None

    @property
    def in_band(self) -> bool:
        share = self.share
        return share is not None and self.band.low <= share <= self.band.high


@dataclass(frozen=True)
class KindSummary:
    """The points of one kind of setup against the band the calculator states for it."""

    band: costs.Band
    points: int
    lowest: float | None
    highest: float | None
    median_abs_error: float | None


def points(measurements: Sequence[Measurement], catalog: Catalog) -> list[Point]:
    """Every measurement with its prediction; a setup the data cannot size is kept, skipped."""
    result = []
    for m in measurements:
        model, gpu = catalog.models[m.model], catalog.gpus[m.gpu]
        band = costs.band_for(model, m.concurrency)
        names = (model.name, gpu.name)
        if not can_predict(m, model):
            result.append(
                Point(m, *names, band, skipped=f"no published {m.precision.upper()} size yet")
            )
            continue
        ceiling = costs.throughput_tps(
            model, gpu, m.precision, m.context, m.concurrency, "f16", m.gpus, efficiency=1.0
        )
        result.append(Point(m, *names, band, ceiling))
    return result


def summaries(found: Sequence[Point]) -> list[KindSummary]:
    """Per kind of setup: how many points, the shares they span, the typical error."""
    result = []
    for band in costs.BANDS.values():
        mine = [p for p in found if p.band.kind == band.kind and p.share is not None]
        shares = [p.share for p in mine if p.share is not None]
        errors = sorted(abs(p.error) for p in mine if p.error is not None)
        median = None
        if errors:
            middle = len(errors) // 2
            median = (
                errors[middle] if len(errors) % 2 else (errors[middle - 1] + errors[middle]) / 2
            )
        result.append(
            KindSummary(
                band,
                len(mine),
                min(shares, default=None),
                max(shares, default=None),
                median,
            )
        )
    return result


def accuracy_page(
    measurements: Sequence[Measurement], catalog: Catalog, config: SiteConfig
) -> View:
    found = points(measurements, catalog)
    base = common(
        config,
        URL,
        "How accurate is the calculator?",
        "Every published decode speed we collected, next to what the calculator predicts for "
        "the same setup, with the error and the efficiency band each kind of setup uses.",
        wide=True,
    )
    context = AccuracyContext(
        **base,
        points=found,
        kinds=summaries(found),
        tp_pct=round(costs.TENSOR_PARALLEL_EFFICIENCY * 100),
    )
    return View(URL, "accuracy.html", context, "the calculator's accuracy page")
