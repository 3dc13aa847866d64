"""The formulas behind /models/ and /calculator/: the only place these numbers are computed.

Everything here is a pure function of the data, so it can be unit-tested against hand-computed
values and mirrored exactly by static/js/calculator.js. Sources for each rule are in
../shared/DOMAIN.md and written out on the pages that use them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from spanvero_site.model import Gpu, Model

GB = 1e9
GIB = 1024**3

# Bits per weight. GGUF figures: llama.cpp tools/quantize/README.md, measured on Llama-2-7B.
PRECISIONS: dict[str, tuple[str, float]] = {
    "bf16": ("16-bit (bf16/fp16)", 16.0),
    "int8": ("8-bit (int8)", 8.0),
    "q8_0": ("GGUF Q8_0", 8.5),
    "q6_k": ("GGUF Q6_K", 6.56),
    "q5_k_m": ("GGUF Q5_K_M", 5.68),
    "q4_k_m": ("GGUF Q4_K_M", 4.84),
    "q3_k_m": ("GGUF Q3_K_M", 3.91),
}
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
    return need.total_gb <= gpu.usable_gb


def smallest_fitting_gpu(need: MemoryNeed, gpus: Sequence[Gpu]) -> Gpu | None:
    """The listed GPU with the least usable memory that still fits (None: needs several)."""
    fitting = [gpu for gpu in gpus if fits(need, gpu)]
    return min(fitting, key=lambda g: (g.usable_gb, g.bandwidth_gbps, g.id), default=None)


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
    active = weights_gb(model.active_params_b, precision) * GB
    kv = kv_cache_bytes(model, context_tokens, 1, kv_type)
    return gpu.bandwidth_gbps * GB / (active + kv)


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
