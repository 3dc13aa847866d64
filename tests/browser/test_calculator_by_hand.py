"""The calculator in chromium, every model on every GPU a reader can own, against a hand
computation from the data files (tests/by_hand.py: DOMAIN.md's formulas, none of the site's
code).

For each pair the page's own figures are read: the memory the summary says the model needs,
the reader's row (can it do the work, tokens/s, hours, the monthly cost, per 1M output tokens
and blended) and the notes' speed range and monthly capacity. Every model also runs at 16-bit,
with a q8_0 and a q4_0 KV cache and in its native release, on the largest GPU a reader can own.
The form is changed as a reader changes it (a choice, then its change event), one field at a
time, through a single script call per model to keep ~900 scenarios within a minute.
"""

from __future__ import annotations

import math
import re
from typing import Any

import pytest

from tests import by_hand
from tests.conftest import REPO

pytestmark = pytest.mark.browser

DATA = by_hand.load(REPO)

# Sets the model (its change event fits the context to it), then for each [gpu, precision, kv]
# the precision and KV cache, and picks the GPU (whose change event sets its price): returns
# what the page then shows.
RUN = """([model, runs]) => {
  const form = document.getElementById('calc-form');
  const choose = (name, value) => {
    form.elements[name].value = value;
    form.elements[name].dispatchEvent(new Event('change', {bubbles: true}));
  };
  choose('model', model);
  return runs.map(([gpu, precision, kv]) => {
    form.elements.precision.value = precision;
    form.elements.kv.value = kv;
    choose('gpu', gpu);
    const row = document.querySelector('#calc-table tbody tr:nth-child(2)');
    return {
      shows: document.getElementById('calc-output').getAttribute('data-calc-shows'),
      summary: document.getElementById('calc-summary').textContent,
      row: Array.from(row.children).map(cell => cell.textContent),
      notes: Array.from(document.querySelectorAll('#calc-notes li')).map(li => li.textContent),
      ctx: form.elements.ctx.value,
      hw: form.elements.hw.value,
    };
  });
}"""


def expected(
    model: dict[str, Any], gpu: dict[str, Any], precision: str, kv: str, form: dict[str, float]
) -> dict[str, Any]:
    """What the page must show for one model on one of the reader's GPUs."""
    at = by_hand.context(model)
    need = by_hand.total_gib(model, precision, at, 1, kv)
    name = gpu["name"]
    shown: dict[str, Any] = {
        "summary": f"The model needs about {by_hand.gib(need)} of memory for it on one GPU.",
        "ctx": str(at),
        "hw": by_hand.price_usd(gpu),
    }
    if not by_hand.fits(model, precision, at, gpu, 1, kv):
        more = next((n for n in (2, 4, 8) if by_hand.fits(model, precision, at, gpu, n, kv)), None)
        status = f"No: needs {more}× {name}" if more else "No: does not fit"
        shown["row"] = [status, "—", "—", "—", "—", "—"]
        shown["note"] = f"it needs about {by_hand.gib(need)} on one GPU."
        return shown
    ceiling = by_hand.ceiling_tps(model, precision, gpu, at, kv)
    low, high = by_hand.BANDS[by_hand.is_moe(model)]
    tps = ceiling * (low + high) / 2  # the middle of the band
    hours = form["output_mtok"] * 1e6 / (tps * 3600)
    available = form["hours_per_day"] * by_hand.HOURS_PER_MONTH / 24
    setups = max(1, math.ceil(hours / available - 1e-9))
    if setups > 1:
        status = f"Too slow: would take {by_hand.amount(setups)}× {name}"
        shown["row"] = [status, by_hand.amount(tps), "—", "—", "—", "—"]
    else:
        electricity = gpu["power_w"] / 1000 * hours * DATA.usd_per_kwh
        monthly = electricity + by_hand.price_usd(gpu) / form["amortization_months"]
        total = form["input_mtok"] + form["output_mtok"]
        shown["row"] = [
            "Yes",
            by_hand.amount(tps),
            by_hand.amount(hours),
            by_hand.money(monthly),
            by_hand.money(monthly / form["output_mtok"]),
            by_hand.money(monthly / total),
        ]
    shown["note"] = (
        f"decodes about {by_hand.amount(ceiling * low)}–{by_hand.amount(ceiling * high)}"
    )
    share = form["output_mtok"] / (form["input_mtok"] + form["output_mtok"])
    capacity = tps * 3600 * available / 1e6 / share
    shown["capacity"] = f"can process about {by_hand.amount(capacity)}M tokens a month"
    return shown


def runs_of(model: dict[str, Any], ownable: list[dict[str, Any]]) -> list[list[str]]:
    """Every GPU at 4-bit (most models fit somewhere), then the other precisions and KV cache
    types on the largest GPU a reader can own."""
    largest = ownable[-1]["id"]
    release = model.get("checkpoint", {}).get("format")
    variants = [["bf16", "f16"], ["q8_0", "q8_0"], ["q4_k_m", "q4_0"]]
    if release:
        variants.append([release, "f16"])
    return [[g["id"], "q4_k_m", "f16"] for g in ownable] + [[largest, *v] for v in variants]


def test_every_model_on_every_gpu_shows_the_hand_computed_figures(page, site_url: str) -> None:
    page.goto(f"{site_url}/calculator/")
    page.wait_for_selector("#calc-form:not([hidden])")
    text = " ".join(page.locator("body").text_content().split())
    assert "overhead (10% plus 0.5 GiB per GPU)" in text
    assert "730.5 hours when always on" in text
    assert "one stream, dense model 45–75%" in text
    assert "one stream, mixture of experts 40–75%" in text
    fields = {"in": "input_mtok", "out": "output_mtok", "hours": "hours_per_day"}
    form = {key: float(page.input_value(f"#calc-{name}")) for name, key in fields.items()}
    form["amortization_months"] = float(page.input_value("#calc-months"))
    assert float(page.input_value("#calc-kwh")) == DATA.usd_per_kwh
    options = page.eval_on_selector_all("#calc-gpu option", "els => els.map(e => e.value)")
    ownable = [g for g in by_hand.by_size(DATA) if "price" in g]
    assert sorted(options) == sorted(g["id"] for g in ownable)

    wrong = []
    for model_id, model in DATA.models.items():
        runs = runs_of(model, ownable)
        for (gpu_id, precision, kv), got in zip(
            runs, page.evaluate(RUN, [model_id, runs]), strict=True
        ):
            want = expected(model, DATA.gpus[gpu_id], precision, kv, form)
            notes = " ".join(got["notes"])
            seen = {
                "summary": re.sub(r".*(The model needs)", r"\1", got["summary"]),
                "ctx": got["ctx"],
                "hw": float(got["hw"]),
                "row": got["row"][1:],
                **{
                    key: want[key] if want[key] in notes else notes
                    for key in ("note", "capacity")
                    if key in want
                },
            }
            mismatched = {key: (seen[key], want[key]) for key in want if seen[key] != want[key]}
            assert got["shows"] is not None
            if mismatched:
                wrong.append((model_id, gpu_id, precision, kv, mismatched))
    assert wrong == [], wrong[:10]
