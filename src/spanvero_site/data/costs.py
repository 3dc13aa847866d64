"""The formulas behind /models/ and /calculator/: the only place these numbers are computed.

Everything here is a pure function of the data, so it can be unit-tested against hand-computed
values and mirrored exactly by static/js/calculator.js. Sources for each rule are in
../shared/DOMAIN.md and written out on the pages that use them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from spanvero_site.data.records import ApiPrice, Gpu, Model, RentalPrice

GB = 1e9
GIB = 1024**3

# Bits per weight. GGUF figures: llama.cpp tools/quantize/README.md, measured on Llama-2-7B.
PRECISIONS: dict[str, tuple[str, float]] = {
    "bf16": ("16-bit (bf16/fp16)", 16.0),
    "fp8": ("8-bit float (FP8)", 8.0),
    "int8": ("8-bit (int8)", 8.0),
    "q8_0": ("GGUF Q8_0", 8.5),
    "q6_k": ("GGUF Q6_K", 6.56),
    "q5_k_m": ("GGUF Q5_K_M", 5.68),
    "q4_k_m": ("GGUF Q4_K_M", 4.84),
    "q3_k_m": ("GGUF Q3_K_M", 3.91),
}
# Tensor-parallel group sizes the calculator prices: one GPU, or 2, 4 or 8 identical GPUs.
GPU_COUNTS = (1, 2, 4, 8)
TABLE_PRECISIONS = ("bf16", "int8", "q8_0", "q6_k", "q4_k_m")

# KV cache element width by cache type (llama.cpp's --cache-type-k/v): q8_0 halves, q4_0 quarters.
KV_BITS: dict[str, float] = {"f16": 16.0, "q8_0": 8.0, "q4_0": 4.0}

DEFAULT_CONTEXT = 8192

# Runtime overhead on top of weights and KV cache (CUDA context, activations, allocator slack):
# about 10-20% or 0.5-1 GB (accelerate's memory-estimator docs). We take the larger of 10% and
# 1 GB, the optimistic end of "10-20%" with a floor that small models really do pay.
OVERHEAD_FRACTION = 0.10
OVERHEAD_MIN_GB = 1.0

# Real single-stream decode reaches roughly 50-70% of the bandwidth ceiling.
EFFICIENCY_LOW, EFFICIENCY_HIGH = 0.5, 0.7

# Fine-tuning rules of thumb. Full fine-tune with Adam in mixed precision: 16 bytes per parameter
# before activations (ZeRO, arXiv 1910.02054). LoRA keeps the 16-bit weights frozen; QLoRA keeps
# them in NF4 (~4.5 bits with its constants). The factor ranges cover adapters, optimizer state and
# short-sequence activations, and reproduce the published minimums (7B: LoRA 16-19 GB,
# QLoRA 5-6 GB; 70B: QLoRA 41-48 GB).
FULL_FT_BYTES_PER_PARAM = 16
LORA_FACTOR = (1.15, 1.35)
QLORA_BITS = 4.5
QLORA_FACTOR = (1.05, 1.2)
QLORA_EXTRA_GB = (1.0, 1.5)


def weights_gb(params_b: float, precision: str) -> float:
    """Memory for the weights: params x bits / 8, in GB (1e9 bytes)."""
    return params_b * PRECISIONS[precision][1] / 8


def kv_cache_bytes(
    model: Model, context_tokens: int, concurrency: int = 1, kv_type: str = "f16"
) -> float:
    """Bytes of KV cache for `concurrency` sequences of `context_tokens` tokens each.

    Plain attention: 2 (K and V) x layers x kv_heads x head_dim x bytes, per token.
    Sliding-window layers stop growing at the window. MLA (DeepSeek-V3/R1) caches one compressed
    vector of kv_lora_rank + rope_head_dim values per layer and token, without the factor 2.
    """
    element = KV_BITS[kv_type] / 8
    if model.attention == "mla":
        width = (model.kv_lora_rank or 0) + (model.rope_head_dim or 0)
        per_sequence = model.layers * width * element * context_tokens
    else:
        per_layer_token = 2 * model.kv_heads * model.head_dim * element
        windowed = model.sliding_window_layers if model.sliding_window else 0
        window_tokens = min(context_tokens, model.sliding_window or context_tokens)
        per_sequence = per_layer_token * (
            (model.layers - windowed) * context_tokens + windowed * window_tokens
        )
    return per_sequence * concurrency


def kv_bytes_per_token(model: Model, kv_type: str = "f16") -> float:
    """KV cache bytes per token while the context is shorter than any sliding window."""
    return kv_cache_bytes(model, 1, 1, kv_type)


def overhead_gb(weights: float, kv_gb: float) -> float:
    """Runtime overhead: the larger of 10% of weights plus cache, and 1 GB."""
    return max(OVERHEAD_FRACTION * (weights + kv_gb), OVERHEAD_MIN_GB)


@dataclass(frozen=True)
class MemoryNeed:
    """What running a model at one precision and context needs, in GB."""

    weights_gb: float
    kv_gb: float
    overhead_gb: float

    @property
    def total_gb(self) -> float:
        return self.weights_gb + self.kv_gb + self.overhead_gb


def memory_need(
    model: Model,
    precision: str,
    context_tokens: int = DEFAULT_CONTEXT,
    concurrency: int = 1,
    kv_type: str = "f16",
) -> MemoryNeed:
    """Weights, KV cache and overhead for running `model` as stated."""
    weights = weights_gb(model.params_b, precision)
    kv = kv_cache_bytes(model, context_tokens, concurrency, kv_type) / GB
    return MemoryNeed(weights, kv, overhead_gb(weights, kv))


def fits(need: MemoryNeed, gpu: Gpu) -> bool:
    """Whether the need fits the GPU's usable memory (a share of a Mac's unified memory)."""
    return need.total_gb <= gpu.usable_gib


def smallest_fitting_gpu(need: MemoryNeed, gpus: Sequence[Gpu]) -> Gpu | None:
    """The listed GPU with the least usable memory that still fits (None: needs several)."""
    fitting = [gpu for gpu in gpus if fits(need, gpu)]
    return min(fitting, key=lambda g: (g.usable_gib, g.bandwidth_gbps, g.id), default=None)


def decode_ceiling_tps(
    model: Model,
    gpu: Gpu,
    precision: str,
    context_tokens: int = DEFAULT_CONTEXT,
    kv_type: str = "f16",
) -> float:
    """Upper bound on single-stream decode tokens/s: bandwidth / bytes read per token.

    Each new token reads the active weights once (for MoE only the routed experts) and the
    whole KV cache of the sequence.
    """
    return throughput_tps(model, gpu, precision, context_tokens, 1, kv_type, efficiency=1.0)


def decode_range_tps(
    model: Model,
    gpu: Gpu,
    precision: str,
    context_tokens: int = DEFAULT_CONTEXT,
    kv_type: str = "f16",
) -> tuple[float, float]:
    """The realistic single-stream range: 50-70% of the bandwidth ceiling (an estimate)."""
    ceiling = decode_ceiling_tps(model, gpu, precision, context_tokens, kv_type)
    return ceiling * EFFICIENCY_LOW, ceiling * EFFICIENCY_HIGH


@dataclass(frozen=True)
class FineTuneMemory:
    """Memory estimates for fine-tuning, in GB, as (low, high) where a range applies."""

    full_gb: float
    lora_gb: tuple[float, float]
    qlora_gb: tuple[float, float]


def fine_tune_memory(model: Model) -> FineTuneMemory:
    """Rules of thumb for full, LoRA (16-bit) and QLoRA (4-bit) fine-tuning of all parameters."""
    params = model.params_b
    bf16 = weights_gb(params, "bf16")
    nf4 = params * QLORA_BITS / 8
    return FineTuneMemory(
        full_gb=params * FULL_FT_BYTES_PER_PARAM,
        lora_gb=(bf16 * LORA_FACTOR[0], bf16 * LORA_FACTOR[1]),
        qlora_gb=(
            nf4 * QLORA_FACTOR[0] + QLORA_EXTRA_GB[0],
            nf4 * QLORA_FACTOR[1] + QLORA_EXTRA_GB[1],
        ),
    )


# --- Running costs: local hardware, rented GPUs and APIs for one monthly workload -------------

HOURS_PER_MONTH = 365.25 * 24 / 12  # 730.5
EFFICIENCY_MID = (EFFICIENCY_LOW + EFFICIENCY_HIGH) / 2
BILLING = ("hourly", "always-on")


@dataclass(frozen=True)
class Scenario:
    """A reader's workload and setup; every field is a calculator input."""

    model: str
    precision: str = "bf16"
    input_mtok: float = 20.0
    output_mtok: float = 5.0
    context: int = DEFAULT_CONTEXT
    concurrency: int = 1
    kv_type: str = "f16"
    gpu: str = "rtx-4090"
    hours_per_day: float = 8.0
    usd_per_kwh: float = 0.17
    hardware_usd: float = 1599.0
    amortization_months: int = 36
    tier: str = "on-demand"
    billing: str = "hourly"


