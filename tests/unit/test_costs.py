"""costs.py against values worked out by hand from DOMAIN.md's formulas."""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import replace

import pytest

from spanvero_site.data import costs
from spanvero_site.data.records import (
    ApiPrice,
    Checkpoint,
    Gpu,
    Model,
    Observation,
    RentalPrice,
)

DAY = dt.date(2026, 11, 28)


def model(**kw) -> Model:
    base = dict(
        id="m",
        source_file="m.yaml",
        name="M",
        developer="D",
        attention="gqa",
        context_length=131072,
        license="L",
        license_url="https://l",
        released=DAY,
        source="https://s",
        card="https://c",
        as_of=DAY,
    )
    base.update(kw)
    base.setdefault("active_params_b", base["params_b"])
    return Model(**base)


LLAMA_8B = model(params_b=8.03, layers=32, attention_heads=32, kv_heads=8, head_dim=128)
MIXTRAL = model(
    params_b=46.7,
    active_params_b=12.9,
    experts=8,
    experts_per_token=2,
    layers=32,
    attention_heads=32,
    kv_heads=8,
    head_dim=128,
    context_length=32768,
)
DEEPSEEK_V3 = model(
    params_b=671,
    active_params_b=37,
    experts=256,
    experts_per_token=8,
    attention="mla",
    layers=61,
    attention_heads=128,
    kv_heads=128,
    head_dim=192,
    kv_lora_rank=512,
    rope_head_dim=64,
)
GEMMA_2_9B = model(
    params_b=9.24,
    attention="sliding-window",
    layers=42,
    attention_heads=16,
    kv_heads=8,
    head_dim=256,
    sliding_window=4096,
    sliding_window_layers=21,
    context_length=8192,
)
RTX_4090 = Gpu("rtx-4090", "RTX 4090", "consumer", 24, 1008, 450, 1.0, "https://s", DAY)
H100 = Gpu("h100-sxm", "H100 SXM", "datacenter", 80, 3350, 700, 1.0, "https://s", DAY)
MAC_64 = Gpu("mac", "Mac 64 GB", "apple", 64, 800, 295, 0.75, "https://s", DAY)


GIB = 1024**3


def test_weights_per_precision_llama_8b_in_gib() -> None:
    assert costs.weights_gib(LLAMA_8B, "bf16") == pytest.approx(8.03e9 * 2 / GIB)  # 14.96 GiB
    assert costs.weights_gib(LLAMA_8B, "int8") == pytest.approx(8.03e9 / GIB)
    assert costs.weights_gib(LLAMA_8B, "q8_0") == pytest.approx(8.03e9 * 8.5 / 8 / GIB)
    assert costs.weights_gib(LLAMA_8B, "q4_k_m") == pytest.approx(8.03e9 * 4.89 / 8 / GIB)
    # llama.cpp's own Llama-3.1-8B table: Q4_K_M is 4.58 GiB
    assert costs.weights_gib(LLAMA_8B, "q4_k_m") == pytest.approx(4.58, abs=0.01)


def test_a_native_release_is_sized_from_its_published_file() -> None:
    released = replace(DEEPSEEK_V3, checkpoint=Checkpoint("fp8", 688.6, "https://s"))
    assert costs.weights_gib(released, "fp8") == pytest.approx(688.6e9 / GIB)  # 641.3 GiB
    assert costs.weights_gib(released, "bf16") == pytest.approx(671e9 * 2 / GIB)
    assert "mxfp4" not in costs.precisions_for(released)
    gpt = replace(LLAMA_8B, checkpoint=Checkpoint("mxfp4", 13.8, "https://s"))
    assert "mxfp4" in costs.precisions_for(gpt)
    assert costs.weights_gib(gpt, "mxfp4") == pytest.approx(13.8e9 / GIB)


