"""The editor's daily price log: plan one new observation in prices.yaml, and list stale prices.

An addition is planned as text: the new observation's lines are inserted into the right history
(or electricity's three values are replaced in place) and every other byte of the file is kept,
comments and layout included. The plan is then proved safe before anyone writes it: the new text
must parse to exactly the old data plus the one observation, and must pass the build's own
checks (`parse_prices`) without any error the old text did not already have.
"""

from __future__ import annotations

import bisect
import copy
import datetime as dt
from collections import Counter
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

import yaml

from spanvero_site.core import yamlsource
from spanvero_site.core.dates import age_days, too_old
from spanvero_site.core.diagnostics import Diagnostic, Diagnostics
from spanvero_site.core.schema import Source
from spanvero_site.core.sources import DataFile
from spanvero_site.data.catalog import GPUS_PATH
from spanvero_site.data.prices import PRICES_PATH, parse_prices
from spanvero_site.data.records import Gpu, Observation, Prices

_Composer: type = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@dataclass(frozen=True)
class Addition:
    """One observation an editor wants recorded.

    `offer` names the history: {gpu, provider, tier[, gpus]} for a rental, {model, provider} for
    an API price, nothing for electricity. `values` are its prices in file order, e.g.
    (("usd_per_hour", 2.99),).
    """

    kind: str  # "rental", "api" or "electricity"
    offer: Mapping[str, str | int]
    as_of: dt.date
    values: tuple[tuple[str, float], ...]
    source: str
    note: str = ""
    available: bool = True
    ended: dt.date | None = None  # withdrawn for good on this day (with available False)
    backfill: bool = False
    checked_move: bool = False  # the price really moved by more than PRICE_MOVE times (W717)
    recorded: dt.date | None = None  # the day it is written, when after as_of (`plan_addition`)


@dataclass(frozen=True)
class Refused:
    """Why an addition was not made: one message at a line of prices.yaml, and what to do."""

    message: str
    hint: str
    line: int = 0
    diagnostics: tuple[Diagnostic, ...] = ()


@dataclass(frozen=True)
class Inserted:
    """Where an observation's lines went in the new text, and where a problem they cause is to
    be looked at in the file as it is: a refused plan is never written, so a line of the new
    text would point the editor at whatever the file holds there.

    Lines above the block are the same in both texts and lines below it move up by its length.
    A problem inside the block is one of the command's own values: it is said at the offer's
    line, or, for a check that compares the new observation with another (`compared`, by
    code), at that observation's line.
    """

    start: int  # the block's first line in the new text, 1-based
    count: int
    offer: tuple[int, int]
    compared: Mapping[str, tuple[int, int]] = field(default_factory=dict)

    def holds(self, line: int) -> bool:
        """Whether `line` of the new text is one of the new observation's."""
        return self.start <= line < self.start + self.count

    def in_file(self, diagnostic: Diagnostic) -> Diagnostic:
        """`diagnostic`, made on the new text, placed in the file as it is."""
        if diagnostic.line < self.start:
            return diagnostic
        if not self.holds(diagnostic.line):
            return replace(diagnostic, line=diagnostic.line - self.count)
        line, col = self.compared.get(diagnostic.code, self.offer)
        hint = _COMMAND_HINTS.get(diagnostic.code, diagnostic.hint)
        return replace(diagnostic, line=line, col=col, hint=hint)


# A check's hint written for the file, where the observation is one's own to edit, and what
# it says of an observation that is the command's: its arguments are what to change.
_COMMAND_HINTS = {
    "W717": "check the new price against its source: a misplaced decimal point, or a price for "
    "several GPUs or another unit? If it is right, run the command again with --checked-move",
}


@dataclass(frozen=True)
class Planned:
    """The new text of prices.yaml and what changed in it, for the command to print."""

    text: str
    label: str
    line: int  # the first changed line of the new text
    added: tuple[str, ...]  # the new lines (or, for electricity, the replaced ones)
    removed: tuple[str, ...] = ()
    previous: Observation | None = None
    reminders: tuple[str, ...] = field(default=())
    expected: Any = None  # what the new text must parse to: the old data plus the change
    # An inserted observation (None: electricity, whose values are replaced line for line)
    inserted: Inserted | None = None