def throughput_tps(
    model: Model,
    gpu: Gpu,
    precision: str,
    context_tokens: int,
    concurrency: int,
    kv_type: str = "f16",
    efficiency: float = EFFICIENCY_MID,
) -> float:
    """Aggregate decode tokens/s with `concurrency` sequences sharing each weight read.

    One decode step reads the active weights once and every sequence's KV cache, and yields
    one token per sequence: c x bandwidth / (weights + c x KV), times the efficiency.
    """
    active = weights_gb(model.active_params_b, precision) * GB
    kv = kv_cache_bytes(model, context_tokens, 1, kv_type)
    return efficiency * concurrency * gpu.bandwidth_gbps * GB / (active + concurrency * kv)


def compare(
    s: Scenario,
    model: Model,
    gpus: dict[str, Gpu],
    rental: Sequence[RentalPrice],
    api: Sequence[ApiPrice],
) -> dict[str, Any]:
    """Monthly cost of the workload on the local GPU, every fitting rental offer and every API.

    Returns plain data (numbers, booleans, ids; None where a figure does not apply) in the
    shape static/js/calculator.js returns, so the two can be compared value by value.
    """
    need = memory_need(model, s.precision, s.context, s.concurrency, s.kv_type)
    total_mtok = s.input_mtok + s.output_mtok
    local = _local(s, model, gpus[s.gpu], need, total_mtok)
    offers = [
        _rental(s, model, gpus[p.gpu], p, need, total_mtok)
        for p in rental
        if p.tier == s.tier and p.gpu in gpus
    ]
    offers.sort(
        key=lambda o: (o["monthly_usd"] is None, o["monthly_usd"] or 0, o["provider"], o["gpu"])
    )
    apis = [_api(s, p, total_mtok) for p in api if p.model == model.id]
    apis.sort(key=lambda a: (a["monthly_usd"], a["provider"]))
    return {
        "memory_gb": need.total_gb,
        "local": local,
        "rental": offers,
        "api": apis,
        "cheapest": _cheapest(local, offers, apis),
        "break_even": _break_even(s, local, offers, apis),
    }