def test_kv_cache_llama_8b_is_128_kib_per_token_and_4_gib_at_32k() -> None:
    assert costs.kv_bytes_per_token(LLAMA_8B) == 128 * 1024
    assert costs.kv_cache_bytes(LLAMA_8B, 32768) == 4 * 1024**3
    assert costs.kv_cache_bytes(LLAMA_8B, 32768, kv_type="q8_0") == 2 * 1024**3
    assert costs.kv_cache_bytes(LLAMA_8B, 8192, concurrency=4, kv_type="q4_0") == 1024**3


def test_kv_cache_mla_uses_the_compressed_width() -> None:
    # 61 layers x (512 + 64) x 2 bytes = 70,272 bytes per token
    assert costs.kv_bytes_per_token(DEEPSEEK_V3) == 70272
    plain = 2 * 61 * 128 * 192 * 2
    assert plain / costs.kv_bytes_per_token(DEEPSEEK_V3) == pytest.approx(85.4, abs=0.1)


def test_kv_cache_sliding_window_stops_growing_at_the_window() -> None:
    per_layer_token = 2 * 8 * 256 * 2  # 8,192 bytes
    assert costs.kv_cache_bytes(GEMMA_2_9B, 2048) == per_layer_token * 42 * 2048
    assert costs.kv_cache_bytes(GEMMA_2_9B, 8192) == per_layer_token * (21 * 8192 + 21 * 4096)


def test_memory_need_and_fit_at_8k() -> None:
    need = costs.memory_need(LLAMA_8B, "bf16")
    weights = 8.03e9 * 2 / GIB  # 14.96 GiB
    kv = 2 * 32 * 8 * 128 * 2 * 8192 / GIB  # 1 GiB
    assert need.kv_gib == pytest.approx(kv)
    assert need.overhead_gib == pytest.approx(0.1 * (weights + kv) + 0.5)  # 10% plus 0.5 GiB
    assert need.total_gib == pytest.approx(1.1 * (weights + kv) + 0.5)  # 18.05 GiB
    assert costs.fits(need, RTX_4090)  # 24 GiB
    small = costs.memory_need(
        model(params_b=1.0, layers=1, attention_heads=1, kv_heads=1, head_dim=64, attention="full"),
        "q4_k_m",
    )
    assert small.overhead_gib == pytest.approx(0.1 * (small.weights_gib + small.kv_gib) + 0.5)
    two = costs.memory_need(LLAMA_8B, "bf16", gpus=2)
    assert two.overhead_gib == pytest.approx(0.1 * (weights + kv) + 1.0)  # 0.5 GiB per GPU


def test_apple_usable_fraction_and_smallest_setup() -> None:
    need = costs.memory_need(MIXTRAL, "q4_k_m")
    assert need.total_gib == pytest.approx(1.1 * (46.7e9 * 4.89 / 8 / GIB + 1) + 0.5)  # 30.85 GiB
    assert not costs.fits(need, RTX_4090)
    assert costs.fits(need, MAC_64)  # 48 GiB usable
    assert costs.smallest_setup(MIXTRAL, "q4_k_m", [H100, MAC_64, RTX_4090]) == (MAC_64, 1)


def test_a_model_too_big_for_one_gpu_is_split_over_2_4_or_8() -> None:
    llama_70b = model(params_b=70.6, layers=80, attention_heads=64, kv_heads=8, head_dim=128)
    # 16-bit: 131.5 GiB of weights + 2.5 GiB of KV at 8K, + 10% + 2 x 0.5 GiB = 148.4: two H100s
    need = costs.memory_need(llama_70b, "bf16", gpus=2)
    assert need.total_gib == pytest.approx(1.1 * (70.6e9 * 2 / GIB + 2.5) + 1.0)
    assert costs.gpus_needed(llama_70b, H100, "bf16") == 2
    assert costs.smallest_setup(llama_70b, "bf16", [RTX_4090, H100]) == (H100, 2)
    assert costs.gpus_needed(llama_70b, MAC_64, "bf16") is None  # Macs are not combined
    # Two GPUs read at 2 x 3350 GB/s x 0.95 (the interconnect's share)
    ceiling = costs.decode_ceiling_tps(llama_70b, H100, "bf16", gpus=2)
    kv = 2 * 80 * 8 * 128 * 2 * 8192
    assert ceiling == pytest.approx(2 * 3350e9 * 0.95 / (70.6e9 * 2 + kv))
    # DeepSeek-V3's FP8 release (688.6 GB) needs 8 H200s of 141 GiB
    h200 = replace(H100, id="h200", vram_gib=141, bandwidth_gbps=4800)
    released = replace(DEEPSEEK_V3, checkpoint=Checkpoint("fp8", 688.6, "https://s"))
    assert costs.gpus_needed(released, h200, "fp8") == 8


