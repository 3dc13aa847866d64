"""The figures of /models/ and /calculator/ worked out by hand from the data files.

Written from ../shared/DOMAIN.md's formulas and the constants the pages themselves state (bits
per weight, 10% plus 0.5 GiB of overhead, the efficiency bands, 730.5 hours a month), reading
the YAML files directly: nothing here imports spanvero_site, so a slip in costs.py, in the
catalog's loading or in a template shows as a difference from these numbers.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

GIB = 2**30
# Bits per weight, as each model page's memory table states them.
BITS = {"bf16": 16, "fp8": 8, "int8": 8, "q8_0": 8.5, "q6_k": 6.56, "q4_k_m": 4.89}
KV_BITS = {"f16": 16, "q8_0": 8, "q4_0": 4}
DEFAULT_CONTEXT = 8192
OVERHEAD = (0.10, 0.5)  # 10% of weights and cache, plus 0.5 GiB per GPU
# Share of the bandwidth ceiling, one stream: (low, high) for dense and for MoE models.
BANDS = {False: (0.45, 0.75), True: (0.40, 0.75)}
TENSOR_PARALLEL = 0.95
HOURS_PER_MONTH = 365.25 * 24 / 12


@dataclass(frozen=True)
class Data:
    models: dict[str, dict[str, Any]]
    gpus: dict[str, dict[str, Any]]
    usd_per_kwh: float


def load(root: Path) -> Data:
    models = {}
    for path in sorted((root / "content" / "models").glob("*.yaml")):
        model = yaml.safe_load(path.read_text(encoding="utf-8"))
        models[model["id"]] = model
    gpus_file = yaml.safe_load((root / "content/data/gpus.yaml").read_text(encoding="utf-8"))
    prices = yaml.safe_load((root / "content/data/prices.yaml").read_text(encoding="utf-8"))
    gpus = {g["id"]: g for g in gpus_file["gpus"]}
    return Data(models, gpus, prices["electricity"]["usd_per_kwh"])


def context(model: dict[str, Any]) -> int:
    """8K, or the model's own maximum where that is shorter."""
    return min(DEFAULT_CONTEXT, model["context_length"])


def is_moe(model: dict[str, Any]) -> bool:
    return "experts" in model


def weights_gib(model: dict[str, Any], precision: str) -> float:
    release = model.get("checkpoint")
    if release and release["format"] == precision and release.get("file_gb"):
        return release["file_gb"] * 1e9 / GIB  # the published size, decimal GB
    return model["params_b"] * 1e9 * BITS[precision] / 8 / GIB


def kv_bytes(model: dict[str, Any], tokens: int, kv: str = "f16") -> float:
    """One sequence's KV cache: 2 x layers x KV heads x head size x bytes x tokens; windowed
    layers hold at most their window; MLA caches (rank + rotary) values per layer and token."""
    element = KV_BITS[kv] / 8
    if model["attention"] == "mla":
        return model["layers"] * (model["kv_lora_rank"] + model["rope_head_dim"]) * element * tokens
    per_layer = 2 * model["kv_heads"] * model["head_dim"] * element
    window = model.get("sliding_window")
    windowed = model.get("sliding_window_layers", 0) if window else 0
    full = model["layers"] - windowed
    return per_layer * (full * tokens + windowed * min(tokens, window or tokens))


def total_gib(
    model: dict[str, Any], precision: str, tokens: int, gpus: int = 1, kv: str = "f16"
) -> float:
    weights = weights_gib(model, precision)
    cache = kv_bytes(model, tokens, kv) / GIB
    return weights + cache + OVERHEAD[0] * (weights + cache) + OVERHEAD[1] * gpus


def usable_gib(gpu: dict[str, Any]) -> float:
    """A GPU's memory, or the share of a Mac's unified memory its GPU may use."""
    return gpu["vram_gib"] * gpu.get("usable_fraction", 1.0)


