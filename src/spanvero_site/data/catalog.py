"""Read and validate the data behind /models/ and /calculator/: models and GPUs.

Each file is checked against its schema and against the rules of ../shared/DOMAIN.md (active
parameters within total, KV heads dividing heads, the attention fields each kind needs, published
GGUF sizes agreeing with the formula), every problem reported at its file:line.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from spanvero_site.core.dates import age_days, too_old
from spanvero_site.core.diagnostics import Diagnostics
from spanvero_site.core.guard import processing
from spanvero_site.core.pages import Unusable
from spanvero_site.core.refs import Known
from spanvero_site.core.schema import SLUG, Field, check
from spanvero_site.core.sources import DataFile, read_data_file
from spanvero_site.data import costs
from spanvero_site.data.records import Checkpoint, Gpu, HardwarePrice, Model

MODELS_DIR = "content/models"
GPUS_PATH = "content/data/gpus.yaml"
ATTENTION_KINDS = ("full", "gqa", "sliding-window", "mla")
GPU_KINDS = ("consumer", "datacenter", "apple")
GGUF_TOLERANCE = 0.10
CHECKPOINT_FORMATS = ("mxfp4", "fp8")
PRICE_KINDS = ("launch-msrp", "street", "list")

_SOURCED = {"source": Field("url", required=True), "file_gb": Field("positive", required=True)}
_CHECKPOINT = {
    "format": Field("str", required=True, choices=CHECKPOINT_FORMATS, example="mxfp4"),
    "file_gb": Field("positive", example="65.3"),
    "source": Field("url", required=True, example="https://huggingface.co/openai/gpt-oss-120b"),
}
MODEL_SCHEMA: dict[str, Field] = {
    "id": Field("str", required=True, example="llama-3-1-8b"),
    "name": Field("str", required=True, example="Llama 3.1 8B"),
    "developer": Field("str", required=True, example="Meta"),
    "params_b": Field("positive", required=True, example="8.03"),
    "active_params_b": Field("positive", example="12.9"),
    "experts": Field("count", example="8"),
    "experts_per_token": Field("count", example="2"),
    "attention": Field("str", required=True, choices=ATTENTION_KINDS, example="gqa"),
    "layers": Field("count", required=True, example="32"),
    "attention_heads": Field("count", required=True, example="32"),
    "kv_heads": Field("count", required=True, example="8"),
    "head_dim": Field("count", required=True, example="128"),
    "sliding_window": Field("count", example="4096"),
    "sliding_window_layers": Field("count", example="21"),
    "kv_lora_rank": Field("count", example="512"),
    "rope_head_dim": Field("count", example="64"),
    "context_length": Field("count", required=True, example="131072"),
    "license": Field("str", required=True, example="Apache License 2.0"),
    "license_url": Field("url", required=True, example="https://..."),
    "released": Field("date", required=True, example="2024-07-23"),
    "repos": Field("mapping", schema={"base": Field("str"), "instruct": Field("str")}),
    "gguf_q4_k_m": Field("mapping", schema=_SOURCED),
    "checkpoint": Field("mapping", schema=_CHECKPOINT),
    "source": Field("url", required=True, example="https://huggingface.co/.../config.json"),
    "card": Field("url", required=True, example="https://huggingface.co/..."),
    "as_of": Field("date", required=True, example="2026-11-28"),
    "notes": Field("str"),
}
_PRICE = {
    "usd": Field("non_negative", required=True, example="1599"),
    "kind": Field("str", required=True, choices=PRICE_KINDS, example="street"),
    "date": Field("date", required=True, example="2022-10-12"),
    "source": Field("url", required=True, example="https://..."),
    "buys": Field("str", example="one PCIe card"),
    "gpus": Field("int", example="1"),
}
GPU_SCHEMA: dict[str, Field] = {
    "id": Field("slug", required=True, example="rtx-4090"),
    "name": Field("str", required=True, example="NVIDIA GeForce RTX 4090"),
    "kind": Field("str", required=True, choices=GPU_KINDS, example="consumer"),
    "vram_gib": Field("positive", required=True, example="24"),
    "bandwidth_gbps": Field("positive", required=True, example="1008"),
    "power_w": Field("positive", required=True, example="450"),
    "usable_fraction": Field("fraction", example="0.75"),
    "tflops_bf16": Field("positive", example="989.4"),
    "tflops_fp8": Field("positive", example="1978.9"),
    "price": Field("mapping", schema=_PRICE),
    "source": Field("url", required=True, example="https://..."),
    "as_of": Field("date", required=True, example="2026-11-28"),
}


@dataclass(frozen=True)
class Catalog:
    """Every model and GPU, by id, in a stable order, and those that failed to load.

    `unusable` are the model files that failed (as `models/<id>`, the page graph's ids);
    `failed_gpus` the GPU records of gpus.yaml that failed, and `unreadable_gpus` names
    gpus.yaml when it failed before its ids could be read (it does not parse, or a record has
    no readable id). Data that names a model or GPU checks it against `model_ids` and
    `gpu_ids`, so a reference to one that failed adds no second error.
    """

    models: Mapping[str, Model]
    gpus: Mapping[str, Gpu]
    unusable: tuple[Unusable, ...] = ()
    failed_gpus: tuple[Unusable, ...] = ()
    unreadable_gpus: tuple[str, ...] = ()

    def failed(self) -> bool:
        """Whether any model or GPU failed to load (each reported at its source)."""
        return bool(self.unusable or self.failed_gpus or self.unreadable_gpus)

    def first_failure(self) -> str:
        """The source whose failure left no model (else no GPU) to use: the cause to name when
        something cannot be made without them. Only asked when `failed()`."""
        gpus = (*self.unreadable_gpus, *(u.source for u in self.failed_gpus))
        models = tuple(u.source for u in self.unusable)
        return (*(models if not self.models else ()), *gpus, *models)[0]

    def model_ids(self) -> Known:
        """The model ids data may name, with the model files that failed to load."""
        failed = (replace(u, id=u.id.removeprefix("models/")) for u in self.unusable)
        return Known.of(self.models, failed)

    def gpu_ids(self) -> Known:
        """The GPU ids data may name, with the records of gpus.yaml that failed to load."""
        return Known.of(self.gpus, self.failed_gpus, self.unreadable_gpus)


@dataclass(frozen=True)
class ParsedGpus:
    """What gpus.yaml gave: the valid GPUs, the records that failed (with a readable id), and
    whether some record failed before its id could be read."""

    gpus: dict[str, Gpu]
    failed: tuple[Unusable, ...] = ()
    unreadable: bool = False


def load_catalog(root: Path, diags: Diagnostics, today: dt.date, max_age_days: int) -> Catalog:
    """Load content/models/*.yaml and content/data/gpus.yaml; report every problem."""
    models: dict[str, Model] = {}
    unusable: list[Unusable] = []
    folder = root / MODELS_DIR
    for path in sorted(folder.glob("*.yaml")) if folder.is_dir() else ():
        rel = path.relative_to(root).as_posix()
        file = read_data_file(root, rel, diags, today=today)
        with processing(rel):
            model = parse_model(file, diags) if file else None
        if model is None:
            unusable.append(Unusable(f"models/{path.stem}", f"/models/{path.stem}/", rel))
            continue
        if model.id in models:
            line, col = file.source.locate(("id",)) if file else (1, 1)
            diags.error(
                "E303",
                f"duplicate model id '{model.id}' (also in {models[model.id].source_file})",
                rel,
                line,
                col,
                "give every model its own id",
            )
            continue
        models[model.id] = model
    parsed = ParsedGpus({})
    if (root / GPUS_PATH).exists():
        file = read_data_file(root, GPUS_PATH, diags, today=today)
        if file is None:
            parsed = ParsedGpus({}, unreadable=True)
        else:
            with processing(GPUS_PATH):
                parsed = parse_gpus(file, diags, today, max_age_days)
    return Catalog(
        models=dict(sorted(models.items())),
        gpus=parsed.gpus,
        unusable=tuple(unusable),
        failed_gpus=parsed.failed,
        unreadable_gpus=(GPUS_PATH,) if parsed.unreadable else (),
    )


# The hint for a list item that is not a mapping: usually a missing '- ' or indentation.
_MAPPING_ITEM = "write each item of '%s' as '- id: ...' with its other keys indented under it"


def parse_model(file: DataFile, diags: Diagnostics) -> Model | None:
    """Validate one model file; None when it cannot be used."""
    if not isinstance(file.data, dict):
        diags.error(
            "E203",
            "a model file must be a mapping of keys to values",
            file.path,
            1,
            1,
            "write one key and value per line, e.g. 'id: llama-3-1-8b' and 'name: Llama 3.1 8B'",
        )
        return None
    before = diags.error_count
    v = check(file.data, MODEL_SCHEMA, file.source, diags)
    if diags.error_count > before:
        return None
    stem = Path(file.path).stem

    def err(code: str, key: str, message: str, hint: str) -> None:
        file.error(diags, code, message, (key,), hint)

    if v["id"] != stem or not SLUG.match(stem):
        err(
            "E704",
            "id",
            f"id '{v['id']}' does not match the file name '{stem}.yaml'",
            f"use id: {stem}, or rename the file to a slug matching the id",
        )
    if v.get("active_params_b", v["params_b"]) > v["params_b"]:
        err(
            "E701",
            "active_params_b",
            f"active_params_b ({v['active_params_b']}) is larger than params_b ({v['params_b']})",
            "a mixture-of-experts model activates a subset of its parameters per token",
        )
    _check_moe_fields(v, err)
    if v["attention_heads"] % v["kv_heads"] != 0:
        err(
            "E702",
            "kv_heads",
            f"kv_heads ({v['kv_heads']}) does not divide attention_heads ({v['attention_heads']})",
            "copy num_key_value_heads and num_attention_heads from the model's config.json",
        )
    _check_attention_fields(v, err)
    checkpoint = v.get("checkpoint", {})
    if checkpoint.get("format") in costs.NATIVE_FORMATS and "file_gb" not in checkpoint:
        err(
            "E714",
            "checkpoint",
            f"a {checkpoint['format']} release needs checkpoint.file_gb: no bits-per-weight "
            "rule sizes that format",
            "copy the total size of the release's weight files, in decimal GB",
        )
    if checkpoint.get("file_gb", 1) <= 0:
        err(
            "E714",
            "checkpoint",
            f"checkpoint.file_gb must be above zero, not {v['checkpoint']['file_gb']}",
            "copy the total size of the release's weight files, in decimal GB",
        )
    if diags.error_count > before:
        return None
    model = _to_model(file.path, v, file.source.locate(("notes",))[0] + 1)
    if model.gguf_q4_k_m_gb is not None:
        computed = costs.formula_weights_gib(model.params_b, "q4_k_m")
        published = model.gguf_q4_k_m_gb * costs.GB / costs.GIB
        off = computed / published - 1
        if abs(off) > GGUF_TOLERANCE:
            file.error(
                diags,
                "E705",
                f"computed Q4_K_M weights {computed:.2f} GiB differ from the published file "
                f"{model.gguf_q4_k_m_gb:.2f} GB ({published:.2f} GiB) by {off:+.0%} "
                "(more than ±10%)",
                ("gguf_q4_k_m", "file_gb"),
                "check params_b and file_gb against the model card and the GGUF file list",
            )
            return None
    return model


_MOE_FIELDS = ("active_params_b", "experts", "experts_per_token")


def _check_moe_fields(v: dict[str, Any], err: Any) -> None:
    """A mixture-of-experts model states all three MoE fields, a dense model none, and a token
    is routed to no more experts than the model has: the speed model reads the active share
    from these, so one missing or swapped field would misstate every MoE figure."""
    present = [key for key in _MOE_FIELDS if key in v]
    if present and len(present) < len(_MOE_FIELDS):
        missing = [key for key in _MOE_FIELDS if key not in v]
        err(
            "E701",
            present[0],
            "a mixture-of-experts model needs 'active_params_b', 'experts' and "
            f"'experts_per_token'; missing: {', '.join(repr(key) for key in missing)}",
            "add the missing ones from the model's config.json and card, or remove all three "
            "for a dense model",
        )
    elif v.get("experts_per_token", 0) > v.get("experts", 0):
        err(
            "E701",
            "experts_per_token",
            f"experts_per_token ({v['experts_per_token']}) is larger than experts ({v['experts']})",
            "copy num_experts_per_tok and the number of routed experts (n_routed_experts, "
            "num_experts or num_local_experts) from the model's config.json",
        )


def _check_attention_fields(v: dict[str, Any], err: Any) -> None:
    """Each attention kind has the fields its KV formula reads, and values that make the
    formula mean something: a window shorter than the context, on no more layers than exist."""
    kind = v["attention"]
    if kind == "full" and v["kv_heads"] != v["attention_heads"]:
        err(
            "E706",
            "attention",
            "attention 'full' needs kv_heads equal to attention_heads",
            "use attention: gqa when the model shares KV heads",
        )
    if kind == "gqa" and v["kv_heads"] == v["attention_heads"]:
        err(
            "E706",
            "attention",
            "attention 'gqa' needs fewer kv_heads than attention_heads",
            "use attention: full when every head has its own KV head",
        )
    needs = {
        "sliding-window": ("sliding_window", "sliding_window_layers"),
        "mla": ("kv_lora_rank", "rope_head_dim"),
    }
    for key in needs.get(kind, ()):
        if key not in v:
            err(
                "E706",
                "attention",
                f"attention '{kind}' needs '{key}'",
                f"add {key} from config.json: the plain KV formula would misstate this "
                "model's cache",
            )
    for other, keys in needs.items():
        for key in keys:
            if other != kind and key in v:
                err(
                    "E706",
                    key,
                    f"'{key}' only applies to attention '{other}'",
                    f"remove it, or set attention: {other}",
                )
    if kind == "sliding-window" and v.get("sliding_window_layers", 0) > v["layers"]:
        err(
            "E706",
            "sliding_window_layers",
            "sliding_window_layers is larger than layers",
            "count only the layers that use the window",
        )
    if kind == "sliding-window" and v.get("sliding_window", 0) >= v["context_length"]:
        err(
            "E718",
            "sliding_window",
            f"sliding_window ({v['sliding_window']}) is not shorter than context_length "
            f"({v['context_length']}): the window never slides, so its layers cache the whole "
            "context like any other",
            "check sliding_window and use_sliding_window in config.json (Qwen configs name a "
            "window as long as the context or longer, and switch it off); if no layer uses a "
            "shorter window, use attention: gqa or full and remove sliding_window and "
            "sliding_window_layers",
        )


def _to_model(path: str, v: dict[str, Any], notes_line: int) -> Model:
    repos = v.get("repos", {})
    gguf = v.get("gguf_q4_k_m", {})
    checkpoint = v.get("checkpoint")
    return Model(
        id=v["id"],
        source_file=path,
        name=v["name"],
        developer=v["developer"],
        params_b=float(v["params_b"]),
        active_params_b=float(v.get("active_params_b", v["params_b"])),
        attention=v["attention"],
        layers=v["layers"],
        attention_heads=v["attention_heads"],
        kv_heads=v["kv_heads"],
        head_dim=v["head_dim"],
        context_length=v["context_length"],
        license=v["license"],
        license_url=v["license_url"],
        released=v["released"],
        source=v["source"],
        card=v["card"],
        as_of=v["as_of"],
        repo_base=repos.get("base"),
        repo_instruct=repos.get("instruct"),
        experts=v.get("experts"),
        experts_per_token=v.get("experts_per_token"),
        sliding_window=v.get("sliding_window"),
        sliding_window_layers=v.get("sliding_window_layers", 0),
        kv_lora_rank=v.get("kv_lora_rank"),
        rope_head_dim=v.get("rope_head_dim"),
        gguf_q4_k_m_gb=gguf.get("file_gb"),
        gguf_source=gguf.get("source"),
        checkpoint=Checkpoint(
            checkpoint["format"],
            float(checkpoint["file_gb"]) if "file_gb" in checkpoint else None,
            checkpoint["source"],
        )
        if checkpoint
        else None,
        notes=v.get("notes", "").strip(),
        notes_line=notes_line,
    )


def parse_gpus(file: DataFile, diags: Diagnostics, today: dt.date, max_age_days: int) -> ParsedGpus:
    """Validate gpus.yaml; a street price older than `max_age_days` is a warning."""
    entries = file.data.get("gpus") if isinstance(file.data, dict) else None
    if not isinstance(entries, list):
        diags.error(
            "E203",
            "gpus.yaml must have a list under 'gpus:'",
            file.path,
            1,
            1,
            hint="begin with the line 'gpus:' and list each GPU under it ('  - id: rtx-4090')",
        )
        return ParsedGpus({}, unreadable=True)
    gpus: dict[str, Gpu] = {}
    failed: list[Unusable] = []
    unreadable = False
    for index, entry in enumerate(entries):
        at = ("gpus", index)
        if not isinstance(entry, dict):
            file.error(
                diags, "E203", f"'gpus[{index}]' must be a mapping", at, _MAPPING_ITEM % "gpus"
            )
            unreadable = True
            continue
        before = diags.error_count
        v = check(entry, GPU_SCHEMA, file.source, diags, at)
        if diags.error_count > before:
            if isinstance(entry.get("id"), str):
                failed.append(Unusable(entry["id"], "", file.path))
            else:
                unreadable = True
            continue
        if v["id"] in gpus:
            file.error(
                diags,
                "E303",
                f"duplicate GPU id '{v['id']}'",
                (*at, "id"),
                "give every GPU its own id",
            )
            continue
        if ("usable_fraction" in v) != (v["kind"] == "apple"):
            file.error(
                diags,
                "E706",
                "usable_fraction is required for apple machines and only for them",
                (*at, "kind"),
                "about 0.75 of unified memory is usable by the GPU by default",
            )
            failed.append(Unusable(v["id"], "", file.path))
            continue
        # An unusable price is reported and dropped; the GPU stays, so references still resolve.
        price = v.get("price", {}) if _check_gpu_price(file, diags, at, v) else {}
        if price.get("kind") in ("street", "list") and too_old(price["date"], today, max_age_days):
            age = age_days(price["date"], today)
            file.warning(
                diags,
                "W707",
                f"{price['kind']} price of '{v['id']}' is {age} days old "
                f"(checks.max_price_age_days is {max_age_days})",
                (*at, "price", "date"),
                "look the price up again and update usd, date and source",
            )
        gpus[v["id"]] = Gpu(
            id=v["id"],
            name=v["name"],
            kind=v["kind"],
            vram_gib=float(v["vram_gib"]),
            bandwidth_gbps=float(v["bandwidth_gbps"]),
            power_w=float(v["power_w"]),
            usable_fraction=float(v.get("usable_fraction", 1.0)),
            tflops_bf16=float(v["tflops_bf16"]) if "tflops_bf16" in v else None,
            tflops_fp8=float(v["tflops_fp8"]) if "tflops_fp8" in v else None,
            source=v["source"],
            as_of=v["as_of"],
            price=HardwarePrice(
                usd=float(price["usd"]),
                kind=price["kind"],
                date=price["date"],
                source=price["source"],
                buys=price.get("buys", ""),
                gpus=price.get("gpus", 1),
            )
            if price
            else None,
        )
    return ParsedGpus(gpus, tuple(failed), unreadable)


def _check_gpu_price(
    file: DataFile, diags: Diagnostics, at: tuple[str | int, ...], v: dict[str, Any]
) -> bool:
    """A price, where there is one, is above zero, buys at least one GPU and says what it buys;
    False when the price is unusable. A GPU with no price is valid: it can only be rented
    (`Gpu.ownable`), and E715 keeps it out of every choice of the reader's own hardware."""
    price = v.get("price")
    if price is not None and "buys" not in price:
        file.error(
            diags,
            "E713",
            f"the price of GPU '{v['id']}' does not say what it buys",
            (*at, "price"),
            "add buys: what the money buys, in words, and gpus: how many GPUs that is "
            "(for a datacenter card, the card or the smallest server that holds it)",
        )
        return False
    for key in ("usd", "gpus"):
        if price is not None and key in price and price[key] <= 0:
            file.error(
                diags,
                "E714",
                f"price.{key} of '{v['id']}' must be above zero, not {price[key]}",
                (*at, "price", key),
                "usd is what the price buys in US dollars; gpus is how many GPUs that is",
            )
            return False
    return True