def test_moe_under_load_reads_the_experts_the_batch_touches() -> None:
    # Mixtral: 8 experts, 2 per token. One expert = (46.7 - 12.9) / 6 = 5.633B; shared = 1.633B
    expert, shared = (46.7 - 12.9) / 6, 12.9 - 2 * (46.7 - 12.9) / 6
    assert costs.experts_touched(MIXTRAL, 1) == pytest.approx(2)
    assert costs.experts_touched(MIXTRAL, 4) == pytest.approx(8 * (1 - 0.75**4))  # 5.47
    bf16 = 46.7e9 * 2 / GIB
    assert costs.weights_read_gib(MIXTRAL, "bf16", 1) == pytest.approx(bf16 * 12.9 / 46.7)
    touched = 8 * (1 - 0.75**4)
    assert costs.weights_read_gib(MIXTRAL, "bf16", 4) == pytest.approx(
        bf16 * (shared + touched * expert) / 46.7
    )
    assert costs.weights_read_gib(MIXTRAL, "bf16", 256) == pytest.approx(bf16)  # every expert
    assert costs.band_for(MIXTRAL, 1).kind == "single-moe"
    assert costs.band_for(MIXTRAL, 8).kind == "batched-moe"
    assert costs.band_for(LLAMA_8B, 8).kind == "batched-dense"


def test_decode_speed_reads_active_weights_plus_kv() -> None:
    kv = 2 * 32 * 8 * 128 * 2 * 8192
    assert costs.decode_ceiling_tps(LLAMA_8B, H100, "bf16") == pytest.approx(
        3350e9 / (16.06e9 + kv)
    )  # about 195.5 tok/s at 8K (about 209 with an empty cache)
    moe = costs.decode_ceiling_tps(MIXTRAL, H100, "bf16")
    assert moe == pytest.approx(3350e9 / (12.9e9 * 2 + kv))
    band = costs.BANDS["single-dense"]
    low, high = costs.decode_range_tps(LLAMA_8B, H100, "bf16")
    ceiling = 3350e9 / (16.06e9 + kv)
    assert (low, high) == pytest.approx((band.low * ceiling, band.high * ceiling))


def test_large_batches_are_bound_by_compute_not_bandwidth() -> None:
    """A step takes the longer of reading its bytes and doing 2 x active params per sequence."""
    h100 = replace(H100, tflops_bf16=989.4, tflops_fp8=1978.9)
    # Llama 3.1 8B, 16-bit, 1,024 sequences of 128 tokens: reading 16.06 GB of weights and
    # 1024 x 128 x 128 KiB = 17.18 GB of KV takes 9.9 ms at 3,350 GB/s; the math, 1024 x 2 x
    # 8.03 GFLOP = 16.4 TFLOP, takes 16.6 ms at 989.4 TFLOPS. Compute wins.
    read = (16.06e9 + 1024 * 128 * 131072) / 3350e9
    math_s = 1024 * 2 * 8.03e9 / 989.4e12
    assert read == pytest.approx(0.00992, abs=1e-5) and math_s == pytest.approx(0.01662, abs=1e-5)
    assert costs.step_seconds(LLAMA_8B, h100, "bf16", 128, 1024) == pytest.approx(math_s)
    assert costs.throughput_tps(LLAMA_8B, h100, "bf16", 128, 1024, efficiency=1.0) == (
        pytest.approx(1024 / math_s)  # about 61,600 tok/s, not the 103,000 bandwidth allows
    )
    # FP8 weights run on FP8 tensor cores at twice the rate; one stream stays bandwidth-bound
    assert costs.step_seconds(LLAMA_8B, h100, "fp8", 128, 1024) == pytest.approx(
        max((8.03e9 + 1024 * 128 * 131072) / 3350e9, 1024 * 2 * 8.03e9 / 1978.9e12)
    )
    assert costs.step_seconds(LLAMA_8B, h100, "bf16", 128, 1) == pytest.approx(
        (16.06e9 + 128 * 131072) / 3350e9
    )
    # A GPU with no compute figure on file is bounded by bandwidth only
    assert costs.step_seconds(LLAMA_8B, H100, "bf16", 128, 1024) == pytest.approx(read)


