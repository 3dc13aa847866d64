"""Every figure /models/ shows, for every model and every GPU, against a hand computation.

tests/by_hand.py works the numbers out from the YAML files by DOMAIN.md's formulas, without
the site's code; these tests read them off the built pages: each model page's memory table,
KV-cache sentence, memory-by-context table, speed table and fine-tuning table, and the /models/
table. (tests/browser/test_calculator_by_hand.py does the same for the calculator.)
"""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

from tests import by_hand
from tests.conftest import REPO

DATA = by_hand.load(REPO)
TABLE_PRECISIONS = ("bf16", "int8", "q8_0", "q6_k", "q4_k_m")
SPEED_PRECISIONS = ("q4_k_m", "q8_0", "bf16")
NO_SETUP = "None listed: more than 8 of any GPU"


class _Tables(HTMLParser):
    """Each table's rows of cell texts, by the table's id or its region's aria-labelledby."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tables: dict[str, list[list[str]]] = {}
        self._label = ""
        self._rows: list[list[str]] | None = None
        self._cell: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "div" and found.get("aria-labelledby"):
            self._label = found["aria-labelledby"] or ""
        elif tag == "table":
            self._rows = self.tables.setdefault(found.get("id") or self._label, [])
        elif tag == "tr" and self._rows is not None:
            self._rows.append([])
        elif tag in ("td", "th") and self._rows is not None:
            self._cell = []

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th") and self._cell is not None and self._rows is not None:
            self._rows[-1].append(" ".join("".join(self._cell).split()))
            self._cell = None
        elif tag == "table":
            self._rows = None

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)


def tables(path: Path) -> dict[str, list[list[str]]]:
    parser = _Tables()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser.tables


def tokens(text: str) -> int:
    unit = {"K": 1024, "M": 1024 * 1024}.get(text[-1], 1)
    return int(text.rstrip("KM").replace(",", "")) * unit


def precisions(model: dict[str, Any]) -> list[str]:
    """The memory table's rows: a native release not in the table first, then the table's."""
    release = model.get("checkpoint", {}).get("format")
    return ([release] if release and release not in TABLE_PRECISIONS else []) + list(
        TABLE_PRECISIONS
    )


@pytest.mark.parametrize("model_id", sorted(DATA.models))
def test_a_model_pages_figures_are_the_hand_computed_ones(
    shipped_site: Path, model_id: str
) -> None:
    model = DATA.models[model_id]
    at = by_hand.context(model)
    page = shipped_site / "models" / model_id / "index.html"
    text = " ".join(html.unescape(page.read_text(encoding="utf-8")).split())
    found = tables(page)
    assert "(10% plus 0.5 GiB per GPU)" in text

    want = []
    for precision in precisions(model):
        setup = by_hand.smallest_setup(DATA, model, precision)
        want.append(
            [
                by_hand.gib(by_hand.weights_gib(model, precision)),
                by_hand.gib(by_hand.total_gib(model, precision, at)),
                by_hand.setup_text(setup, NO_SETUP),
            ]
        )
    assert [row[2:] for row in found["memory"][1:]] == want
    four_bit = by_hand.total_gib(model, "q4_k_m", at)
    assert f"At 4-bit it needs about {by_hand.gib(four_bit)} with" in text

    per_token = by_hand.kv_bytes(model, 1)
    kib = f"{per_token / 1024:,.1f}" if per_token % 1024 else f"{per_token / 1024:,.0f}"
    assert f"{kib} KiB per token at 16-bit" in text
    assert f"{by_hand.gib(by_hand.kv_bytes(model, 1000) / by_hand.GIB)} per 1,000 tokens" in text
    full = by_hand.kv_bytes(model, model["context_length"]) / by_hand.GIB
    assert f"and {by_hand.gib(full)} at the full" in text
    if at < model["context_length"]:
        assert f"{by_hand.gib(by_hand.kv_bytes(model, at) / by_hand.GIB)} at " in text

    curve = found["memory-curve-caption"][1:]
    assert curve, "the memory-by-context table is empty"
    for row in curve:
        length = tokens(row[0])
        assert length <= model["context_length"], row
        assert row[1:] == [
            by_hand.gib(by_hand.total_gib(model, p, length)) for p in ("q4_k_m", "bf16")
        ], row

    speeds = []
    for gpu in by_hand.by_size(DATA):
        cells = [
            by_hand.rate(*by_hand.speed_range(model, p, gpu, at))
            if by_hand.fits(model, p, at, gpu)
            else "does not fit"
            for p in SPEED_PRECISIONS
        ]
        if any(cell != "does not fit" for cell in cells):
            speeds.append([gpu["name"], by_hand.gib(by_hand.usable_gib(gpu)), *cells])
    assert found.get("speed", [[]])[1:] == speeds
    if speeds:
        low, high = by_hand.BANDS[by_hand.is_moe(model)]
        assert f"{round(low * 100)}–{round(high * 100)}% of the memory-bandwidth ceiling" in text
    else:
        assert "No single GPU we list fits it, even at 4-bit" in text

    params = model["params_b"] * 1e9
    full_ft = params * 16 / by_hand.GIB
    lora = [params * 2 / by_hand.GIB * f for f in (1.15, 1.35)]
    nf4 = params * 4.5 / 8 / by_hand.GIB
    qlora = [nf4 * 1.05 + 1.0, nf4 * 1.2 + 1.5]
    needs = (full_ft, lora[1], qlora[1])
    smallest = [
        next((g["name"] for g in by_hand.by_size(DATA) if need <= by_hand.usable_gib(g)), None)
        or "None listed: several GPUs"
        for need in needs
    ]
    assert [row[1:] for row in found["fine-tuning"][1:]] == [
        [f"{by_hand.gib(full_ft)} + activations", smallest[0]],
        [f"{by_hand.gib(lora[0])}–{by_hand.gib(lora[1])}", smallest[1]],
        [f"{by_hand.gib(qlora[0])}–{by_hand.gib(qlora[1])}", smallest[2]],
    ]


def test_the_models_table_is_the_hand_computed_one(shipped_site: Path) -> None:
    rows = tables(shipped_site / "models" / "index.html")["model-table"][1:]
    by_name = {m["name"]: m for m in DATA.models.values()}
    assert sorted(row[0] for row in rows) == sorted(by_name)
    for row in rows:
        model = by_name[row[0]]
        at = by_hand.context(model)
        suffix = f" (at {at // 1024}K)" if at < by_hand.DEFAULT_CONTEXT else ""
        setup = by_hand.smallest_setup(DATA, model, "q4_k_m")
        assert [row[1], row[2], row[4]] == [
            by_hand.gib(by_hand.total_gib(model, "q4_k_m", at)) + suffix,
            by_hand.setup_text(setup, NO_SETUP),
            by_hand.gib(by_hand.total_gib(model, "bf16", at)) + suffix,
        ], model["id"]


def test_the_models_filter_by_gpu_is_the_hand_computed_fit(shipped_site: Path) -> None:
    """ "Fits at 4-bit on" a GPU compares each row's data-q4 with the option's data-usable-gib:
    both must say what the hand computation says, for every model and GPU."""
    page = (shipped_site / "models" / "index.html").read_text(encoding="utf-8")
    usable = {
        gpu: float(value)
        for gpu, value in re.findall(r'<option value="([^"]+)" data-usable-gib="([^"]+)"', page)
    }
    q4 = {
        html.unescape(name): float(value)
        for value, name in re.findall(r'data-q4="([^"]+)">\s*<th[^>]*><a [^>]*>([^<]+)</a>', page)
    }
    assert sorted(usable) == sorted(DATA.gpus) and len(q4) == len(DATA.models)
    for model in DATA.models.values():
        for gpu in DATA.gpus.values():
            assert (q4[model["name"]] <= usable[gpu["id"]]) == by_hand.fits(
                model, "q4_k_m", by_hand.context(model), gpu
            ), (model["id"], gpu["id"])