def _per_mtok(monthly: float | None, total_mtok: float) -> float | None:
    return monthly / total_mtok if monthly is not None and total_mtok > 0 else None


def _local(
    s: Scenario, model: Model, gpu: Gpu, need: MemoryNeed, total_mtok: float
) -> dict[str, Any]:
    result: dict[str, Any] = {
        "gpu": gpu.id,
        "fits": fits(need, gpu),
        "tps_low": None,
        "tps_high": None,
        "throughput_tps": None,
        "hours_needed": None,
        "hours_available": s.hours_per_day * HOURS_PER_MONTH / 24,
        "capacity_mtok": None,
        "keeps_up": False,
        "electricity_usd": None,
        "electricity_usd_per_mtok": None,
        "hardware_usd": s.hardware_usd / s.amortization_months,
        "monthly_usd": None,
        "usd_per_mtok": None,
    }
    if not result["fits"]:
        return result
    low, high = decode_range_tps(model, gpu, s.precision, s.context, s.kv_type)
    tps = throughput_tps(model, gpu, s.precision, s.context, s.concurrency, s.kv_type)
    hours = s.output_mtok * 1e6 / (tps * 3600)
    busy = min(hours, result["hours_available"])
    electricity = gpu.power_w / 1000 * busy * s.usd_per_kwh
    monthly = electricity + result["hardware_usd"]
    output_share = s.output_mtok / total_mtok if total_mtok > 0 else 1.0
    capacity = tps * 3600 * result["hours_available"] / 1e6 / output_share if output_share else None
    result.update(
        tps_low=low,
        tps_high=high,
        throughput_tps=tps,
        capacity_mtok=capacity,
        hours_needed=hours,
        keeps_up=hours <= result["hours_available"],
        electricity_usd=electricity,
        electricity_usd_per_mtok=_per_mtok(gpu.power_w / 1000 * hours * s.usd_per_kwh, total_mtok),
        monthly_usd=monthly,
        usd_per_mtok=_per_mtok(monthly, total_mtok),
    )
    return result