def test_an_end_to_end_run_also_reads_every_prompt() -> None:
    """Prefill: 2 x active params FLOPs per prompt token, at the dense tensor rate."""
    h100 = replace(H100, tflops_bf16=989.4)
    # 16 requests of 1,024 prompt tokens and 128 generated: each prefill is 16.4 TFLOP, 16.6 ms
    prefill = 1024 * 2 * 8.03e9 / 989.4e12
    assert costs.prefill_seconds(LLAMA_8B, h100, "bf16", 1024) == pytest.approx(prefill)
    step = costs.step_seconds(LLAMA_8B, h100, "bf16", 1152, 16)
    assert costs.run_tps(LLAMA_8B, h100, "bf16", 1152, 1024, 16) == pytest.approx(
        16 * 128 / (16 * prefill + 128 * step)
    )
    assert costs.prefill_seconds(LLAMA_8B, H100, "bf16", 1024) == 0.0  # no figure, no estimate


def test_fine_tuning_rules_of_thumb_match_published_minimums() -> None:
    ft7 = costs.fine_tune_memory(
        model(
            params_b=7.0, layers=32, attention_heads=32, kv_heads=32, head_dim=128, attention="full"
        )
    )
    # In GiB: 7e9 x 16 bytes = 104.3 GiB; 16-bit weights 13.04 GiB x 1.15-1.35; NF4 3.667 GiB
    # x 1.05-1.2 plus 1-1.5 GiB
    assert ft7.full_gib == pytest.approx(112e9 / GIB)  # 104.3 GiB
    assert ft7.lora_gib == pytest.approx((14e9 / GIB * 1.15, 14e9 / GIB * 1.35))  # 15.0-17.6
    assert ft7.lora_gib == pytest.approx((16e9 / GIB, 19e9 / GIB), abs=0.25)  # published 16-19 GB
    nf4_7 = 7e9 * 4.5 / 8 / GIB
    assert ft7.qlora_gib == pytest.approx((nf4_7 * 1.05 + 1.0, nf4_7 * 1.2 + 1.5))  # 4.9-5.9
    assert ft7.qlora_gib == pytest.approx((5e9 / GIB, 6e9 / GIB), abs=0.35)  # published 5-6 GB
    ft70 = costs.fine_tune_memory(
        model(params_b=70.0, layers=80, attention_heads=64, kv_heads=8, head_dim=128)
    )
    nf4_70 = 70e9 * 4.5 / 8 / GIB
    assert ft70.qlora_gib == pytest.approx((nf4_70 * 1.05 + 1.0, nf4_70 * 1.2 + 1.5))
    assert 41e9 / GIB - 1.2 < ft70.qlora_gib[0] < ft70.qlora_gib[1] < 48e9 / GIB + 1  # 41-48 GB


def rent(provider: str, tier: str, usd_per_hour: float, **kw) -> costs.Offer:
    """An H100 rental offer."""
    return costs.Offer("h100-sxm", provider, tier, usd_per_hour, **kw)


def serve(provider: str, usd_in: float, usd_out: float, available: bool = True) -> costs.ApiOffer:
    """An API offer for model "m", from a price observed once."""
    values = (("usd_per_mtok_input", usd_in), ("usd_per_mtok_output", usd_out))
    observation = Observation(DAY, values, "https://s", available=available)
    (offer,) = costs.api_offers([ApiPrice("m", provider, provider.upper(), None, (observation,))])
    return offer


