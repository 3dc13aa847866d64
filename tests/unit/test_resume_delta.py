"""What a resumed build saves for the next is the difference between two copies of the build
(`resume._delta`); applying it must give the new copy back exactly, in the same order, and
hold only what differs."""

from __future__ import annotations

import random
from dataclasses import dataclass

from spanvero_site.core.resume import Fields, Items, Keys, Whole, _applied, _delta


@dataclass(frozen=True)
class Record:
    name: str
    tags: tuple[str, ...]
    counts: dict[str, int]


def shuffled_edit(rng: random.Random, value: object) -> object:
    """`value` with a few random parts changed, the rest the very same objects."""
    if isinstance(value, dict):
        keys = list(value)
        if rng.random() < 0.1:
            rng.shuffle(keys)  # the order changes: must come back as it is now
        return {k: shuffled_edit(rng, value[k]) if rng.random() < 0.3 else value[k] for k in keys}
    if isinstance(value, tuple):
        if rng.random() < 0.1:
            return (*value, "added")
        return tuple(shuffled_edit(rng, v) if rng.random() < 0.3 else v for v in value)
    if isinstance(value, Record):
        return Record(
            value.name if rng.random() < 0.5 else value.name + "!",
            shuffled_edit(rng, value.tags),  # type: ignore[arg-type]
            shuffled_edit(rng, value.counts),  # type: ignore[arg-type]
        )
    if isinstance(value, int):
        return value + rng.choice([0, 1])
    return value + "?" if rng.random() < 0.5 else value  # type: ignore[operator]


def test_applying_the_difference_gives_the_new_value_back_in_order() -> None:
    rng = random.Random(3)
    for _ in range(300):
        old = {
            f"k{i}": Record(f"r{i}", tuple(f"t{j}" for j in range(i % 4)), {"a": i, "b": 2 * i})
            for i in range(rng.randrange(1, 12))
        }
        new = shuffled_edit(rng, old)
        change = _delta(old, new)
        back = old if change is None else _applied(old, change)
        assert back == new
        assert list(back) == list(new)  # type: ignore[call-overload]
        assert [list(r.counts) for r in back.values()] == [  # type: ignore[union-attr]
            list(r.counts)
            for r in new.values()  # type: ignore[union-attr]
        ]


def test_only_what_differs_is_kept() -> None:
    same = Record("same", ("a",), {"x": 1})
    old = {"kept": same, "edited": Record("e", ("a", "b"), {"x": 1}), "n": 1}
    new = {"kept": same, "edited": Record("e", ("a", "c"), {"x": 1}), "n": 1}
    assert _delta(old, new) == Keys({"edited": Fields({"tags": Items({1: Whole("c")})})})
    assert _delta(old, dict(old)) is None  # equal, not the same object: nothing to keep
    assert _delta(old, {"n": 1, **old}) == Whole({"n": 1, **old})  # another order: whole
