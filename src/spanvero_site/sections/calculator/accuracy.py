"""/calculator/accuracy/: the calculator's speed model against published measurements.

For every measurement in content/data/measurements.yaml, the same setup goes through the
calculator's roofline at full efficiency: costs.throughput_tps for a decode-only figure,
costs.run_tps (prefill of every prompt added) for an end-to-end one. Times the band of its kind
and the middle of that band (what the calculator uses) that gives the prediction. The page shows
each point's error and, per kind of setup, the range the measured points span against the band
the calculator states. Excluded points are shown with their reason, outside the bands.
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
    def counted(self) -> bool:
        """Predicted and not excluded: the points the bands are fitted to and tested on."""
        return self.ceiling_tps is not None and not self.measurement.excluded

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
    """The points of one kind of setup against the band the calculator states for it.

    Errors are predicted / measured - 1 at the middle of the band; `worst_error` is the one
    furthest from zero, with its sign.
    """

    band: costs.Band
    points: int
    lowest: float | None
    highest: float | None
    median_abs_error: float | None
    worst_error: float | None = None

    @property
    def spread(self) -> float | None:
        """How many times the highest share the lowest is: the band's honest width."""
        return self.highest / self.lowest if self.lowest and self.highest else None


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
        if m.measures == "end-to-end" and m.prompt_tokens and gpu.tflops_bf16 is None:
            result.append(Point(m, *names, band, skipped="no compute figure for this GPU"))
            continue
        result.append(Point(m, *names, band, full_efficiency_tps(m, catalog)))
    return result


def full_efficiency_tps(m: Measurement, catalog: Catalog) -> float:
    """What the calculator's roofline gives for the measured setup at efficiency 1."""
    model, gpu = catalog.models[m.model], catalog.gpus[m.gpu]
    if m.measures == "end-to-end":
        return costs.run_tps(
            model, gpu, m.precision, m.context, m.prompt_tokens, m.concurrency, "f16", m.gpus
        )
    return costs.throughput_tps(
        model, gpu, m.precision, m.context, m.concurrency, "f16", m.gpus, efficiency=1.0
    )


def _median(values: Sequence[float]) -> float | None:
    ordered = sorted(values)
    if not ordered:
        return None
    middle = len(ordered) // 2
    return ordered[middle] if len(ordered) % 2 else (ordered[middle - 1] + ordered[middle]) / 2


def summaries(found: Sequence[Point]) -> list[KindSummary]:
    """Per kind of setup: how many points, the shares they span, the typical and worst error."""
    result = []
    for band in costs.BANDS.values():
        mine = [p for p in found if p.band.kind == band.kind and p.counted]
        shares = [p.share for p in mine if p.share is not None]
        errors = [p.error for p in mine if p.error is not None]
        result.append(
            KindSummary(
                band,
                len(mine),
                min(shares, default=None),
                max(shares, default=None),
                _median([abs(e) for e in errors]),
                max(errors, key=abs, default=None),
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