GPUS = {"rtx-4090": RTX_4090, "h100-sxm": H100}
BYTES_8K = 16.06e9 + 2 * 32 * 8 * 128 * 2 * 8192  # Llama 3.1 8B weights + 8K of KV cache
MID = costs.BANDS["single-dense"].mid


def test_compare_local_rented_and_api_by_hand() -> None:
    s = costs.Scenario(model="m", usd_per_kwh=0.17)  # 20M in, 5M out, 8K, 1 stream, 8 h/day
    rental = [rent("cloud", "on-demand", 2.69), rent("cloud", "spot", 1.5)]
    api = [serve("api", 0.18, 0.18)]
    result = costs.compare(s, LLAMA_8B, GPUS, rental, api)

    tps_4090 = MID * 1008e9 / BYTES_8K  # about 35 tokens/s
    hours_4090 = 5e6 / (tps_4090 * 3600)
    electricity = 0.450 * hours_4090 * 0.17
    local = result["local"]
    assert local["fits"] and local["keeps_up"]
    assert local["throughput_tps"] == pytest.approx(tps_4090)
    assert local["hours_available"] == pytest.approx(8 * 30.4375)
    monthly = electricity + 1599 / 36
    assert local["monthly_usd"] == pytest.approx(monthly)
    assert local["usd_per_mtok_output"] == pytest.approx(monthly / 5)  # per 1M output tokens
    assert local["usd_per_mtok_blended"] == pytest.approx(monthly / 25)  # per 1M in and out

    (offer,) = result["rental"]  # only the on-demand tier
    hours_h100 = 5e6 / (MID * 3350e9 / BYTES_8K * 3600)
    assert offer["gpus"] == 1
    assert offer["monthly_usd"] == pytest.approx(2.69 * hours_h100)
    assert offer["always_on_usd"] == pytest.approx(2.69 * 730.5)
    assert result["api"][0]["monthly_usd"] == pytest.approx(20 * 0.18 + 5 * 0.18)
    assert result["api"][0]["usd_per_mtok_output_only"] == pytest.approx(4.5 / 5)
    assert result["api"][0]["usd_per_mtok_blended"] == pytest.approx(4.5 / 25)
    assert result["cheapest"] == {
        "kind": "api",
        "option": "api",
        "gpus": 0,
        "monthly_usd": pytest.approx(4.5),
    }
    margin = 0.18 - electricity / 25
    assert result["break_even"]["local_vs_api_mtok"] == pytest.approx((1599 / 36) / margin)
    assert result["break_even"]["rental_vs_api_mtok"] is None  # hourly billing scales with volume


def test_a_whole_unit_is_charged_for_every_gpu_in_it() -> None:
    s = costs.Scenario(model="m", gpu="h100-sxm", gpus=0, hardware_usd=0)
    (offer,) = costs.compare(s, LLAMA_8B, GPUS, [rent("c", "on-demand", 2.49, unit_gpus=8)], [])[
        "rental"
    ]
    assert offer["gpus"] == 8  # the 8B model fits one, but the unit is rented whole
    tps = MID * 8 * 3350e9 * 0.95 / BYTES_8K
    assert offer["throughput_tps"] == pytest.approx(tps)
    assert offer["monthly_usd"] == pytest.approx(2.49 * 8 * 5e6 / (tps * 3600))
    assert offer["always_on_usd"] == pytest.approx(2.49 * 8 * 730.5)


