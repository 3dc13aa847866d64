"""costs.py against values worked out by hand from DOMAIN.md's formulas."""

from __future__ import annotations

import datetime as dt

import pytest

from spanvero_site.data import costs
from spanvero_site.data.records import ApiPrice, Gpu, Model, Observation, RentalPrice

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


def test_weights_per_precision_llama_8b() -> None:
    assert costs.weights_gb(8.03, "bf16") == pytest.approx(16.06)
    assert costs.weights_gb(8.03, "int8") == pytest.approx(8.03)
    assert costs.weights_gb(8.03, "q8_0") == pytest.approx(8.531875)  # 8.03 x 8.5 / 8
    assert costs.weights_gb(8.03, "q6_k") == pytest.approx(6.5846)  # 8.03 x 6.56 / 8
    assert costs.weights_gb(8.03, "q4_k_m") == pytest.approx(4.85815)  # 8.03 x 4.84 / 8


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
    kv_gb = 2 * 32 * 8 * 128 * 2 * 8192 / 1e9  # 1.0737 GB
    assert need.kv_gb == pytest.approx(kv_gb)
    assert need.overhead_gb == pytest.approx(0.1 * (16.06 + kv_gb))
    assert need.total_gb == pytest.approx(1.1 * (16.06 + kv_gb))
    assert costs.fits(need, RTX_4090)
    small = costs.memory_need(
        model(params_b=1.0, layers=1, attention_heads=1, kv_heads=1, head_dim=64, attention="full"),
        "q4_k_m",
    )
    assert small.overhead_gb == 1.0  # the floor


def test_apple_usable_fraction_and_smallest_gpu() -> None:
    need = costs.memory_need(MIXTRAL, "q4_k_m")  # 28.25 + 1.07 + 2.93 = 32.3 GB
    assert need.total_gb == pytest.approx(1.1 * (46.7 * 4.84 / 8 + 1.073741824))
    assert not costs.fits(need, RTX_4090)
    assert costs.fits(need, MAC_64)  # 48 GB usable
    assert costs.smallest_fitting_gpu(need, [H100, MAC_64, RTX_4090]) is MAC_64
    assert costs.smallest_fitting_gpu(costs.memory_need(DEEPSEEK_V3, "q4_k_m"), [H100]) is None


def test_decode_speed_reads_active_weights_plus_kv() -> None:
    kv = 2 * 32 * 8 * 128 * 2 * 8192
    assert costs.decode_ceiling_tps(LLAMA_8B, H100, "bf16") == pytest.approx(
        3350e9 / (16.06e9 + kv)
    )  # about 195.5 tok/s at 8K (about 209 with an empty cache)
    moe = costs.decode_ceiling_tps(MIXTRAL, H100, "bf16")
    assert moe == pytest.approx(3350e9 / (12.9e9 * 2 + kv))
    low, high = costs.decode_range_tps(LLAMA_8B, H100, "bf16")
    assert (low, high) == pytest.approx(
        (0.5 * 3350e9 / (16.06e9 + kv), 0.7 * 3350e9 / (16.06e9 + kv))
    )


def test_fine_tuning_rules_of_thumb_match_published_minimums() -> None:
    ft7 = costs.fine_tune_memory(
        model(
            params_b=7.0, layers=32, attention_heads=32, kv_heads=32, head_dim=128, attention="full"
        )
    )
    assert ft7.full_gb == 112
    assert ft7.lora_gb == pytest.approx((16.1, 18.9))  # published 16-19 GB
    assert ft7.qlora_gb == pytest.approx((5.134375, 6.225))  # published 5-6 GB
    ft70 = costs.fine_tune_memory(
        model(params_b=70.0, layers=80, attention_heads=64, kv_heads=8, head_dim=128)
    )
    assert ft70.qlora_gb == pytest.approx((42.34375, 48.75))  # published 41-48 GB


def rent(provider: str, tier: str, usd_per_hour: float) -> RentalPrice:
    """An H100 rental price observed once."""
    observation = Observation(DAY, (("usd_per_hour", usd_per_hour),), "https://s")
    return RentalPrice("h100-sxm", provider, provider.title(), tier, (observation,))


def serve(provider: str, usd_in: float, usd_out: float) -> ApiPrice:
    """An API price for model "m", observed once."""
    values = (("usd_per_mtok_input", usd_in), ("usd_per_mtok_output", usd_out))
    return ApiPrice("m", provider, provider.upper(), None, (Observation(DAY, values, "https://s"),))


def test_compare_local_rented_and_api_by_hand() -> None:
    s = costs.Scenario(model="m", usd_per_kwh=0.17)  # 20M in, 5M out, 8K, 1 stream, 8 h/day
    rental = [rent("cloud", "on-demand", 2.69), rent("cloud", "spot", 1.5)]
    api = [serve("api", 0.18, 0.18)]
    result = costs.compare(s, LLAMA_8B, {"rtx-4090": RTX_4090, "h100-sxm": H100}, rental, api)

    bytes_per_token = 16.06e9 + 2 * 32 * 8 * 128 * 2 * 8192  # weights + 8K of KV cache
    tps_4090 = 0.6 * 1008e9 / bytes_per_token  # about 35.3 tokens/s
    hours_4090 = 5e6 / (tps_4090 * 3600)  # about 39.3 hours
    electricity = 0.450 * hours_4090 * 0.17
    local = result["local"]
    assert local["fits"] and local["keeps_up"]
    assert local["throughput_tps"] == pytest.approx(tps_4090)
    assert local["hours_available"] == pytest.approx(8 * 30.4375)
    assert local["monthly_usd"] == pytest.approx(electricity + 1599 / 36)
    assert local["usd_per_mtok"] == pytest.approx((electricity + 1599 / 36) / 25)

    (offer,) = result["rental"]  # only the on-demand tier
    hours_h100 = 5e6 / (0.6 * 3350e9 / bytes_per_token * 3600)
    assert offer["monthly_usd"] == pytest.approx(2.69 * hours_h100)  # about $31.8
    assert result["api"][0]["monthly_usd"] == pytest.approx(20 * 0.18 + 5 * 0.18)
    assert result["cheapest"] == {"kind": "api", "option": "api", "monthly_usd": pytest.approx(4.5)}
    margin = 0.18 - electricity / 25
    assert result["break_even"]["local_vs_api_mtok"] == pytest.approx((1599 / 36) / margin)
    assert result["break_even"]["rental_vs_api_mtok"] is None  # hourly billing scales with volume


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
