"""The formulas behind /models/ and /calculator/: the only place these numbers are computed.

Everything here is a pure function of the data, so it can be unit-tested against hand-computed
values and mirrored exactly by static/js/calculator.js. Sources for each rule are in
../shared/DOMAIN.md and written out on the pages that use them.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from spanvero_site.data.records import ApiPrice, Gpu, Model, RentalPrice

GB = 1e9
GIB = 1024**3

# Bits per weight. GGUF figures: llama.cpp tools/quantize/README.md, the table measured on
# meta-llama/Llama-3.1-8B (Q8_0 8.5008, Q6_K 6.5633, Q5_K_M 5.7036, Q4_K_M 4.8944). That table
# has no Q3_K_M; its 3.91 is from the same README's earlier Llama-2-7B table.
PRECISIONS: dict[str, tuple[str, float]] = {
    "bf16": ("16-bit (bf16/fp16)", 16.0),
    "fp8": ("8-bit float (FP8)", 8.0),
    "int8": ("8-bit (int8)", 8.0),
    "q8_0": ("GGUF Q8_0", 8.50),
    "q6_k": ("GGUF Q6_K", 6.56),
    "q5_k_m": ("GGUF Q5_K_M", 5.70),
    "q4_k_m": ("GGUF Q4_K_M", 4.89),
    "q3_k_m": ("GGUF Q3_K_M", 3.91),
}
# Formats a model is only sized in from its published release (no bits-per-weight rule).
NATIVE_FORMATS: dict[str, str] = {"mxfp4": "Native MXFP4 release"}
TABLE_PRECISIONS = ("bf16", "int8", "q8_0", "q6_k", "q4_k_m")
# Tensor-parallel group sizes the calculator prices: one GPU, or 2, 4 or 8 identical GPUs.
GPU_COUNTS = (1, 2, 4, 8)

# KV cache element width by cache type (llama.cpp's --cache-type-k/v): q8_0 halves, q4_0 quarters.
KV_BITS: dict[str, float] = {"f16": 16.0, "q8_0": 8.0, "q4_0": 4.0}

# The realistic context every "needs" and "fits" figure is stated at (DOMAIN.md), never the
# model's maximum; a model that reads fewer tokens is sized at its own maximum instead.
DEFAULT_CONTEXT = 8192

# Runtime overhead on top of weights and KV cache (CUDA context, activations, allocator slack):
# about 10-20% or 0.5-1 GB (accelerate's memory-estimator docs). The site's definition, used in
# every explainer, is 10% plus 0.5 GiB, the optimistic end of both ranges; the 0.5 GiB is counted
# once per GPU, since each holds its own runtime context.
OVERHEAD_FRACTION = 0.10
OVERHEAD_MIN_GIB = 0.5


@dataclass(frozen=True)
class Band:
    """The share of the bandwidth ceiling one kind of setup reaches, fitted to measurements."""

    kind: str
    label: str
    low: float
    high: float

    @property
    def mid(self) -> float:
        return (self.low + self.high) / 2


# Efficiency bands: measured speed / the model's full-efficiency speed, per kind of setup, fitted
# to content/data/measurements.yaml: the range the kind's points span, widened to whole 5% steps;
# a kind with fewer than 3 points also spans the dense band of the same number of streams. The
# full-efficiency speed is the roofline: each decode step takes the longer of reading its bytes
# and doing its math (dense tensor TFLOPS from gpus.yaml), and a measurement whose clock also
# covered reading the prompts (end-to-end) adds their prefill FLOPs. On 2026-11-30 (41 points,
# 7 shown but excluded, with the reason in the data file): one stream, dense 50-74% (11 points);
# one stream, MoE 44% (1 point: gpt-oss-20b); many streams, dense 57-98% (18 points); many
# streams, MoE 30-38% (4 points: gpt-oss-120b on an MI300X). Before the compute roofline and
# prefill, many dense streams spanned 8-95%.
# tests/integration/test_accuracy.py fails when a point leaves its band; costs use the middle.
BANDS: dict[str, Band] = {
    "single-dense": Band("single-dense", "one stream, dense model", 0.45, 0.75),
    "single-moe": Band("single-moe", "one stream, mixture of experts", 0.40, 0.75),
    "batched-dense": Band("batched-dense", "many streams, dense model", 0.55, 1.00),
    "batched-moe": Band("batched-moe", "many streams, mixture of experts", 0.30, 0.40),
}
# Splitting a model over several GPUs (tensor parallelism) costs each decode step an all-reduce
# over the interconnect: a group of n GPUs reads at n x bandwidth x this factor. NVIDIA's NIM
# benchmark of Llama-3.3-70B in FP8 on 2 x H100 (TP2, concurrency 1, 18.58 ms between tokens,
# https://docs.nvidia.com/nim/benchmarking/llm/1.0.0/performance/) reaches 58% of the 2-GPU
# ceiling where single H100s in our measurements average 61%: about 5% lost. Qwen2.5-72B on
# 4 x H100 in our measurements showed no measurable loss; GPUs joined only by PCIe lose more.
TENSOR_PARALLEL_EFFICIENCY = 0.95


def band_for(model: Model, concurrency: int) -> Band:
    """The efficiency band of a setup: one stream or many, dense or mixture of experts."""
    streams = "single" if concurrency == 1 else "batched"
    return BANDS[f"{streams}-{'moe' if model.is_moe else 'dense'}"]


def tensor_parallel_factor(gpus: int) -> float:
    return 1.0 if gpus == 1 else TENSOR_PARALLEL_EFFICIENCY


def can_split(gpu: Gpu) -> bool:
    """Whether several of these can serve one model together (a Mac cannot)."""
    return gpu.kind != "apple"


# Fine-tuning rules of thumb, in GiB like every memory figure on the site. Full fine-tune with
# Adam in mixed precision: 16 bytes per parameter before activations (ZeRO, arXiv 1910.02054).
# LoRA keeps the 16-bit weights frozen; QLoRA keeps them in NF4 (~4.5 bits with its constants,
# QLoRA paper arXiv 2305.14314; bitsandbytes NF4 stores 4.1-4.5 bits a weight with its scaling
# constants, depending on double quantization). The factors cover adapters, optimizer state and
# short-sequence activations and are unitless; QLoRA adds a fixed 1-1.5 GiB (CUDA context, the
# adapters' optimizer state). Together they reproduce the published minimums (7B: LoRA 16-19 GB
# = 14.9-17.7 GiB, QLoRA 5-6 GB = 4.7-5.6 GiB; 70B: QLoRA 41-48 GB = 38.2-44.7 GiB; Unsloth's and
# LLaMA-Factory's requirement tables, cited in content/learn/qlora.md) to within about 1 GiB.
FULL_FT_BYTES_PER_PARAM = 16
LORA_FACTOR = (1.15, 1.35)
QLORA_BITS = 4.5
QLORA_FACTOR = (1.05, 1.2)
QLORA_EXTRA_GIB = (1.0, 1.5)
NF4_BITS = (4.1, 4.5)


def formula_weights_gib(params_b: float, precision: str) -> float:
    """Weights by the formula: params x bits / 8, in GiB (2^30 bytes)."""
    return params_b * 1e9 * PRECISIONS[precision][1] / 8 / GIB


def precisions_for(model: Model) -> tuple[str, ...]:
    """The precisions a model can be sized in: every formula one, and its own native release."""
    native = model.checkpoint.format if model.checkpoint else None
    extra = (native,) if native and native not in PRECISIONS else ()
    return (*PRECISIONS, *extra)


def weights_gib(model: Model, precision: str) -> float:
    """The model's weights at a precision, in GiB.

    Its native release (gpt-oss in MXFP4) is the published file size, converted from decimal
    GB, where one is recorded; any other precision is the formula.
    """
    checkpoint = model.checkpoint
    if checkpoint and checkpoint.format == precision and checkpoint.file_gb is not None:
        return checkpoint.file_gb * GB / GIB
    return formula_weights_gib(model.params_b, precision)


def experts_touched(model: Model, concurrency: int) -> float:
    """Distinct experts a layer reads for `concurrency` tokens: E x (1 - (1 - k/E)^B)."""
    experts, per_token = model.experts or 1, model.experts_per_token or 1
    return experts * (1 - (1 - per_token / experts) ** concurrency)


def weights_read_gib(model: Model, precision: str, concurrency: int = 1) -> float:
    """Weights one decode step reads, in GiB, with `concurrency` sequences in flight.

    Dense: all of them. Mixture of experts: the shared part (attention, embeddings, shared
    experts) plus the experts the batch touches. From params (P), active params (A), E experts
    and k per token: one expert is (P - A) / (E - k), the shared part A - k x expert. Bytes are
    taken in proportion to parameters.
    """
    total = weights_gib(model, precision)
    if not model.is_moe or not model.experts or not model.experts_per_token:
        return total
    expert = (model.params_b - model.active_params_b) / (model.experts - model.experts_per_token)
    shared = model.active_params_b - model.experts_per_token * expert
    read = shared + experts_touched(model, concurrency) * expert
    return total * min(read / model.params_b, 1.0)


def standard_context(model: Model) -> int:
    """The context a model's figures are stated at: DEFAULT_CONTEXT, or the model's own
    maximum when that is shorter (Phi-3-mini-4k reads 4,096 tokens and cannot use 8K)."""
    return min(DEFAULT_CONTEXT, model.context_length)


class ContextTooLong(ValueError):
    """A figure was asked for at a context longer than the model can read: a bug in the caller,
    since every context the site states must be one the model can use."""


def kv_cache_bytes(
    model: Model, context_tokens: int, concurrency: int = 1, kv_type: str = "f16"
) -> float:
    """Bytes of KV cache for `concurrency` sequences of `context_tokens` tokens each.

    Every figure with a context goes through here, so a context longer than the model's
    `context_length` is refused here (ContextTooLong) rather than sized.

    Plain attention: 2 (K and V) x layers x kv_heads x head_dim x bytes, per token.
    Sliding-window layers stop growing at the window. MLA (DeepSeek-V3/R1) caches one compressed
    vector of kv_lora_rank + rope_head_dim values per layer and token, without the factor 2.
    """
    if context_tokens > model.context_length:
        raise ContextTooLong(
            f"{model.id} reads at most {model.context_length} tokens, not {context_tokens}"
        )
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


def overhead_gib(weights: float, kv_gib: float, gpus: int = 1) -> float:
    """Runtime overhead: 10% of weights plus cache, plus 0.5 GiB per GPU."""
    return OVERHEAD_FRACTION * (weights + kv_gib) + OVERHEAD_MIN_GIB * gpus


@dataclass(frozen=True)
class MemoryNeed:
    """What running a model at one precision and context needs, in GiB, over `gpus` GPUs."""

    weights_gib: float
    kv_gib: float
    overhead_gib: float
    gpus: int = 1

    @property
    def total_gib(self) -> float:
        return self.weights_gib + self.kv_gib + self.overhead_gib


def memory_need(
    model: Model,
    precision: str,
    context_tokens: int | None = None,
    concurrency: int = 1,
    kv_type: str = "f16",
    gpus: int = 1,
) -> MemoryNeed:
    """Weights, KV cache and overhead for running `model` as stated, split over `gpus` GPUs
    (at the model's standard_context unless a context is given)."""
    if context_tokens is None:
        context_tokens = standard_context(model)
    weights = weights_gib(model, precision)
    kv = kv_cache_bytes(model, context_tokens, concurrency, kv_type) / GIB
    return MemoryNeed(weights, kv, overhead_gib(weights, kv, gpus), gpus)


def fits(need: MemoryNeed, gpu: Gpu) -> bool:
    """Whether the need fits `need.gpus` of this GPU (a share of a Mac's unified memory)."""
    if need.gpus > 1 and not can_split(gpu):
        return False
    return need.total_gib <= gpu.usable_gib * need.gpus


def gpus_needed(
    model: Model,
    gpu: Gpu,
    precision: str,
    context_tokens: int | None = None,
    concurrency: int = 1,
    kv_type: str = "f16",
    at_least: int = 1,
) -> int | None:
    """The fewest GPUs of this kind (1, 2, 4 or 8, no fewer than `at_least`) the model fits."""
    for count in GPU_COUNTS:
        if count < at_least:
            continue
        need = memory_need(model, precision, context_tokens, concurrency, kv_type, count)
        if fits(need, gpu):
            return count
    return None


def smallest_setup(
    model: Model, precision: str, gpus: Sequence[Gpu], context_tokens: int | None = None
) -> tuple[Gpu, int] | None:
    """The listed setup with the fewest GPUs, then the least memory, that holds the model."""
    setups = []
    for gpu in gpus:
        count = gpus_needed(model, gpu, precision, context_tokens)
        if count is not None:
            setups.append((count, gpu.usable_gib, gpu.bandwidth_gbps, gpu.id, gpu))
    if not setups:
        return None
    count, *_, gpu = min(setups, key=lambda s: s[:4])
    return gpu, count


def compute_flops(gpu: Gpu, precision: str, gpus: int = 1) -> float | None:
    """A group's dense tensor FLOP/s for a precision, interconnect loss included.

    FP8 weights run on FP8 tensor cores where the GPU has them; everything else (and FP8
    elsewhere) at the 16-bit rate. None when the figure is not on file.
    """
    tflops = gpu.tflops_fp8 if precision == "fp8" and gpu.tflops_fp8 else gpu.tflops_bf16
    if tflops is None:
        return None
    return gpus * tflops * 1e12 * tensor_parallel_factor(gpus)


def flops_per_token(model: Model) -> float:
    """Forward-pass FLOPs per token: about 2 x active parameters (attention's share left out)."""
    return 2 * model.active_params_b * 1e9


def step_seconds(
    model: Model,
    gpu: Gpu,
    precision: str,
    context_tokens: int,
    concurrency: int,
    kv_type: str = "f16",
    gpus: int = 1,
) -> float:
    """One decode step at full efficiency: the longer of reading its bytes and doing its math.

    It reads the weights it needs once (for MoE, the experts the batch touches) and every
    sequence's KV cache, and computes one token per sequence. A tensor-parallel group reads and
    computes at n x one GPU x the interconnect factor. GPUs with no compute figure on file are
    bounded by bandwidth only.
    """
    read = weights_read_gib(model, precision, concurrency) * GIB
    read += concurrency * kv_cache_bytes(model, context_tokens, 1, kv_type)
    seconds = read / (gpus * gpu.bandwidth_gbps * GB * tensor_parallel_factor(gpus))
    compute = compute_flops(gpu, precision, gpus)
    if compute:
        seconds = max(seconds, concurrency * flops_per_token(model) / compute)
    return seconds


def prefill_seconds(
    model: Model, gpu: Gpu, precision: str, prompt_tokens: float, gpus: int = 1
) -> float:
    """Reading a prompt at full efficiency: 2 x active params FLOPs a token (0 with no figure)."""
    compute = compute_flops(gpu, precision, gpus)
    return prompt_tokens * flops_per_token(model) / compute if compute else 0.0


def throughput_tps(
    model: Model,
    gpu: Gpu,
    precision: str,
    context_tokens: int,
    concurrency: int,
    kv_type: str = "f16",
    gpus: int = 1,
    efficiency: float | None = None,
) -> float:
    """Aggregate decode tokens/s of `concurrency` sequences on `gpus` GPUs.

    efficiency x c / step: the step is bound by memory bandwidth (weights read + c x KV) or, for
    large batches, by compute (c x 2 x active params). The efficiency defaults to the middle of
    the band of this kind of setup.
    """
    if efficiency is None:
        efficiency = band_for(model, concurrency).mid
    step = step_seconds(model, gpu, precision, context_tokens, concurrency, kv_type, gpus)
    return efficiency * concurrency / step


def run_tps(
    model: Model,
    gpu: Gpu,
    precision: str,
    context_tokens: int,
    prompt_tokens: int,
    concurrency: int,
    kv_type: str = "f16",
    gpus: int = 1,
    efficiency: float = 1.0,
) -> float:
    """Output tokens/s of a run that also reads its prompts (what serving benchmarks time).

    `concurrency` requests each read `prompt_tokens` and then generate up to `context_tokens`:
    per c x output tokens the GPU spends c prefills plus `output` decode steps (each at the
    final context, so the KV term is an upper bound).
    """
    output = context_tokens - prompt_tokens
    step = step_seconds(model, gpu, precision, context_tokens, concurrency, kv_type, gpus)
    busy = concurrency * prefill_seconds(model, gpu, precision, prompt_tokens, gpus)
    busy += output * step
    return efficiency * concurrency * output / busy


def decode_ceiling_tps(
    model: Model,
    gpu: Gpu,
    precision: str,
    context_tokens: int | None = None,
    kv_type: str = "f16",
    gpus: int = 1,
) -> float:
    """Upper bound on single-stream decode tokens/s: bandwidth / bytes read per token (at
    the model's standard_context unless a context is given)."""
    if context_tokens is None:
        context_tokens = standard_context(model)
    return throughput_tps(model, gpu, precision, context_tokens, 1, kv_type, gpus, 1.0)


def decode_range_tps(
    model: Model,
    gpu: Gpu,
    precision: str,
    context_tokens: int | None = None,
    kv_type: str = "f16",
    gpus: int = 1,
) -> tuple[float, float]:
    """The realistic single-stream range: the band of this kind of model (an estimate)."""
    ceiling = decode_ceiling_tps(model, gpu, precision, context_tokens, kv_type, gpus)
    band = band_for(model, 1)
    return ceiling * band.low, ceiling * band.high


@dataclass(frozen=True)
class FineTuneMemory:
    """Memory estimates for fine-tuning, in GiB, as (low, high) where a range applies."""

    full_gib: float
    lora_gib: tuple[float, float]
    qlora_gib: tuple[float, float]


def fine_tune_memory(model: Model) -> FineTuneMemory:
    """Rules of thumb for full, LoRA (16-bit) and QLoRA (4-bit) fine-tuning of all parameters."""
    params = model.params_b * 1e9
    bf16 = params * 2 / GIB
    nf4 = params * QLORA_BITS / 8 / GIB
    return FineTuneMemory(
        full_gib=params * FULL_FT_BYTES_PER_PARAM / GIB,
        lora_gib=(bf16 * LORA_FACTOR[0], bf16 * LORA_FACTOR[1]),
        qlora_gib=(
            nf4 * QLORA_FACTOR[0] + QLORA_EXTRA_GIB[0],
            nf4 * QLORA_FACTOR[1] + QLORA_EXTRA_GIB[1],
        ),
    )


# --- Running costs: local hardware, rented GPUs and APIs for one monthly workload -------------

# The single-line formulas below are the ones compare() applies to a whole workload; the
# explainers quote them one at a time (tests/integration/test_explainer_figures.py).


def api_usd(
    input_mtok: float,
    output_mtok: float,
    usd_in: float,
    usd_out: float,
    cached_mtok: float = 0.0,
    usd_cached: float = 0.0,
) -> float:
    """An API bill: input x input price + cached input x its price + output x output price."""
    return input_mtok * usd_in + cached_mtok * usd_cached + output_mtok * usd_out


def rental_usd_per_mtok_output(usd_per_hour: float, tokens_per_second: float) -> float:
    """A GPU rented by the hour and busy every paid hour, per 1M output tokens."""
    return usd_per_hour / (tokens_per_second * 3600) * 1e6


def generation_hours(output_mtok: float, tokens_per_second: float) -> float:
    """Hours of generation a month's output tokens take at a speed."""
    return output_mtok * 1e6 / (tokens_per_second * 3600)


def electricity_usd(watts: float, hours: float, usd_per_kwh: float) -> float:
    """Electricity for `hours` at `watts`: kW x hours x price per kWh."""
    return watts / 1000 * hours * usd_per_kwh


HOURS_PER_MONTH = 365.25 * 24 / 12  # 730.5
BILLING = ("hourly", "always-on")


@dataclass(frozen=True)
class Scenario:
    """A reader's workload and setup; every field is a calculator input.

    `gpus` is how many of `gpu` the reader owns (0: none, so no local option); `hardware_usd`
    is what all of them cost.
    """

    model: str
    precision: str = "bf16"
    input_mtok: float = 20.0
    output_mtok: float = 5.0
    context: int = DEFAULT_CONTEXT
    concurrency: int = 1
    kv_type: str = "f16"
    gpu: str = "rtx-4090"
    gpus: int = 1
    hours_per_day: float = 8.0
    usd_per_kwh: float = 0.17
    hardware_usd: float = 1599.0
    amortization_months: int = 36
    tier: str = "on-demand"
    billing: str = "hourly"


@dataclass(frozen=True)
class Offer:
    """A rental offer as the calculator prices it: the newest price and whether it can be had.

    usd_per_hour is one GPU-hour; the provider rents `unit_gpus` GPUs at a time and charges
    for all of them. status: the offer's (records._Offer.status).
    """

    gpu: str
    provider: str
    tier: str
    usd_per_hour: float
    unit_gpus: int = 1
    instance: str | None = None
    status: str = "ok"


def offers(rental: Sequence[RentalPrice]) -> list[Offer]:
    """Every rental price (`Prices.rental`: none that ended) as an Offer, with its status."""
    return [
        Offer(
            price.gpu,
            price.provider,
            price.tier,
            price.usd_per_hour,
            price.gpus,
            price.instance,
            price.status,
        )
        for price in rental
    ]


@dataclass(frozen=True)
class ApiOffer:
    """An API price as the calculator prices it: the newest price and whether it can be had.

    status: the offer's (records._Offer.status), as for a rental. An API that ended is no offer
    at all (records.Prices keeps it apart).
    """

    model: str
    provider: str
    serving: str | None
    usd_per_mtok_input: float
    usd_per_mtok_output: float
    status: str = "ok"


def api_offers(api: Sequence[ApiPrice]) -> list[ApiOffer]:
    """Every API price (`Prices.api`: none that ended) as an ApiOffer, with its status."""
    return [
        ApiOffer(
            price.model,
            price.provider,
            price.serving,
            price.current.value("usd_per_mtok_input") or 0.0,
            price.current.value("usd_per_mtok_output") or 0.0,
            price.status,
        )
        for price in api
    ]


def compare(
    s: Scenario,
    model: Model,
    gpus: dict[str, Gpu],
    rental: Sequence[Offer],
    api: Sequence[ApiOffer],
) -> dict[str, Any]:
    """Monthly cost of the workload on the reader's GPUs, every rental offer and every API.

    Returns plain data (numbers, booleans, ids; None where a figure does not apply) in the
    shape static/js/calculator.js returns, so the two can be compared value by value. A
    workload with no output tokens is an input error: this model times generated tokens.
    """
    if s.output_mtok <= 0:
        raise ValueError("the workload needs output tokens")
    if s.precision not in precisions_for(model):
        raise ValueError(f"{model.id} has no release in {s.precision}")
    total_mtok = s.input_mtok + s.output_mtok
    local = _local(s, model, gpus[s.gpu], total_mtok)
    sizing = _Sizing(s, model)
    priced = [
        _rental(s, sizing, gpus[o.gpu], o, total_mtok)
        for o in rental
        if o.tier == s.tier and o.gpu in gpus
    ]
    priced.sort(
        key=lambda o: (
            o["monthly_usd"] is None,
            o["status"] != "ok",
            o["monthly_usd"] or 0,
            o["provider"],
            o["gpu"],
            o["gpus"] or 0,
        )
    )
    apis = [_api(s, p, total_mtok) for p in api if p.model == model.id]
    apis.sort(key=lambda a: (a["status"] != "ok", a["monthly_usd"], a["provider"]))
    need = memory_need(model, s.precision, s.context, s.concurrency, s.kv_type)
    return {
        "memory_gib": need.total_gib,
        "local": local,
        "rental": priced,
        "api": apis,
        "cheapest": _cheapest(local, priced, apis),
        "break_even": _break_even(s, local, priced, apis),
    }


def _per_mtok(monthly: float | None, mtok: float) -> float | None:
    return monthly / mtok if monthly is not None and mtok > 0 else None


def _workload(
    s: Scenario, model: Model, gpu: Gpu, gpus: int, hours_available: float
) -> tuple[float, float, int]:
    """Throughput, busy hours for the month's output, and how many such setups it takes."""
    tps = throughput_tps(model, gpu, s.precision, s.context, s.concurrency, s.kv_type, gpus)
    hours = generation_hours(s.output_mtok, tps)
    return tps, hours, max(1, math.ceil(hours / hours_available - 1e-9))


def _local(s: Scenario, model: Model, gpu: Gpu, total_mtok: float) -> dict[str, Any]:
    hours_available = s.hours_per_day * HOURS_PER_MONTH / 24
    need = memory_need(model, s.precision, s.context, s.concurrency, s.kv_type, max(s.gpus, 1))
    owned = s.gpus > 0
    result: dict[str, Any] = {
        "gpu": gpu.id,
        "gpus": s.gpus,
        "fits": owned and fits(need, gpu),
        # Several Macs are not combined to run one model: they do not fit as a group even
        # where one of them holds the model, which the page must say, not "does not fit".
        # (One machine's need is computed only then: this runs for every GPU and chart point.)
        "not_combined": s.gpus > 1
        and not can_split(gpu)
        and fits(memory_need(model, s.precision, s.context, s.concurrency, s.kv_type), gpu),
        "gpus_needed": gpus_needed(
            model, gpu, s.precision, s.context, s.concurrency, s.kv_type, s.gpus
        )
        if owned
        else None,
        "tps_low": None,
        "tps_high": None,
        "throughput_tps": None,
        "hours_needed": None,
        "hours_available": hours_available,
        "setups_needed": None,
        "capacity_mtok": None,
        "keeps_up": False,
        "electricity_usd": None,
        "electricity_usd_per_mtok": None,
        "hardware_usd": s.hardware_usd / s.amortization_months,
        "monthly_usd": None,
        "usd_per_mtok_output": None,
        "usd_per_mtok_blended": None,
    }
    if not result["fits"]:
        return result
    low, high = decode_range_tps(model, gpu, s.precision, s.context, s.kv_type, s.gpus)
    tps, hours, setups = _workload(s, model, gpu, s.gpus, hours_available)
    watts = gpu.power_w * s.gpus
    output_share = s.output_mtok / total_mtok
    electricity = electricity_usd(watts, hours, s.usd_per_kwh)
    result.update(
        tps_low=low,
        tps_high=high,
        throughput_tps=tps,
        hours_needed=hours,
        setups_needed=setups,
        capacity_mtok=tps * 3600 * hours_available / 1e6 / output_share,
        keeps_up=setups == 1,
        electricity_usd_per_mtok=electricity / total_mtok,
    )
    if setups == 1:
        monthly = electricity + result["hardware_usd"]
        result.update(
            electricity_usd=electricity,
            monthly_usd=monthly,
            usd_per_mtok_output=_per_mtok(monthly, s.output_mtok),
            usd_per_mtok_blended=_per_mtok(monthly, total_mtok),
        )
    return result


class _Sizing:
    """How many of a GPU the scenario's model needs, and its throughput on so many, each worked
    out once per GPU: the offers of one comparison share a few GPUs (a dozen providers rent the
    H100), and the advisor compares every answer set over every offer."""

    def __init__(self, s: Scenario, model: Model) -> None:
        self._s, self._model = s, model
        self._counts: dict[tuple[str, int], int | None] = {}
        self._workloads: dict[tuple[str, int], tuple[float, float, int]] = {}

    def gpus_needed(self, gpu: Gpu, unit_gpus: int) -> int | None:
        key = (gpu.id, unit_gpus)
        if key not in self._counts:
            s = self._s
            self._counts[key] = gpus_needed(
                self._model, gpu, s.precision, s.context, s.concurrency, s.kv_type, unit_gpus
            )
        return self._counts[key]

    def workload(self, gpu: Gpu, count: int) -> tuple[float, float, int]:
        key = (gpu.id, count)
        if key not in self._workloads:
            self._workloads[key] = _workload(self._s, self._model, gpu, count, HOURS_PER_MONTH)
        return self._workloads[key]


def _rental(
    s: Scenario, sizing: _Sizing, gpu: Gpu, offer: Offer, total_mtok: float
) -> dict[str, Any]:
    """One offer: on the smallest group of its GPUs that holds the model, whole units only.

    An offer rented one GPU at a time is assumed to come in 2-, 4- and 8-GPU machines at the
    same price per GPU-hour; an offer only rented as a whole unit uses (and pays for) all of it.
    """
    count = sizing.gpus_needed(gpu, offer.unit_gpus)
    if count is not None and offer.unit_gpus > 1:
        count = offer.unit_gpus if count <= offer.unit_gpus else None
    result: dict[str, Any] = {
        "gpu": gpu.id,
        "provider": offer.provider,
        "tier": offer.tier,
        "status": offer.status,
        "unit_gpus": offer.unit_gpus,
        "instance": offer.instance,
        "usd_per_gpu_hour": offer.usd_per_hour,
        "gpus": count,
        "fits": count is not None,
        "throughput_tps": None,
        "hours_needed": None,
        "hours_billed": None,
        "setups_needed": None,
        "keeps_up": False,
        "monthly_usd": None,
        "always_on_usd": None,
        "usd_per_mtok_output": None,
        "usd_per_mtok_blended": None,
    }
    if count is None:
        return result
    tps, hours, setups = sizing.workload(gpu, count)
    hourly = offer.usd_per_hour * count
    result.update(
        throughput_tps=tps,
        hours_needed=hours,
        setups_needed=setups,
        keeps_up=setups == 1,
        always_on_usd=hourly * HOURS_PER_MONTH,
    )
    if setups == 1:
        billed = hours if s.billing == "hourly" else HOURS_PER_MONTH
        monthly = hourly * billed
        result.update(
            hours_billed=billed,
            monthly_usd=monthly,
            usd_per_mtok_output=_per_mtok(monthly, s.output_mtok),
            usd_per_mtok_blended=_per_mtok(monthly, total_mtok),
        )
    return result


def _api(s: Scenario, offer: ApiOffer, total_mtok: float) -> dict[str, Any]:
    usd_in, usd_out = offer.usd_per_mtok_input, offer.usd_per_mtok_output
    monthly = api_usd(s.input_mtok, s.output_mtok, usd_in, usd_out)
    return {
        "provider": offer.provider,
        "status": offer.status,
        "usd_per_mtok_input": usd_in,
        "usd_per_mtok_output": usd_out,
        "monthly_usd": monthly,
        "usd_per_mtok_output_only": _per_mtok(monthly, s.output_mtok),
        "usd_per_mtok_blended": _per_mtok(monthly, total_mtok),
    }


def _cheapest(
    local: dict[str, Any], offers: list[dict[str, Any]], apis: list[dict[str, Any]]
) -> dict[str, Any] | None:
    """The lowest monthly cost among options that fit, keep up and can be had today."""
    options = []
    if local["monthly_usd"] is not None:
        options.append((local["monthly_usd"], 0, "local", local["gpu"], local["gpus"]))
    options += [
        (o["monthly_usd"], 1, "rental", offer_key(o), o["gpus"])
        for o in offers
        if o["monthly_usd"] is not None and o["status"] == "ok"
    ]
    options += [(a["monthly_usd"], 2, "api", a["provider"], 0) for a in apis if a["status"] == "ok"]
    if not options:
        return None
    monthly, _, kind, option, gpus = min(options)
    return {"kind": kind, "option": option, "gpus": gpus, "monthly_usd": monthly}


def offer_key(o: dict[str, Any]) -> str:
    """A rental row's id: provider/gpu, with the unit size for a multi-GPU unit."""
    unit = f"/x{o['unit_gpus']}" if o["unit_gpus"] > 1 else ""
    return f"{o['provider']}/{o['gpu']}{unit}"


def _break_even(
    s: Scenario, local: dict[str, Any], offers: list[dict[str, Any]], apis: list[dict[str, Any]]
) -> dict[str, float | None]:
    """Monthly volume (million tokens, in the scenario's input/output mix) where costs cross.

    Local costs a fixed amortization plus electricity per token; an always-on rental costs a
    fixed amount; an API costs a blended price per token (the cheapest that can be had). Hourly
    rentals scale with volume like an API, so they have no crossing point.
    """
    total = s.input_mtok + s.output_mtok
    result: dict[str, float | None] = {"local_vs_api_mtok": None, "rental_vs_api_mtok": None}
    usable_apis = [a for a in apis if a["status"] == "ok"]
    if not usable_apis:
        return result
    blended = usable_apis[0]["monthly_usd"] / total
    electricity = local["electricity_usd_per_mtok"]
    if local["fits"] and electricity is not None and blended > electricity:
        result["local_vs_api_mtok"] = local["hardware_usd"] / (blended - electricity)
    usable = [o for o in offers if o["fits"] and o["status"] == "ok"]
    if s.billing == "always-on" and usable and blended > 0:
        cheapest = min(usable, key=lambda o: (o["always_on_usd"], o["provider"], o["gpu"]))
        result["rental_vs_api_mtok"] = cheapest["always_on_usd"] / blended
    return result
