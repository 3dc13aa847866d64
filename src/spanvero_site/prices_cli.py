"""`spanvero prices add` and `spanvero prices stale`: keeping the price log day by day.

`add` records one observation in content/data/prices.yaml (see data/pricelog.py for how the
rest of the file is kept byte for byte); `stale` lists what to look up again today: the offers
in prices.yaml and the GPUs' street and list prices in content/data/gpus.yaml.
"""

from __future__ import annotations

import argparse
import datetime as dt
import math
from pathlib import Path
from typing import Any

from spanvero_site.core.config import load_config
from spanvero_site.core.dates import build_date, parse_day
from spanvero_site.core.diagnostics import Diagnostics, annotation
from spanvero_site.core.formatting import signed_percent
from spanvero_site.core.sources import (
    DataFile,
    decode,
    normalise,
    parse_data_file,
    read_bytes,
    read_data_file,
)
from spanvero_site.data.catalog import GPUS_PATH, Catalog, load_catalog
from spanvero_site.data.pricelog import (
    Addition,
    Planned,
    Refused,
    Stale,
    plan_addition,
    stale_hardware,
    stale_offers,
)
from spanvero_site.data.prices import PRICES_PATH, TIERS, parse_prices
from spanvero_site.reporting import Stopped, report, repository_prefix
from spanvero_site.stopped import UsageError
from spanvero_site.terminal import printable, say

EXIT_OK, EXIT_CONTENT = 0, 1
_FIELD_LABELS = {
    "usd_per_hour": "per GPU-hour",
    "usd_per_mtok_input": "input, per 1M tokens",
    "usd_per_mtok_output": "output, per 1M tokens",
    "usd_per_mtok_cached_input": "cached input, per 1M tokens",
    "usd_per_kwh": "per kWh",
}


def add_parser(commands: Any, parser_class: type[argparse.ArgumentParser]) -> None:
    """Add `prices add {rental,api,electricity}` and `prices stale` to the command line."""
    prices = commands.add_parser("prices", help="record a price observation, or list stale ones")
    actions = prices.add_subparsers(dest="prices_command", required=True, parser_class=parser_class)
    add = actions.add_parser("add", help="record one dated, sourced price observation")
    kinds = add.add_subparsers(dest="kind", required=True, parser_class=parser_class)
    rental = kinds.add_parser("rental", help="a GPU rental price per GPU-hour")
    rental.add_argument("--gpu", required=True, metavar="ID", help="a gpus.yaml id")
    rental.add_argument("--provider", required=True, metavar="ID", help="e.g. runpod")
    rental.add_argument("--tier", required=True, choices=TIERS)
    rental.add_argument(
        "--gpus",
        type=int,
        metavar="N",
        help="the offer's unit, when the provider has 1- and 8-GPU offers",
    )
    rental.add_argument(
        "--usd-per-hour", type=_price, required=True, metavar="USD", help="one GPU-hour"
    )
    api = kinds.add_parser("api", help="an API price per 1M tokens")
    api.add_argument("--model", required=True, metavar="ID", help="a model id, e.g. qwen3-32b")
    api.add_argument("--provider", required=True, metavar="ID", help="e.g. together")
    for name, required in (("input", True), ("output", True), ("cached-input", False)):
        api.add_argument(
            f"--usd-per-mtok-{name}",
            type=_price,
            required=required,
            metavar="USD",
            help=f"{name.replace('-', ' ')} price per 1M tokens",
        )
    electricity = kinds.add_parser("electricity", help="the default electricity price")
    electricity.add_argument("--usd-per-kwh", type=_price, required=True, metavar="USD")
    for sub in (rental, api, electricity):
        sub.add_argument(
            "--as-of", type=_date, required=True, metavar="DATE", help="YYYY-MM-DD it held"
        )
        sub.add_argument(
            "--source", required=True, metavar="URL", help="the provider's or publisher's page"
        )
        if sub is not electricity:
            sub.add_argument("--note", default="", metavar="TEXT", help="where and how it was read")
            sub.add_argument(
                "--unavailable", action="store_true", help="the source lists it as unavailable"
            )
            sub.add_argument(
                "--ended",
                type=_date,
                metavar="DATE",
                help="YYYY-MM-DD the offer was withdrawn for good (implies --unavailable)",
            )
            sub.add_argument(
                "--backfill",
                action="store_true",
                help="allow a date older than the newest observation (inserted in date order)",
            )
            sub.add_argument(
                "--checked-move",
                action="store_true",
                help="the price really moved more than 4 times since the last observation",
            )
        sub.add_argument("--dry-run", action="store_true", help="show the change, write nothing")
    stale = actions.add_parser(
        "stale", help="offers and GPU street or list prices whose newest observation is too old"
    )
    stale.add_argument(
        "--older-than",
        type=_days,
        metavar="DAYS",
        help="the age limit (default: checks.max_price_age_days in site.yaml)",
    )
    stale.add_argument(
        "--format",
        choices=("text", "json", "github"),
        default="text",
        help="text (default), json, or github: GitHub Actions annotations",
    )


