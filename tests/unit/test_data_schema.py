"""The data schema of gpus.yaml, prices.yaml, model checkpoints and measurements.yaml, in memory."""

from __future__ import annotations

import datetime as dt
import textwrap
from pathlib import Path

import pytest

from spanvero_site.core.diagnostics import Diagnostics
from spanvero_site.core.sources import read_data_file
from spanvero_site.data import catalog
from spanvero_site.data.measurements import MEASUREMENTS_PATH, load_measurements
from spanvero_site.data.prices import PRICES_PATH, load_prices

TODAY = dt.date(2026, 11, 28)

GPUS = """\
gpus:
  - id: h100-sxm
    name: NVIDIA H100 SXM
    kind: datacenter
    vram_gib: 80
    bandwidth_gbps: 3350
    power_w: 700
    price:
      usd: 240000
      kind: list
      date: 2026-10-15
      source: https://vendor.example/hgx
      buys: an 8-GPU server
      gpus: 8
    source: https://vendor.example/h100
    as_of: 2026-11-28
  - id: l4
    name: NVIDIA L4
    kind: datacenter
    vram_gib: 24
    bandwidth_gbps: 300
    power_w: 72
    source: https://vendor.example/l4
    as_of: 2026-11-28
"""


def _gpus(root: Path, text: str) -> tuple[dict, Diagnostics]:
    (root / catalog.GPUS_PATH).parent.mkdir(parents=True, exist_ok=True)
    (root / catalog.GPUS_PATH).write_text(text)
    diags = Diagnostics()
    file = read_data_file(root, catalog.GPUS_PATH, diags, today=TODAY)
    assert file is not None
    return catalog.parse_gpus(file, diags, TODAY, 365).gpus, diags


def test_a_price_that_buys_a_server_is_divided_over_its_gpus(tmp_path: Path) -> None:
    gpus, diags = _gpus(tmp_path, GPUS)
    assert not diags.items
    h100 = gpus["h100-sxm"]
    assert h100.vram_gib == 80
    assert h100.price is not None and h100.price.buys == "an 8-GPU server"
    assert h100.price_usd == pytest.approx(30000)  # 240,000 / 8 GPUs


def test_a_gpu_without_a_price_is_valid_and_can_only_be_rented(tmp_path: Path) -> None:
    gpus, diags = _gpus(tmp_path, GPUS)
    assert not diags.items
    assert gpus["l4"].price is None and not gpus["l4"].ownable
    assert gpus["h100-sxm"].ownable


def test_a_price_that_does_not_say_what_it_buys_is_an_error(tmp_path: Path) -> None:
    gpus, diags = _gpus(tmp_path, GPUS.replace("      buys: an 8-GPU server\n", ""))
    [error] = diags.errors
    assert error.code == "E713"
    assert "the price of GPU 'h100-sxm' does not say what it buys" in error.message
    assert gpus["h100-sxm"].price is None, "the unusable price is dropped; the GPU stays"


PRICES = """\
rental:
  - gpu: h100-sxm
    provider: cloud
    provider_name: Cloud
    tier: on-demand
    history:
      - as_of: 2026-11-01
        usd_per_hour: 2.99
        source: https://cloud.example/pricing
  - gpu: h100-sxm
    provider: cloud
    provider_name: Cloud
    tier: on-demand
    gpus: 8
    instance: p5.48xlarge
    history:
      - as_of: 2026-11-01
        usd_per_hour: 3.90
        source: https://cloud.example/pricing
        available: false
"""


def test_rental_offers_record_their_rentable_unit_and_availability(tmp_path: Path) -> None:
    (tmp_path / PRICES_PATH).parent.mkdir(parents=True)
    (tmp_path / PRICES_PATH).write_text(PRICES)
    diags = Diagnostics()
    prices = load_prices(tmp_path, diags, {"h100-sxm"}, set(), TODAY, 365)
    assert not diags.items, "a 1-GPU and an 8-GPU offer of one provider are two offers"
    single, whole = prices.rental
    assert (single.gpus, single.instance, single.available) == (1, None, True)
    assert (whole.gpus, whole.instance, whole.available) == (8, "p5.48xlarge", False)
    assert whole.usd_per_hour == 3.90, "the observation stays the price of one GPU-hour"