def plan_addition(
    text: str,
    addition: Addition,
    gpu_ids: Collection[str],
    model_ids: Collection[str],
    today: dt.date,
    max_age_days: int,
) -> Planned | Refused:
    """The new text of prices.yaml with `addition` recorded, or why it cannot be.

    An observation added after the day it holds for (a backfill, or a reading written up a
    day or more late) says so with `recorded: <today>`: the weekly index would otherwise date
    the week it lands in, and the week whose change it now starts from, by days before the
    change existed, and feed readers would never see them change. Electricity keeps one
    current price, shown in no week, and gets none.
    """
    if addition.kind != "electricity" and today > addition.as_of:
        addition = replace(addition, recorded=today)
    try:
        data = yamlsource.load(text)
    except yamlsource.YamlError as exc:
        return Refused(
            f"prices.yaml is not valid YAML: {exc.message}",
            "fix the file first (`spanvero check` shows where)",
            exc.line,
        )
    if not isinstance(data, dict):
        return Refused("prices.yaml is not a mapping of keys to values", "fix the file first")
    if addition.kind == "electricity":
        planned = _plan_electricity(text, data, addition)
    else:
        planned = _plan_observation(text, data, addition)
    if isinstance(planned, Refused):
        return planned
    return _validated(text, planned, gpu_ids, model_ids, today, max_age_days)


def _plan_observation(text: str, data: dict[str, Any], addition: Addition) -> Planned | Refused:
    entries = data.get(addition.kind)
    entries = entries if isinstance(entries, list) else []
    wanted = dict(addition.offer)
    matches = [
        index
        for index, entry in enumerate(entries)
        if isinstance(entry, dict)
        and all(
            (entry.get(key, 1) if key == "gpus" else entry.get(key)) == value
            for key, value in wanted.items()
        )
    ]
    label = _offer_label(addition.kind, wanted)
    if not matches:
        near = _near(entries, wanted)
        # Where to look: the first offer it may have meant, or where a new one is written
        where: tuple[str | int, ...] = (addition.kind, near[0]) if near else (addition.kind,)
        return Refused(
            f"no {addition.kind} offer of {label} in {PRICES_PATH}",
            _near_offers(addition.kind, entries, wanted, near)
            or "a new offer needs its provider_name (and instance) written by hand; "
            "`spanvero prices add` records observations of offers that exist",
            _positions(text).locate(where)[0] if addition.kind in data else 1,
        )
    if len(matches) > 1:
        units = sorted({entries[i].get("gpus", 1) for i in matches})
        return Refused(
            f"{len(matches)} {addition.kind} offers of {label} match",
            "name the unit: " + " or ".join(f"--gpus {n}" for n in units),
            _positions(text).locate((addition.kind, matches[1]))[0],
        )
    index = matches[0]
    entry = entries[index]
    history = entry.get("history")
    if not isinstance(history, list) or not history:
        return Refused(
            f"the {addition.kind} offer of {label} has no history to add to",
            "write its first observation by hand",
            _positions(text).locate((addition.kind, index))[0],
        )
    dates = [str(item.get("as_of")) if isinstance(item, dict) else "" for item in history]
    new_date = addition.as_of.isoformat()
    at = (addition.kind, index, "history")
    locate = _positions(text).locate
    if new_date in dates:
        same = dates.index(new_date)
        recorded = f" and add 'recorded: {addition.recorded}' to it" if addition.recorded else ""
        return Refused(
            f"{label} already has an observation on {new_date}",
            f"nothing is overwritten: if that observation is wrong, correct it by hand{recorded}",
            locate((*at, same, "as_of"))[0],
        )
    if new_date < max(dates) and not addition.backfill:
        newest = dates.index(max(dates))
        return Refused(
            f"{new_date} is older than the newest observation of {label} ({max(dates)})",
            "check the date; to record an older reading in its place in the history, "
            "add --backfill",
            locate((*at, newest, "as_of"))[0],
        )
    position = bisect.bisect(dates, new_date)
    lines = text.splitlines(keepends=True)
    sequence = _node_at(text, at)
    nodes = list(sequence.value)
    first = lines[nodes[0].start_mark.line]
    if sequence.flow_style or not first.lstrip(" ").startswith("- "):
        return Refused(
            f"the history of {label} is not written one '- as_of: ...' item per block",
            "add this observation by hand",
            locate(at)[0],
        )
    dash = len(first) - len(first.lstrip(" "))
    newline = "\r\n" if lines[0].endswith("\r\n") else "\n"
    block = _observation_lines(addition, dash, newline)
    if position == 0:
        cut = nodes[0].start_mark.line
    else:
        cut = _last_content_line(nodes[position - 1], lines) + 1
    if cut == len(lines) and not lines[-1].endswith("\n"):
        lines[-1] += newline  # the file's last line had no line break
    new_text = "".join(lines[:cut] + list(block) + lines[cut:])
    previous = history[position - 1] if position > 0 else None
    expected = copy.deepcopy(data)
    expected[addition.kind][index]["history"].insert(position, _as_loaded(addition))
    inserted = Inserted(
        cut + 1,
        len(block),
        locate((addition.kind, index)),
        _compared(addition, history, position, lambda i: locate((*at, i, "as_of"))),
    )
    return Planned(
        new_text,
        label,
        cut + 1,
        tuple(line.rstrip("\r\n") for line in block),
        previous=_as_observation(previous) if isinstance(previous, dict) else None,
        expected=expected,
        inserted=inserted,
    )