def run(root: Path, args: argparse.Namespace) -> int:
    """Run `prices add` or `prices stale`; return the exit code. A problem in the files they
    read (site.yaml, prices.yaml, gpus.yaml) is a diagnostic, reported in the format asked for;
    one that leaves nothing to work with stops the command (`Stopped`)."""
    if not (root / PRICES_PATH).is_file():
        raise UsageError(f"no {PRICES_PATH} in {root}")
    diags = Diagnostics()
    config = load_config(root, diags)
    data = read_bytes(root, PRICES_PATH, diags)
    text = decode(data, PRICES_PATH, diags) if data is not None else None  # its own line breaks
    today = build_date()
    file = (
        parse_data_file(PRICES_PATH, normalise(text), diags, today=today)
        if text is not None
        else None
    )
    if config is None or text is None or file is None:
        adding = args.prices_command == "add"
        raise Stopped(diags.items, "refused: nothing written" if adding else "failed")
    max_age = config.checks.max_price_age_days
    found = Diagnostics()
    catalog = load_catalog(root, found, today, max_age)
    if args.prices_command == "add":
        # The catalogue's own problems do not touch the addition, which is checked against the
        # build's rules with and without it; ids of records that failed are not called unknown.
        return _add(root / PRICES_PATH, text, args, catalog, today, max_age)
    diags.extend(found.errors)  # a GPU that failed is not listed: say why
    names = {
        **{g.id: g.name for g in catalog.gpus.values()},
        **{m.id: m.name for m in catalog.models.values()},
    }
    limit = max_age if args.older_than is None else args.older_than
    hardware = _stale_hardware(root, catalog, today, limit)
    return _stale(root, file, args.format, catalog, names, (today, max_age, limit), hardware, diags)


def _stale_hardware(root: Path, catalog: Catalog, today: dt.date, limit: int) -> list[Stale]:
    """The GPUs' street and list prices older than `limit` days, from gpus.yaml."""
    file = read_data_file(root, GPUS_PATH, Diagnostics(), today=None)  # only its lines are read
    if file is None:
        return []  # reported with the catalogue's errors; its GPUs are not in the catalogue
    return stale_hardware(catalog.gpus, file.source.locate, file.data, today, limit)


def _add(
    path: Path,
    text: str,
    args: argparse.Namespace,
    catalog: Catalog,
    today: dt.date,
    max_age: int,
) -> int:
    addition = _addition(args)
    plan = plan_addition(text, addition, catalog.gpu_ids(), catalog.model_ids(), today, max_age)
    if isinstance(plan, Refused):
        refused = Diagnostics()
        refused.error("E740", plan.message, PRICES_PATH, plan.line or 1, 1, plan.hint)
        refused.extend(plan.diagnostics)
        raise Stopped(refused.items, "refused: nothing written")
    if not args.dry_run:
        path.write_bytes(plan.text.encode("utf-8"))
    _print_plan(plan, addition, args.dry_run)
    return EXIT_OK


def _addition(args: argparse.Namespace) -> Addition:
    values: tuple[tuple[str, float], ...]
    if args.kind == "rental":
        offer: dict[str, str | int] = {"gpu": args.gpu, "provider": args.provider}
        offer["tier"] = args.tier
        if args.gpus is not None:
            offer["gpus"] = args.gpus
        values = (("usd_per_hour", args.usd_per_hour),)
    elif args.kind == "api":
        offer = {"model": args.model, "provider": args.provider}
        values = (
            ("usd_per_mtok_input", args.usd_per_mtok_input),
            ("usd_per_mtok_output", args.usd_per_mtok_output),
        )
        if args.usd_per_mtok_cached_input is not None:
            values += (("usd_per_mtok_cached_input", args.usd_per_mtok_cached_input),)
    else:
        offer, values = {}, (("usd_per_kwh", args.usd_per_kwh),)
    return Addition(
        args.kind,
        offer,
        args.as_of,
        values,
        args.source,
        note=getattr(args, "note", ""),
        available=not (getattr(args, "unavailable", False) or getattr(args, "ended", None)),
        ended=getattr(args, "ended", None),
        backfill=getattr(args, "backfill", False),
        checked_move=getattr(args, "checked_move", False),
    )


