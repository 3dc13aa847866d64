"""Template views of /models/ and /models/<id>/: every derived figure comes from costs.py."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from markupsafe import Markup

from spanvero_site.core.config import SiteConfig
from spanvero_site.core.context import PageContext, common
from spanvero_site.core.formatting import gib, rate
from spanvero_site.core.pages import Target
from spanvero_site.core.section import View
from spanvero_site.data import costs
from spanvero_site.data.catalog import Catalog
from spanvero_site.data.records import Gpu, Model
from spanvero_site.sections.models.chart import memory_chart, memory_curves

SPEED_PRECISIONS = ("q4_k_m", "q8_0", "bf16")


class ModelsIndexContext(PageContext):
    rows: list[dict[str, Any]]
    gpus: list[Gpu]
    licenses: list[str]
    default_context: int  # each row's context is its own: this, or the model's shorter maximum


class ModelContext(PageContext):
    model: Model
    notes: Markup
    memory: list[dict[str, Any]]
    speed_precisions: list[str]
    speeds: list[dict[str, Any]]
    kv: dict[str, Any]
    fine_tune: Any
    fine_tune_gpus: dict[str, Any]
    context: int  # every sized figure's context: costs.standard_context(model)
    default_context: int
    calculator_url: str  # the calculator at this model, with a context it accepts
    explainers: list[tuple[str, str]]
    moe_explainer: tuple[str, str] | None
    constants: dict[str, Any]
    memory_chart: Markup  # memory against context length, drawn at build time
    memory_curve: list[dict[str, Any]]  # the chart's numbers, for the table behind it


def model_targets(catalog: Catalog) -> list[Target]:
    """`related:` ids for the catalog and each model: 'models' and 'models/<id>'."""
    return [
        Target("models", "Open models", "Models", "/models/"),
        *(Target(f"models/{m.id}", m.name, m.name, m.url) for m in catalog.models.values()),
    ]


def gpus_by_size(gpus: Mapping[str, Gpu]) -> list[Gpu]:
    """GPUs from the least usable memory to the most: the order "smallest that fits" reads."""
    return sorted(gpus.values(), key=lambda g: (g.usable_gib, g.bandwidth_gbps, g.id))


def models_index(catalog: Catalog, config: SiteConfig) -> View:
    """The /models/ table: one row per model, figures at its standard context (the default,
    or the model's own maximum where that is shorter, which the row says)."""
    gpus = gpus_by_size(catalog.gpus)
    rows = []
    for model in catalog.models.values():
        at = costs.standard_context(model)
        q4 = costs.memory_need(model, "q4_k_m", at)
        bf16 = costs.memory_need(model, "bf16", at)
        setup = costs.smallest_setup(model, "q4_k_m", gpus, at)
        rows.append(
            {
                "model": model,
                "context": at,
                "q4": q4.total_gib,
                "bf16": bf16.total_gib,
                "gpu": setup[0] if setup else None,
                "gpus": setup[1] if setup else 0,
            }
        )
    licenses = sorted({m.license for m in catalog.models.values()})
    base = common(
        config,
        "/models/",
        "Open models",
        "Open models with the memory they need at 4-bit and 16-bit, and the smallest GPU "
        "setup that fits each.",
        scripts=["js/models.js"],
        wide=True,
    )
    context = ModelsIndexContext(
        **base, rows=rows, gpus=gpus, licenses=licenses, default_context=costs.DEFAULT_CONTEXT
    )
    return View("/models/", "models_index.html", context, "the model catalog")


def model_page(
    model: Model,
    catalog: Catalog,
    config: SiteConfig,
    notes_html: str,
    explainers: Sequence[tuple[str, str]],
    moe_explainer: tuple[str, str] | None,
) -> View:
    """One model: specs, memory per precision, fitting GPUs and speeds, fine-tuning memory."""
    gpus = gpus_by_size(catalog.gpus)
    at = costs.standard_context(model)  # the context every figure below is sized at
    memory = []
    release = model.checkpoint.format if model.checkpoint else None
    native = [release] if release and release not in costs.TABLE_PRECISIONS else []
    for precision in (*native, *costs.TABLE_PRECISIONS):
        need = costs.memory_need(model, precision, at)
        setup = costs.smallest_setup(model, precision, gpus, at)
        is_release = precision == release
        published = is_release and model.checkpoint is not None and model.checkpoint.file_gb
        memory.append(
            {
                "label": costs.NATIVE_FORMATS.get(precision)
                or (
                    f"{precision.upper()} (the native release)"
                    if is_release
                    else costs.PRECISIONS[precision][0]
                ),
                "bits": None if published else costs.PRECISIONS[precision][1],
                "need": need,
                "gpu": setup[0] if setup else None,
                "gpus": setup[1] if setup else 0,
            }
        )
    speeds = []
    for gpu in gpus:
        cells: list[str | None] = []
        for precision in SPEED_PRECISIONS:
            need = costs.memory_need(model, precision, at)
            if costs.fits(need, gpu):
                cells.append(rate(*costs.decode_range_tps(model, gpu, precision, at)))
            else:
                cells.append(None)
        if any(cells):
            speeds.append({"gpu": gpu, "cells": cells})
    fine_tune = costs.fine_tune_memory(model)
    band = costs.band_for(model, 1)
    kv_token = costs.kv_bytes_per_token(model)
    base = common(
        config,
        model.url,
        f"{model.name}: memory, GPUs and costs",
        f"What {model.name} needs to run: {gib(costs.weights_gib(model, 'q4_k_m'))} "
        f"of weights at Q4_K_M, {gib(costs.weights_gib(model, 'bf16'))} at 16-bit, "
        "the GPUs that fit it and how fast it decodes.",
    )
    context = ModelContext(
        **base,
        model=model,
        notes=Markup(notes_html),
        memory=memory,
        memory_chart=memory_chart(model, curves := memory_curves(model), gpus),
        memory_curve=curves["rows"],
        speed_precisions=[costs.PRECISIONS[p][0] for p in SPEED_PRECISIONS],
        speeds=speeds,
        kv={
            "per_1k_gib": costs.kv_cache_bytes(model, 1000) / costs.GIB,
            "per_token": kv_token,
            "at_context_gib": costs.kv_cache_bytes(model, at) / costs.GIB,
            "at_full_gib": costs.kv_cache_bytes(model, model.context_length) / costs.GIB,
        },
        fine_tune=fine_tune,
        fine_tune_gpus={
            "full": _smallest_for(fine_tune.full_gib, gpus),
            "lora": _smallest_for(fine_tune.lora_gib[1], gpus),
            "qlora": _smallest_for(fine_tune.qlora_gib[1], gpus),
        },
        context=at,
        default_context=costs.DEFAULT_CONTEXT,
        calculator_url=calculator_link(model),
        explainers=list(explainers),
        moe_explainer=moe_explainer if model.is_moe else None,
        constants={
            "overhead_pct": round(costs.OVERHEAD_FRACTION * 100),
            "overhead_min": costs.OVERHEAD_MIN_GIB,
            "eff_low": round(band.low * 100),
            "eff_high": round(band.high * 100),
        },
    )
    source = model.source_file
    return View(model.url, "model.html", context, f"model {source}", source, 1)


def calculator_link(model: Model) -> str:
    """The calculator opened at `model` (site-relative): with its standard context where the
    calculator's own default context is longer than the model reads, so the link never opens
    the calculator at a context the model cannot take."""
    query = f"model={model.id}"
    context = costs.standard_context(model)
    if context != costs.DEFAULT_CONTEXT:
        query += f"&ctx={context}"
    return f"/calculator/?{query}"


def _smallest_for(need_gib: float, gpus: Sequence[Gpu]) -> Gpu | None:
    """The first GPU (smallest first) whose usable memory holds a fine-tuning estimate."""
    return next((gpu for gpu in gpus if need_gib <= gpu.usable_gib), None)