def test_unavailable_and_stale_offers_are_shown_but_never_chosen() -> None:
    old = RentalPrice(
        "h100-sxm",
        "old",
        "Old",
        "on-demand",
        (Observation(dt.date(2025, 1, 1), (("usd_per_hour", 0.5),), "https://s"),),
        stale=True,  # parse_prices decides it (tests/unit/test_data_schema.py)
    )
    gone = RentalPrice(
        "h100-sxm",
        "gone",
        "Gone",
        "on-demand",
        (Observation(DAY, (("usd_per_hour", 0.4),), "https://s", available=False),),
    )
    fine = RentalPrice(
        "h100-sxm",
        "fine",
        "Fine",
        "on-demand",
        (Observation(DAY, (("usd_per_hour", 2.0),), "https://s"),),
    )
    offers = costs.offers([old, gone, fine])
    assert [o.status for o in offers] == ["stale", "unavailable", "ok"]
    s = costs.Scenario(model="m", gpus=0, hardware_usd=0)
    result = costs.compare(s, LLAMA_8B, GPUS, offers, [])
    assert [o["provider"] for o in result["rental"]] == ["fine", "gone", "old"]
    assert result["cheapest"]["option"] == "fine/h100-sxm"


def test_an_api_its_source_lists_as_unavailable_is_shown_but_never_chosen() -> None:
    s = costs.Scenario(model="m", billing="always-on", gpu="h100-sxm")
    rental = [rent("c", "on-demand", 2.0)]
    gone, dear = serve("gone", 0.01, 0.01, available=False), serve("dear", 0.1, 0.3)
    assert (gone.status, dear.status) == ("unavailable", "ok")
    result = costs.compare(s, LLAMA_8B, {"h100-sxm": H100}, rental, [gone, dear])
    assert [(a["provider"], a["status"]) for a in result["api"]] == [
        ("dear", "ok"),
        ("gone", "unavailable"),
    ]
    assert result["cheapest"]["kind"] != "api" or result["cheapest"]["option"] == "dear"
    blended = (20 * 0.1 + 5 * 0.3) / 25  # the break-even is against the API that can be had
    assert result["break_even"]["rental_vs_api_mtok"] == pytest.approx(2.0 * 730.5 / blended)
    only_gone = costs.compare(s, LLAMA_8B, {"h100-sxm": H100}, rental, [gone])
    assert only_gone["break_even"] == {"local_vs_api_mtok": None, "rental_vs_api_mtok": None}
    assert only_gone["cheapest"] is None or only_gone["cheapest"]["kind"] != "api"


def test_a_workload_the_month_cannot_hold_gets_no_cost() -> None:
    # 5,000M output tokens at about 117 tokens/s is about 11,900 hours: 17 H100s' months
    s = costs.Scenario(model="m", output_mtok=5000, gpu="h100-sxm", gpus=1, hardware_usd=0)
    result = costs.compare(s, LLAMA_8B, GPUS, [rent("c", "on-demand", 2.0)], [])
    tps = MID * 3350e9 / BYTES_8K
    hours = 5000e6 / (tps * 3600)
    (offer,) = result["rental"]
    assert offer["setups_needed"] == math.ceil(hours / 730.5)
    assert offer["monthly_usd"] is None and not offer["keeps_up"]
    assert result["local"]["setups_needed"] == math.ceil(hours / (8 * 30.4375))
    assert result["local"]["monthly_usd"] is None
    assert result["cheapest"] is None
    with pytest.raises(ValueError):
        costs.compare(replace(s, output_mtok=0), LLAMA_8B, GPUS, [], [])


def test_always_on_rental_has_a_break_even_and_a_capacity() -> None:
    s = costs.Scenario(model="m", billing="always-on", gpu="h100-sxm")
    rental = [rent("c", "on-demand", 2.0)]
    api = [serve("a", 0.1, 0.3)]
    result = costs.compare(s, LLAMA_8B, {"h100-sxm": H100}, rental, api)
    assert result["rental"][0]["hours_billed"] == 730.5
    blended = (20 * 0.1 + 5 * 0.3) / 25
    assert result["break_even"]["rental_vs_api_mtok"] == pytest.approx(2.0 * 730.5 / blended)
    tps = result["local"]["throughput_tps"]
    assert result["local"]["capacity_mtok"] == pytest.approx(tps * 3600 * 243.5 / 1e6 / 0.2)