def _print_plan(plan: Planned, addition: Addition, dry_run: bool) -> None:
    verb = "would change" if dry_run else "changed"
    what = "the electricity price" if addition.kind == "electricity" else printable(plan.label)
    say(f"{PRICES_PATH}:{plan.line}: {verb} {what}: new observation on {addition.as_of}")
    for key, new in addition.values:
        old = plan.previous.value(key) if plan.previous else None
        move = f"{_number(old)} → {_number(new)}" if old is not None else f"{_number(new)} (new)"
        if old:
            move += (
                f" ({signed_percent((new - old) / old * 100, 0)})" if new != old else " (unchanged)"
            )
        since = f" since {plan.previous.as_of}" if plan.previous and old is not None else ""
        say(f"  {key} ({_FIELD_LABELS[key]}): {move}{since}")
    if addition.ended:
        say(f"  ended on {addition.ended}: listed from now on only in the price log")
    for line in plan.removed:
        say(f"- {printable(line)}")
    for line in plan.added:
        say(f"+ {printable(line)}")
    for reminder in plan.reminders:
        say(f"  note: {printable(reminder)}")


def _stale(
    root: Path,
    file: DataFile,
    output: str,
    catalog: Catalog,
    names: dict[str, str],
    dates: tuple[dt.date, int, int],
    hardware: list[Stale],
    diags: Diagnostics,
) -> int:
    """List the stale prices and report the problems found on the way, in `output`'s format;
    exit code 1 when there were errors (what they touch is left out of the list)."""
    today, max_age, limit = dates
    prices = parse_prices(file, diags, catalog.gpu_ids(), catalog.model_ids(), today, max_age)
    found = sorted(
        stale_offers(prices, names, file.source.locate, file.data, today, limit) + hardware,
        key=lambda s: (s.as_of, s.path, s.line),
    )
    errors = diags.errors
    # A label and a source URL are the data files' text: a line break or a tab in one is shown
    # escaped, so each price stays the two lines (one annotation) that tools read.
    if output == "github":
        prefix = repository_prefix(root)
        for s in found:
            said = f"{s.as_of} ({s.age_days} days) {s.kind} {printable(s.label)}"
            message = f"{said}\n{printable(s.source)}"
            say(annotation("notice", prefix + s.path, s.line, 1, "stale price", message))
    elif output == "text":
        for s in found:
            where = f"{printable(s.path)}:{s.line}"
            said = f"{s.as_of} ({s.age_days} days) {s.kind} {printable(s.label)}"
            say(f"{where}: {said}\n  {printable(s.source)}")
    counted = f"{len(found)} price{'s' if len(found) != 1 else ''}" if found else "no price"
    order = ", oldest first" if len(found) > 1 else ""
    left_out = "; what the errors above touch is left out" if errors else ""
    exit_code = EXIT_CONTENT if errors else EXIT_OK
    summary = {
        "command": "prices stale",
        "ok": not errors,
        "status": "failed" if errors else "ok",
        "exit_code": exit_code,
        "errors": len(errors),
    }
    stale = [
        {
            "kind": s.kind,
            **s.offer,
            "label": s.label,
            "as_of": s.as_of.isoformat(),
            "age_days": s.age_days,
            "source": s.source,
            "path": s.path,
            "line": s.line,
        }
        for s in found
    ]
    report(
        output,
        errors,
        summary,
        f"spanvero prices stale: {counted} last observed more than {limit} days before "
        f"{today}{order}{left_out}",
        {"today": today.isoformat(), "older_than_days": limit, "stale": stale},
        repository_prefix(root) if output == "github" else "",
    )
    return exit_code


def _price(text: str) -> float:
    """A price as typed: a finite number (its sign is the build's check, E708)."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if not math.isfinite(value):
        raise argparse.ArgumentTypeError(f"not a finite number: {text!r}")
    return value


def _days(text: str) -> int:
    """An age limit as typed: a whole number of days, 0 or more."""
    try:
        days = int(text)
    except ValueError:
        days = -1
    if days < 0:
        raise argparse.ArgumentTypeError(f"not a number of days (0 or more): {text!r}")
    return days


def _date(text: str) -> dt.date:
    try:
        return parse_day(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {text!r}: {exc}") from None


def _number(value: float) -> str:
    return f"{value:g}"