def _compared(
    addition: Addition,
    history: list[Any],
    position: int,
    place: Callable[[int], tuple[int, int]],
) -> dict[str, tuple[int, int]]:
    """Where the observations the checks compare a new one with are (see `Inserted`): a move
    (W717) is from the observation before it; an end (E723), when not after its own day, is
    refused for the last observation before it that found the offer on sale."""
    compared = {"W717": place(position - 1)} if position > 0 else {}
    if addition.ended is not None and addition.ended <= addition.as_of:
        on_sale = [
            i
            for i, item in enumerate(history[:position])
            if isinstance(item, dict) and item.get("available", True) is not False
        ]
        if on_sale:
            compared["E723"] = place(on_sale[-1])
    return compared


def _plan_electricity(text: str, data: dict[str, Any], addition: Addition) -> Planned | Refused:
    current = data.get("electricity")
    if not isinstance(current, dict) or not all(
        key in current for key in ("usd_per_kwh", "source", "as_of")
    ):
        return Refused(
            f"{PRICES_PATH} has no electricity price with usd_per_kwh, source and as_of",
            "write the electricity block by hand once",
        )
    locate = _positions(text).locate
    old_date = str(current["as_of"])
    new_date = addition.as_of.isoformat()
    if new_date <= old_date:
        what = "the same date as" if new_date == old_date else "older than"
        return Refused(
            f"{new_date} is {what} the current electricity price ({old_date})",
            "electricity keeps one current price: record a newer reading, or correct it by hand",
            locate(("electricity", "as_of"))[0],
        )
    lines = text.splitlines(keepends=True)
    replaced: dict[int, str] = {}
    node = _node_at(text, ("electricity",))
    new_values = {"usd_per_kwh": dict(addition.values)["usd_per_kwh"], "source": addition.source}
    new_values["as_of"] = addition.as_of
    for key_node, value_node in node.value:
        if key_node.value not in new_values:
            continue
        start, end = value_node.start_mark, value_node.end_mark
        if start.line != end.line or value_node.style not in (None, ""):
            return Refused(
                f"electricity's {key_node.value} is not a one-line plain value",
                "update the electricity block by hand",
                start.line + 1,
            )
        line = lines[start.line]
        scalar = _scalar(new_values[key_node.value])
        replaced[start.line] = line[: start.column] + scalar + line[end.column :]
    new_lines = [replaced.get(i, line) for i, line in enumerate(lines)]
    first = min(replaced)
    expected = copy.deepcopy(data)
    expected["electricity"].update(
        usd_per_kwh=new_values["usd_per_kwh"], source=addition.source, as_of=new_date
    )
    return Planned(
        "".join(new_lines),
        "electricity",
        first + 1,
        tuple(replaced[i].rstrip("\r\n") for i in sorted(replaced)),
        tuple(lines[i].rstrip("\r\n") for i in sorted(replaced)),
        previous=Observation(
            dt.date.fromisoformat(old_date),
            (("usd_per_kwh", float(current["usd_per_kwh"])),),
            str(current["source"]),
        ),
        reminders=("comments in the electricity block may describe the old figure: check them",),
        expected=expected,
    )