def fits(
    model: dict[str, Any],
    precision: str,
    tokens: int,
    gpu: dict[str, Any],
    gpus: int = 1,
    kv: str = "f16",
) -> bool:
    if gpus > 1 and gpu["kind"] == "apple":
        return False  # Macs are not combined
    return total_gib(model, precision, tokens, gpus, kv) <= usable_gib(gpu) * gpus


def by_size(data: Data) -> list[dict[str, Any]]:
    return sorted(data.gpus.values(), key=lambda g: (usable_gib(g), g["bandwidth_gbps"], g["id"]))


def fewest(
    model: dict[str, Any], precision: str, tokens: int, gpu: dict[str, Any], at_least: int = 1
) -> int | None:
    return next(
        (n for n in (1, 2, 4, 8) if n >= at_least and fits(model, precision, tokens, gpu, n)),
        None,
    )


def smallest_setup(
    data: Data, model: dict[str, Any], precision: str
) -> tuple[dict[str, Any], int] | None:
    """The fewest GPUs of one kind, then the least usable memory, that hold the model."""
    setups = []
    for gpu in data.gpus.values():
        count = fewest(model, precision, context(model), gpu)
        if count is not None:
            setups.append(((count, usable_gib(gpu), gpu["bandwidth_gbps"], gpu["id"]), gpu))
    if not setups:
        return None
    key, gpu = min(setups, key=lambda s: s[0])
    return gpu, key[0]


def setup_text(setup: tuple[dict[str, Any], int] | None, none: str) -> str:
    if setup is None:
        return none
    gpu, count = setup
    return (f"{count}× " if count > 1 else "") + gpu["name"]


def ceiling_tps(
    model: dict[str, Any],
    precision: str,
    gpu: dict[str, Any],
    tokens: int,
    kv: str = "f16",
    gpus: int = 1,
) -> float:
    """One stream's decode ceiling: bandwidth / (active weights + KV cache) per token, or the
    compute time of 2 x active parameters where that is longer (it never is for one stream)."""
    active = model.get("active_params_b", model["params_b"])
    read = weights_gib(model, precision) * GIB * active / model["params_b"]
    read += kv_bytes(model, tokens, kv)
    factor = 1.0 if gpus == 1 else TENSOR_PARALLEL
    seconds = read / (gpus * gpu["bandwidth_gbps"] * 1e9 * factor)
    tflops = gpu.get("tflops_fp8") if precision == "fp8" else None
    tflops = tflops or gpu.get("tflops_bf16")
    if tflops:
        seconds = max(seconds, 2 * active * 1e9 / (gpus * tflops * 1e12 * factor))
    return 1 / seconds


def speed_range(
    model: dict[str, Any], precision: str, gpu: dict[str, Any], tokens: int, kv: str = "f16"
) -> tuple[float, float]:
    ceiling = ceiling_tps(model, precision, gpu, tokens, kv)
    low, high = BANDS[is_moe(model)]
    return ceiling * low, ceiling * high


def price_usd(gpu: dict[str, Any]) -> float:
    return gpu["price"]["usd"] / gpu["price"].get("gpus", 1)


# --- the site's number formats, as its pages state them -----------------------------------


def fixed(value: float, digits: int) -> str:
    scale = 10**digits
    rounded = math.floor(value * scale + 0.5) / scale
    if rounded == 0 < value:  # a figure that is not zero never reads as zero
        return f"<{1 / scale:.{digits}f}"
    return f"{rounded:,.{digits}f}"


def gib(value: float) -> str:
    return f"{fixed(value, 1)} GiB" if value < 100 else f"{fixed(value, 0)} GiB"


def rate(low: float, high: float) -> str:
    digits = 1 if high < 10 else 0
    return f"{fixed(low, digits)}–{fixed(high, digits)}"


def amount(value: float) -> str:
    if value >= 10:
        return fixed(value, 0)
    text = fixed(value, 1)
    return text.removesuffix(".0")


def money(value: float) -> str:
    if 0 < value < 0.005:
        return "<$0.01"
    return f"${fixed(value, 2)}" if value < 100 else f"${fixed(value, 0)}"
