"""Quick pickling for the frozen, slotted dataclasses that exist once per page or per link.

`dataclasses` gives a frozen slotted class a `__getstate__` and `__setstate__` that look its
fields up again on every call and set them one by one. The persistent cache and the context
digests pickle tens of thousands of these records per build (about 30 per page), so that was a
visible part of saving the cache, loading it and digesting 4,000 view contexts. A record
pickled by `tuple_pickled` is made again through its own `__init__` from its field values:
about twice as fast both ways, and any `__post_init__` check runs again on what is loaded.
"""

from __future__ import annotations

import dataclasses
from typing import Any, TypeVar

T = TypeVar("T")


def tuple_pickled(cls: type[T]) -> type[T]:
    """Pickle `cls` (a frozen dataclass with slots) as a call of `cls` with its field values."""
    fields = dataclasses.fields(cls)  # type: ignore[arg-type]
    if any(not f.init or f.kw_only for f in fields):
        raise TypeError(f"{cls.__name__}: every field must be a positional __init__ argument")
    names = tuple(f.name for f in fields)

    def __reduce__(self: Any) -> tuple[type[T], tuple[object, ...]]:
        return cls, tuple([getattr(self, name) for name in names])

    cls.__reduce__ = __reduce__  # type: ignore[method-assign]
    return cls