def _validated(
    old_text: str,
    planned: Planned,
    gpu_ids: Collection[str],
    model_ids: Collection[str],
    today: dt.date,
    max_age_days: int,
) -> Planned | Refused:
    """The plan, once its text is shown to hold only the intended change and to pass the checks."""
    inserted = planned.inserted
    # The line the editor looks at: the offer's own, or electricity's line that would change.
    line = inserted.offer[0] if inserted is not None else planned.line
    if yamlsource.load(planned.text) != planned.expected:
        # A layout this insertion does not understand (a flow-style history, say): refuse
        # rather than write a file whose data differs from the intended change.
        return Refused(
            f"cannot add to {planned.label} without changing other lines of {PRICES_PATH}",
            "add this observation by hand",
            line,
        )
    before, after = Diagnostics(), Diagnostics()
    for text, diags in ((old_text, before), (planned.text, after)):
        file = DataFile(
            PRICES_PATH, yamlsource.load(text), Source(PRICES_PATH, _positions(text).locate, today)
        )
        parse_prices(file, diags, gpu_ids, model_ids, today, max_age_days)
    # Errors the addition brings refuse it, and so does a move the build would question
    # (W717): the command is where the editor still has the source open to look again.
    refusing = [*after.errors, *(d for d in after.warnings if d.code in _REFUSED_WARNINGS)]
    known = Counter((d.code, d.message) for d in before.items)
    new = []
    for diagnostic in refusing:
        key = (diagnostic.code, diagnostic.message)
        if known[key]:
            known[key] -= 1
        else:
            new.append(diagnostic)
    if new:
        moved = all(d.code in _REFUSED_WARNINGS for d in new)
        return Refused(
            f"the observation fails the build's checks ({len(new)} "
            f"{'warning' if moved else 'error'}{'s' if len(new) != 1 else ''})",
            _moved_hint(new, inserted)
            if moved
            else "nothing was written; fix the values and run the command again",
            line,
            tuple(inserted.in_file(d) for d in new) if inserted is not None else tuple(new),
        )
    return planned


def _moved_hint(moves: list[Diagnostic], inserted: Inserted | None) -> str:
    """What confirms each move: --checked-move one into the new observation, `checked_move:
    true` written by hand one out of it into the observation after it (a backfill)."""
    into = [d for d in moves if inserted is not None and inserted.holds(d.line)]
    hint = "nothing was written; check the price against its source and run the command again"
    if into:
        hint += ", with --checked-move if it really moved that much"
    if len(into) < len(moves):
        hint += (
            "; a move from the new price to the observation after it is confirmed by "
            "'checked_move: true' on that observation, written by hand"
        )
    return hint


_REFUSED_WARNINGS = frozenset({"W717"})


def _node_at(text: str, at: tuple[str | int, ...]) -> Any:
    node: Any = yaml.compose(text, Loader=_Composer)
    for step in at:
        if isinstance(step, int):
            node = node.value[step]
        else:
            node = next(value for key, value in node.value if key.value == step)
    return node


