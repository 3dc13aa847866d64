"""The plain, frozen records of Spanvero's data: models, GPUs and dated prices."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass


@dataclass(frozen=True)
class Checkpoint:
    """A natively quantized release (gpt-oss in MXFP4, DeepSeek-V3 in FP8): its format and, when
    published, its size. Without `file_gb` the release is sized by its format's bits-per-weight
    rule (FP8: 8 bits), which needs a format that has one."""

    format: str
    file_gb: float | None
    source: str


@dataclass(frozen=True)
class Model:
    """An open model from content/models/<id>.yaml: its architecture and where that came from."""

    id: str
    source_file: str
    name: str
    developer: str
    params_b: float
    active_params_b: float
    attention: str
    layers: int
    attention_heads: int
    kv_heads: int
    head_dim: int
    context_length: int
    license: str
    license_url: str
    released: dt.date
    source: str
    card: str
    as_of: dt.date
    repo_base: str | None = None
    repo_instruct: str | None = None
    experts: int | None = None
    experts_per_token: int | None = None
    sliding_window: int | None = None
    sliding_window_layers: int = 0
    kv_lora_rank: int | None = None
    rope_head_dim: int | None = None
    gguf_q4_k_m_gb: float | None = None
    gguf_source: str | None = None
    checkpoint: Checkpoint | None = None
    notes: str = ""
    notes_line: int = 1

    @property
    def is_moe(self) -> bool:
        return self.experts is not None

    @property
    def url(self) -> str:
        return f"/models/{self.id}/"


@dataclass(frozen=True)
class HardwarePrice:
    """A dated price for owning a GPU: what it buys (a card, a server) and how many GPUs that is."""

    usd: float
    kind: str
    date: dt.date
    source: str
    buys: str
    gpus: int = 1


@dataclass(frozen=True)
class Gpu:
    """A GPU or unified-memory machine from content/data/gpus.yaml; memory in GiB (2^30 bytes)."""

    id: str
    name: str
    kind: str
    vram_gib: float
    bandwidth_gbps: float
    power_w: float
    usable_fraction: float
    source: str
    as_of: dt.date
    price: HardwarePrice | None = None
    # Dense 16-bit (FP16/BF16) tensor TFLOPS, without sparsity, from the vendor's datasheet;
    # None where no confirmed figure is on file (no compute ceiling is applied then).
    tflops_bf16: float | None = None
    # Dense FP8 tensor TFLOPS, likewise; only for GPUs with FP8 tensor cores (FP8 weights run
    # at the 16-bit rate elsewhere).
    tflops_fp8: float | None = None

    @property
    def usable_gib(self) -> float:
        """Memory a model may use: all of a GPU's, a share of a Mac's unified memory."""
        return self.vram_gib * self.usable_fraction

    @property
    def price_usd(self) -> float | None:
        """What one GPU costs to own: the dated price divided by the GPUs it buys."""
        return self.price.usd / self.price.gpus if self.price else None

    @property
    def ownable(self) -> bool:
        """Whether it can be the reader's own hardware: only with a dated price to count.

        A GPU with no public price (most datacenter cards) can only be rented; counting it as
        owned would make its hardware free (E715 keeps it out of every "yours" choice)."""
        return self.price is not None


@dataclass(frozen=True)
class Observation:
    """One dated, sourced price reading; a price's history is a list of these, oldest first.

    `recorded` is the day the reading was written into the log, when that was after `as_of`
    (a backfill, a late entry, a correction): the weekly index dates what it shows by when it
    was known, not only by when the price held. `available` is False when the source lists the
    offer as not to be had; `ended` is the day it was withdrawn for good (a retired API model),
    and an observation with `ended` is never available. `values` are then its last price.
    """

    as_of: dt.date
    values: tuple[tuple[str, float], ...]
    source: str
    note: str = ""
    available: bool = True
    recorded: dt.date | None = None
    ended: dt.date | None = None

    def value(self, key: str) -> float | None:
        return dict(self.values).get(key)

    @property
    def known_from(self) -> dt.date:
        """The first day the log held this reading."""
        return self.recorded if self.recorded is not None else self.as_of


class _Offer:
    """What rental and API offers share: a price history, read at its newest observation.

    Not a dataclass, so its annotations add no field: each offer declares `history` and
    `stale` among its own fields, in its own order. `stale` is parse_prices' answer, on the
    build's day, to whether the newest price is past checks.max_price_age_days (W707): every
    reader of an offer takes it from here, so none can price an offer another calls out of date.
    """

    history: tuple[Observation, ...]
    stale: bool

    @property
    def current(self) -> Observation:
        return self.history[-1]

    @property
    def available(self) -> bool:
        return self.current.available

    @property
    def ended(self) -> dt.date | None:
        """The day the offer was withdrawn for good, when its newest observation says so."""
        return self.current.ended

    @property
    def status(self) -> str:
        """'ok'; 'unavailable' (its source lists it so); or 'stale'. Only an 'ok' offer is ever
        chosen as the cheapest or used for a break-even (costs.py, calculator.js, the advisor);
        the others are shown with the reason."""
        if not self.available:
            return "unavailable"
        return "stale" if self.stale else "ok"


@dataclass(frozen=True)
class RentalPrice(_Offer):
    """What one provider charges per hour for one GPU, in one tier, over time."""

    gpu: str
    provider: str
    provider_name: str
    tier: str
    history: tuple[Observation, ...]
    gpus: int = 1
    instance: str | None = None
    stale: bool = False

    @property
    def usd_per_hour(self) -> float:
        """The newest price of one GPU-hour; the whole instance costs `gpus` times this."""
        return self.current.values[0][1]

    @property
    def unit(self) -> str | None:
        """The machine the offer is only rented as, in words ('8 GPUs rented whole as
        p5.48xlarge'), or None when GPUs are rented one at a time. Two offers of one GPU at
        one provider and tier differ only here (Lambda's 1-GPU and 8-GPU H100), so whatever
        lists offers side by side shows it, through `label` or beside the tier."""
        if self.gpus == 1:
            return None
        return f"{self.gpus} GPUs rented whole" + (f" as {self.instance}" if self.instance else "")

    def label(self, gpu_name: str) -> str:
        """The offer's one name among all others (the price log's changes, histories and
        ended offers, its emails and feed, `prices stale`): distinct for distinct offers."""
        unit = f", {self.unit}" if self.unit else ""
        return f"{self.provider_name}: {gpu_name} ({self.tier}{unit})"


@dataclass(frozen=True)
class ApiPrice(_Offer):
    """What one provider charges per million tokens for one model, over time."""

    model: str
    provider: str
    provider_name: str
    serving: str | None
    history: tuple[Observation, ...]
    stale: bool = False

    def label(self, model_name: str) -> str:
        """The offer's one name among all others, with the variant the host serves (fp8) as
        the price log's tables show it."""
        serving = f" ({self.serving})" if self.serving else ""
        return f"{self.provider_name}{serving}: {model_name}"


@dataclass(frozen=True)
class Electricity:
    """The default electricity price, with its source."""

    usd_per_kwh: float
    source: str
    as_of: dt.date


@dataclass(frozen=True)
class Prices:
    """Everything in content/data/prices.yaml, validated.

    `rental` and `api` are the offers still listed (available or not at the moment); offers
    whose newest observation says they `ended` are apart, in `ended_rental` and `ended_api`,
    so that whatever lists offers cannot show a withdrawn one as on sale by forgetting to
    check: only the price log reads the ended ones, to show their history and when they ended.
    """

    electricity: Electricity | None
    rental: tuple[RentalPrice, ...]
    api: tuple[ApiPrice, ...]
    ended_rental: tuple[RentalPrice, ...] = ()
    ended_api: tuple[ApiPrice, ...] = ()

    def __post_init__(self) -> None:
        listed: tuple[RentalPrice | ApiPrice, ...] = (*self.rental, *self.api)
        ended: tuple[RentalPrice | ApiPrice, ...] = (*self.ended_rental, *self.ended_api)
        if any(p.ended for p in listed):
            raise ValueError("an ended offer belongs in ended_rental or ended_api")
        if not all(p.ended for p in ended):
            raise ValueError("ended_rental and ended_api hold only ended offers")


@dataclass(frozen=True)
class Measurement:
    """One published decode-speed measurement from content/data/measurements.yaml.

    tokens_per_second is output tokens per second summed over all `concurrency` sequences, on
    `gpus` identical GPUs. `measures` says what the clock covered: 'decode' (generation only)
    or 'end-to-end' (the whole run, reading each request's `prompt_tokens` included).
    `excluded` is why a point is shown but not used to fit or test the bands.
    """

    id: str
    model: str
    gpu: str
    gpus: int
    precision: str
    engine: str
    context: int
    concurrency: int
    tokens_per_second: float
    source: str
    as_of: dt.date
    note: str = ""
    measures: str = "decode"
    prompt_tokens: int = 0
    excluded: str = ""