def test_an_offer_is_stale_from_the_day_after_its_price_passes_the_limit(tmp_path: Path) -> None:
    """Decided once, when prices.yaml is read on the build's day: the status every reader of
    an offer (calculator, advisor, price log) takes, with W707 on the same days."""
    (tmp_path / PRICES_PATH).parent.mkdir(parents=True)
    (tmp_path / PRICES_PATH).write_text(PRICES)
    last_fresh = dt.date(2026, 11, 1) + dt.timedelta(days=365)
    for today, statuses, warnings in (
        (last_fresh, ["ok", "unavailable"], 0),
        (last_fresh + dt.timedelta(days=1), ["stale", "unavailable"], 2),
    ):
        diags = Diagnostics()
        prices = load_prices(tmp_path, diags, {"h100-sxm"}, set(), today, 365)
        assert [o.status for o in prices.rental] == statuses
        assert [o.stale for o in prices.rental] == [warnings > 0] * 2
        assert [d.code for d in diags.items] == ["W707"] * warnings


MEASUREMENTS = """\
measurements:
  - id: point
    model: m
    gpu: h100-sxm
    gpus: 2
    precision: bf16
    engine: vLLM
    context: 2048
    concurrency: 16
    measures: end-to-end
    prompt_tokens: 1024
    tokens_per_second: 1800
    source: https://bench.example/
    as_of: 2026-11-01
"""


def test_measurements_resolve_exact_ids(tmp_path: Path) -> None:
    from tests.unit.test_costs import H100, LLAMA_8B

    (tmp_path / MEASUREMENTS_PATH).parent.mkdir(parents=True)
    (tmp_path / MEASUREMENTS_PATH).write_text(textwrap.dedent(MEASUREMENTS))
    diags = Diagnostics()
    [point] = load_measurements(
        tmp_path, diags, catalog.Catalog({"m": LLAMA_8B}, {"h100-sxm": H100}), TODAY
    )
    assert not diags.items
    assert (point.gpus, point.concurrency, point.tokens_per_second) == (2, 16, 1800.0)
    diags = Diagnostics()
    assert (
        load_measurements(
            tmp_path, diags, catalog.Catalog({"m-2": LLAMA_8B}, {"h100-sxm": H100}), TODAY
        )
        == ()
    )
    assert [e.code for e in diags.errors] == ["E302"]


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("    prompt_tokens: 1024\n", "", "needs prompt_tokens"),
        ("prompt_tokens: 1024", "prompt_tokens: 2048", "needs prompt_tokens"),
        ("measures: end-to-end", "measures: total", "choose one of"),
        ("measures: end-to-end", "measures: decode", "only applies to end-to-end"),
    ],
)
def test_what_a_measurement_timed_is_checked(
    tmp_path: Path, old: str, new: str, message: str
) -> None:
    """An end-to-end figure needs a prompt shorter than its context; the kind is one we model."""
    from tests.unit.test_costs import H100, LLAMA_8B

    (tmp_path / MEASUREMENTS_PATH).parent.mkdir(parents=True)
    (tmp_path / MEASUREMENTS_PATH).write_text(textwrap.dedent(MEASUREMENTS.replace(old, new)))
    diags = Diagnostics()
    assert (
        load_measurements(
            tmp_path, diags, catalog.Catalog({"m": LLAMA_8B}, {"h100-sxm": H100}), TODAY
        )
        == ()
    )
    found = [f"{e.message} {e.hint or ''}" for e in diags.errors]
    assert any(message in text for text in found), found