def _last_content_line(item: yaml.Node, lines: list[str]) -> int:
    """The 0-based index of the last line that holds part of a history item."""
    last = item.start_mark.line
    for key_node, value_node in item.value:
        end = value_node.end_mark
        line = end.line if end.column > 0 else end.line - 1
        last = max(last, line, key_node.start_mark.line)
    while last > item.start_mark.line and not lines[last].strip():
        last -= 1
    return last


def _observation_lines(addition: Addition, indent: int, newline: str) -> tuple[str, ...]:
    """The new history item as YAML lines, indented like its siblings, keys in file order."""
    dumped = yaml.dump(
        [_item(addition)],
        Dumper=yamlsource.Dumper,
        sort_keys=False,
        allow_unicode=True,
        width=1_000_000,
        default_flow_style=False,
    )
    return tuple(" " * indent + line + newline for line in dumped.splitlines())


def _as_loaded(addition: Addition) -> dict[str, Any]:
    """The new observation as the YAML loader will read it back (dates stay strings)."""
    item = _item(addition)
    return {k: v.isoformat() if isinstance(v, dt.date) else v for k, v in item.items()}


def _item(addition: Addition) -> dict[str, Any]:
    """The new history item's keys and values, in the order the file writes them."""
    item: dict[str, Any] = {"as_of": addition.as_of, **dict(addition.values)}
    item["source"] = addition.source
    if not addition.available:
        item["available"] = False
    if addition.ended:
        item["ended"] = addition.ended
    if addition.checked_move:
        item["checked_move"] = True
    if addition.note:
        item["note"] = addition.note
    if addition.recorded:
        item["recorded"] = addition.recorded
    return item


def _scalar(value: Any) -> str:
    return yaml.dump(value, Dumper=yamlsource.Dumper, allow_unicode=True, width=1_000_000).split(
        "\n"
    )[0]


def _as_observation(item: dict[str, Any]) -> Observation | None:
    try:
        as_of = dt.date.fromisoformat(str(item.get("as_of")))
    except ValueError:
        return None
    values = tuple(
        (key, float(item[key]))
        for key in (
            "usd_per_hour",
            "usd_per_mtok_input",
            "usd_per_mtok_output",
            "usd_per_mtok_cached_input",
        )
        if isinstance(item.get(key), int | float)
    )
    return Observation(as_of, values, str(item.get("source", "")))


def _positions(text: str) -> yamlsource.Positions:
    return yamlsource.Positions(text)


def _offer_label(kind: str, offer: Mapping[str, str | int]) -> str:
    if kind == "rental":
        unit = f", {offer['gpus']}-GPU unit" if "gpus" in offer else ""
        return f"{offer['gpu']} at {offer['provider']} ({offer['tier']}{unit})"
    return f"{offer['model']} at {offer['provider']}"


def _near(entries: list[Any], wanted: Mapping[str, str | int]) -> list[int]:
    """The indexes of the offers that differ from the wanted one in one field."""
    return [
        index
        for index, e in enumerate(entries)
        if isinstance(e, dict)
        and sum((e.get(k, 1) if k == "gpus" else e.get(k)) != v for k, v in wanted.items()) == 1
    ]


def _near_offers(
    kind: str, entries: list[Any], wanted: Mapping[str, str | int], near_offers: list[int]
) -> str:
    """The offers that differ from the wanted one in one field (`_near`), as a hint."""
    subject = "gpu" if kind == "rental" else "model"
    near = [_offer_label(kind, {k: entries[i].get(k, 1) for k in wanted}) for i in near_offers]
    same = [
        e.get("provider")
        for e in entries
        if isinstance(e, dict) and e.get(subject) == wanted[subject]
    ]
    if near:
        return "did you mean " + " or ".join(dict.fromkeys(near)) + "?"
    if same:
        return f"{wanted[subject]} is offered by: " + ", ".join(sorted(set(map(str, same))))
    return ""