def _rental(
    s: Scenario, model: Model, gpu: Gpu, price: RentalPrice, need: MemoryNeed, total_mtok: float
) -> dict[str, Any]:
    result: dict[str, Any] = {
        "gpu": gpu.id,
        "provider": price.provider,
        "tier": price.tier,
        "usd_per_hour": price.usd_per_hour,
        "fits": fits(need, gpu),
        "throughput_tps": None,
        "hours_needed": None,
        "hours_billed": None,
        "keeps_up": False,
        "monthly_usd": None,
        "usd_per_mtok": None,
    }
    if not result["fits"]:
        return result
    tps = throughput_tps(model, gpu, s.precision, s.context, s.concurrency, s.kv_type)
    hours = s.output_mtok * 1e6 / (tps * 3600)
    billed = hours if s.billing == "hourly" else HOURS_PER_MONTH
    monthly = price.usd_per_hour * billed
    result.update(
        throughput_tps=tps,
        hours_needed=hours,
        hours_billed=billed,
        keeps_up=hours <= HOURS_PER_MONTH,
        monthly_usd=monthly,
        usd_per_mtok=_per_mtok(monthly, total_mtok),
    )
    return result


def _api(s: Scenario, price: ApiPrice, total_mtok: float) -> dict[str, Any]:
    current = price.current
    usd_in = current.value("usd_per_mtok_input") or 0.0
    usd_out = current.value("usd_per_mtok_output") or 0.0
    monthly = s.input_mtok * usd_in + s.output_mtok * usd_out
    return {
        "provider": price.provider,
        "usd_per_mtok_input": usd_in,
        "usd_per_mtok_output": usd_out,
        "monthly_usd": monthly,
        "usd_per_mtok": _per_mtok(monthly, total_mtok),
    }


def _cheapest(
    local: dict[str, Any], offers: list[dict[str, Any]], apis: list[dict[str, Any]]
) -> dict[str, Any] | None:
    """The lowest monthly cost among options that fit and keep up with the workload."""
    options = []
    if local["fits"] and local["keeps_up"]:
        options.append((local["monthly_usd"], 0, "local", local["gpu"]))
    options += [
        (o["monthly_usd"], 1, "rental", f"{o['provider']}/{o['gpu']}")
        for o in offers
        if o["fits"] and o["keeps_up"]
    ]
    options += [(a["monthly_usd"], 2, "api", a["provider"]) for a in apis]
    if not options:
        return None
    monthly, _, kind, option = min(options)
    return {"kind": kind, "option": option, "monthly_usd": monthly}


def _break_even(
    s: Scenario, local: dict[str, Any], offers: list[dict[str, Any]], apis: list[dict[str, Any]]
) -> dict[str, float | None]:
    """Monthly volume (million tokens, in the scenario's input/output mix) where costs cross.

    Local costs a fixed amortization plus electricity per token; an always-on rental costs a
    fixed amount; an API costs a blended price per token. Hourly rentals scale with volume like
    an API, so they have no crossing point.
    """
    total = s.input_mtok + s.output_mtok
    result: dict[str, float | None] = {"local_vs_api_mtok": None, "rental_vs_api_mtok": None}
    if not apis or total <= 0:
        return result
    cheapest_api = min(apis, key=lambda a: (a["monthly_usd"], a["provider"]))
    blended = cheapest_api["monthly_usd"] / total
    if local["fits"] and blended > local["electricity_usd_per_mtok"]:
        margin = blended - local["electricity_usd_per_mtok"]
        result["local_vs_api_mtok"] = local["hardware_usd"] / margin
    fitting = [o for o in offers if o["fits"]]
    if s.billing == "always-on" and fitting and blended > 0:
        cheapest = min(fitting, key=lambda o: (o["monthly_usd"], o["provider"], o["gpu"]))
        result["rental_vs_api_mtok"] = cheapest["monthly_usd"] / blended
    return result
