"""Read and validate content/data/measurements.yaml: published decode speeds to test our model on.

Each measurement is one setup (model, GPU and count, precision, engine, context, concurrency) and
the output throughput a public source reported for it, summed over all sequences, with what the
source's clock covered: generation only ('decode') or the whole run, prompts included
('end-to-end', with the prompt length per request). The checks: ids
unique, model and GPU ids resolving exactly, the precision a known one (a native format such as
mxfp4 is predicted only once the model records its published checkpoint of that format),
and every number inside its domain (at least one GPU and one sequence, a context the model
supports, a speed above zero), the date not in the future.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from spanvero_site.core.diagnostics import Diagnostics, choose_from
from spanvero_site.core.refs import Known
from spanvero_site.core.schema import Field, check
from spanvero_site.core.sources import DataFile, read_data_file
from spanvero_site.data import costs
from spanvero_site.data.catalog import CHECKPOINT_FORMATS, Catalog
from spanvero_site.data.records import Measurement, Model

MEASUREMENTS_PATH = "content/data/measurements.yaml"
MEASURES = ("decode", "end-to-end")
PRECISION_NAMES = (*costs.PRECISIONS, *(f for f in CHECKPOINT_FORMATS if f not in costs.PRECISIONS))

_MEASUREMENT = {
    "id": Field("str", required=True, example="llama-3-1-8b-q4-k-m-rtx-4090-llamacpp"),
    "model": Field("str", required=True, example="llama-3-1-8b"),
    "gpu": Field("str", required=True, example="rtx-4090"),
    "gpus": Field("int", required=True, example="1"),
    "precision": Field("str", required=True, example="q4_k_m"),
    "engine": Field("str", required=True, example="llama.cpp b4000"),
    "context": Field("int", required=True, example="512"),
    "concurrency": Field("int", required=True, example="1"),
    "tokens_per_second": Field("number", required=True, example="127.7"),
    "source": Field("url", required=True, example="https://github.com/ggml-org/llama.cpp/..."),
    "as_of": Field("date", required=True, example="2026-11-01"),
    "measures": Field("str", required=True, choices=MEASURES, example="end-to-end"),
    "prompt_tokens": Field("int", example="1024"),
    "excluded": Field("str", example="the client, not the GPU, set the pace"),
    "note": Field("str"),
}


def load_measurements(
    root: Path,
    diags: Diagnostics,
    catalog: Catalog,
    today: dt.date,
) -> tuple[Measurement, ...]:
    """Load measurements.yaml (none when the file is absent) and report every problem.

    A measurement of a model or GPU whose own source failed to load is left out without a
    second error: that source's error explains it."""
    if not (root / MEASUREMENTS_PATH).exists():
        return ()
    file = read_data_file(root, MEASUREMENTS_PATH, diags, today=today)
    if file is None:
        return ()
    entries = file.data.get("measurements") if isinstance(file.data, dict) else None
    if not isinstance(entries, list):
        diags.error(
            "E203",
            "measurements.yaml must have a list under 'measurements:'",
            file.path,
            1,
            1,
            hint="begin with the line 'measurements:' and list each under it ('  - id: ...')",
        )
        return ()
    found: dict[str, Measurement] = {}
    ids = (catalog.model_ids(), catalog.gpu_ids())
    for index, entry in enumerate(entries):
        measurement = _parse(file, diags, ("measurements", index), entry, catalog, ids)
        if measurement is None:
            continue
        if measurement.id in found:
            file.error(
                diags,
                "E303",
                f"duplicate measurement id '{measurement.id}'",
                ("measurements", index, "id"),
                "give every measurement its own id",
            )
            continue
        found[measurement.id] = measurement
    return tuple(found.values())


def can_predict(measurement: Measurement, model: Model) -> bool:
    """Whether the model's data sizes it in the measured precision.

    A formula precision always; a native format (mxfp4) only with the model's published
    checkpoint of that format, since no bits-per-weight rule describes it.
    """
    if measurement.precision in costs.PRECISIONS:
        return True
    return model.checkpoint is not None and model.checkpoint.format == measurement.precision


def _parse(
    file: DataFile,
    diags: Diagnostics,
    at: tuple[str | int, ...],
    entry: Any,
    catalog: Catalog,
    ids: tuple[Known, Known],
) -> Measurement | None:
    def err(code: str, key: str, message: str, hint: str) -> None:
        file.error(diags, code, message, (*at, key), hint)

    if not isinstance(entry, dict):
        file.error(
            diags,
            "E203",
            f"'measurements[{at[1]}]' must be a mapping",
            at,
            "write each measurement as '- id: ...' with its other keys indented under it",
        )
        return None
    before = diags.error_count
    v = check(entry, _MEASUREMENT, file.source, diags, at)
    if diags.error_count > before:
        return None
    model = catalog.models.get(v["model"])
    resolved = model is not None and v["gpu"] in catalog.gpus
    for key, known, kind, home in (
        ("model", ids[0], "model", "a model in content/models/"),
        ("gpu", ids[1], "GPU", "a GPU in gpus.yaml"),
    ):
        missing = known.missing(
            v[key], f"unknown {kind} id '{v[key]}'", f"use the exact id of {home}"
        )
        if missing is not None:
            file.report(diags, "E302", missing, (*at, key))
    if v["precision"] not in PRECISION_NAMES:
        err(
            "E208",
            "precision",
            f"unknown precision '{v['precision']}'",
            choose_from(
                v["precision"], PRECISION_NAMES, "choose one of: ", "use a precision costs.py knows"
            ),
        )
    if v["gpus"] not in costs.GPU_COUNTS:
        err(
            "E714",
            "gpus",
            f"gpus must be one of {', '.join(map(str, costs.GPU_COUNTS))}, not {v['gpus']}",
            "the calculator models one GPU and tensor-parallel groups of 2, 4 and 8",
        )
    for key in ("concurrency", "context"):
        if v[key] < 1:
            err("E714", key, f"{key} must be at least 1, not {v[key]}", "count whole units")
    if v["tokens_per_second"] <= 0:
        err(
            "E714",
            "tokens_per_second",
            f"tokens_per_second must be above zero, not {v['tokens_per_second']}",
            "decode throughput summed over all sequences, as the source reports it",
        )
    if model is not None and v["context"] > model.context_length:
        err(
            "E714",
            "context",
            f"context {v['context']} is longer than {model.id}'s {model.context_length} tokens",
            "use the context length the benchmark ran at",
        )
    if v["measures"] == "end-to-end" and not 0 <= v.get("prompt_tokens", -1) < v["context"]:
        err(
            "E714",
            "measures",
            "an end-to-end measurement needs prompt_tokens, at least 0 and below its context",
            "the mean prompt length per request; context is prompt plus generated tokens",
        )
    if v["measures"] == "decode" and "prompt_tokens" in v:
        err(
            "E714",
            "prompt_tokens",
            "prompt_tokens only applies to end-to-end measurements",
            "a decode-only figure does not time the prompt",
        )
    if diags.error_count > before or not resolved:
        return None
    return Measurement(
        id=v["id"],
        model=v["model"],
        gpu=v["gpu"],
        gpus=v["gpus"],
        precision=v["precision"],
        engine=v["engine"],
        context=v["context"],
        concurrency=v["concurrency"],
        tokens_per_second=float(v["tokens_per_second"]),
        source=v["source"],
        as_of=v["as_of"],
        note=v.get("note", "").strip(),
        measures=v["measures"],
        prompt_tokens=v.get("prompt_tokens", 0),
        excluded=v.get("excluded", "").strip(),
    )