@dataclass(frozen=True)
class Stale:
    """A price whose newest observation is older than the limit: what to re-check today.

    `kind` is "rental", "api" or "electricity" (a line of prices.yaml) or "hardware" (a GPU's
    street or list price, a line of gpus.yaml); `path` is the file the line is in.
    """

    kind: str
    label: str
    offer: Mapping[str, str | int]
    as_of: dt.date
    age_days: int
    source: str
    line: int
    path: str = PRICES_PATH


def stale_offers(
    prices: Prices,
    names: Mapping[str, str],
    locate: Any,
    raw: Any,
    today: dt.date,
    max_age_days: int,
) -> list[Stale]:
    """Every offer (and electricity) last observed over `max_age_days` ago, oldest first.

    `raw` is the parsed file and `locate` its positions, so each offer is named by the line of
    its newest observation's date.
    """
    found: list[Stale] = []

    def line_of(kind: str, offer: Mapping[str, str | int]) -> int:
        entries = raw.get(kind) if isinstance(raw, dict) else None
        for index, entry in enumerate(entries if isinstance(entries, list) else []):
            same_unit = kind != "rental" or entry.get("gpus", 1) == offer.get("gpus", 1)
            if same_unit and all(entry.get(k) == v for k, v in offer.items()):
                last = len(entry.get("history") or []) - 1
                return int(locate((kind, index, "history", last, "as_of"))[0])
        return 0

    def add(kind: str, label: str, offer: Mapping[str, str | int], obs: Observation) -> None:
        if too_old(obs.as_of, today, max_age_days):
            age = age_days(obs.as_of, today)
            found.append(
                Stale(kind, label, offer, obs.as_of, age, obs.source, line_of(kind, offer))
            )

    for r in prices.rental:
        offer: dict[str, str | int] = {"gpu": r.gpu, "provider": r.provider, "tier": r.tier}
        if r.gpus != 1:
            offer["gpus"] = r.gpus
        add("rental", r.label(names.get(r.gpu, r.gpu)), offer, r.current)
    for a in prices.api:
        add(
            "api",
            a.label(names.get(a.model, a.model)),
            {"model": a.model, "provider": a.provider},
            a.current,
        )
    e = prices.electricity
    if e is not None and too_old(e.as_of, today, max_age_days):
        line = int(locate(("electricity", "as_of"))[0])
        age = age_days(e.as_of, today)
        found.append(
            Stale("electricity", "the default electricity price", {}, e.as_of, age, e.source, line)
        )
    return sorted(found, key=lambda s: (s.as_of, s.line))


def stale_hardware(
    gpus: Mapping[str, Gpu], locate: Any, raw: Any, today: dt.date, max_age_days: int
) -> list[Stale]:
    """Every GPU whose street or list price is dated over `max_age_days` ago, oldest first.

    A launch price is a fact about the launch and never goes stale; a street or list price is
    what the GPU costs now, so it ages like a rental. `raw` is gpus.yaml as parsed and `locate`
    its positions, so each price is named by the line of its date.
    """
    entries = raw.get("gpus") if isinstance(raw, dict) else None
    found: list[Stale] = []
    for index, entry in enumerate(entries if isinstance(entries, list) else []):
        gpu = gpus.get(str(entry.get("id"))) if isinstance(entry, dict) else None
        price = gpu.price if gpu is not None else None
        if gpu is None or price is None or price.kind == "launch-msrp":
            continue
        if too_old(price.date, today, max_age_days):
            age = age_days(price.date, today)
            buys = f": {price.buys}" if price.buys else ""
            found.append(
                Stale(
                    "hardware",
                    f"{gpu.name} ({price.kind} price{buys})",
                    {"gpu": gpu.id},
                    price.date,
                    age,
                    price.source,
                    int(locate(("gpus", index, "price", "date"))[0]),
                    GPUS_PATH,
                )
            )
    return sorted(found, key=lambda s: (s.as_of, s.line))
