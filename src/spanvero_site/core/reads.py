"""Which entries of the resolved site one section's build looked up, so the builder can reuse
its contribution while all of them are unchanged.

A section that cannot say which of its views an edit touches (`Section.rebuild`) is watched
while it builds. What it read is plain data (names and keys, "all of it" as an enum member),
so it pickles: a new process that resumes from the last clean build (`core/resume.py`) asks
the same question of the sections it did not rebuild.
"""

from __future__ import annotations

import enum
from collections.abc import Iterator, Mapping
from dataclasses import replace
from typing import Any

from spanvero_site.core.section import SiteState


class _Whole(enum.Enum):
    """A watched mapping was gone through whole (an enum member keeps its identity when it
    is unpickled, unlike a bare `object()`)."""

    ALL = "all"


_ALL = _Whole.ALL
_MISSING = object()


class Reads:
    """Which entries of the resolved site one section's build looked up.

    The section is given a `SiteState` whose graph mappings, rendered bodies and backlinks note
    each key it reads (going through one whole notes "all"), and whose explainers' order notes
    whether it was read at all (a title edit moves it; most sections read it only to suggest
    a slug in an error). Its contribution is then a function of those and of the parts given
    whole (config, date, charts, documents, the `.md` URLs, unusable sources, renamed ids), so
    it can be reused while all of them are unchanged.
    """

    FIELDS = ("pages", "targets", "related", "tags", "prev_next")

    def __init__(self) -> None:
        names = (*self.FIELDS, "rendered", "backlinks", "explainers")
        self.keys: dict[str, set[object]] = {name: set() for name in names}

    def watching(self, site: SiteState) -> SiteState:
        """`site` with its graph mappings, bodies and backlinks noting what is looked up."""
        graph = site.graph
        watched = {name: _Watched(getattr(graph, name), self.keys[name]) for name in self.FIELDS}
        order = _Order(graph.explainers, self.keys["explainers"])
        return replace(
            site,
            graph=replace(graph, explainers=order, **watched),  # type: ignore[arg-type]
            rendered=_Watched(site.rendered, self.keys["rendered"]),
            backlinks=_Watched(site.backlinks, self.keys["backlinks"]),
        )

    def read_bodies(self, pages: Mapping[str, object]) -> bool:
        """Whether the build read the rendered Markdown of any of these graph pages (the rest
        of `rendered` is the sections' documents)."""
        keys = self.keys["rendered"]
        return _ALL in keys or any(key in pages for key in keys)

    def unchanged(self, old: SiteState, new: SiteState) -> bool:
        """Whether everything the build read from `old` is the same in `new`."""
        whole = (old.config, old.today, old.charts, old.documents)
        if whole != (new.config, new.today, new.charts, new.documents):
            return False
        given = ("md_urls", "unusable", "renamed")  # given whole, so compared whole
        if any(getattr(old.graph, n) != getattr(new.graph, n) for n in given):
            return False
        for name, keys in self.keys.items():
            before, after = _part(old, name), _part(new, name)
            if before is after or not keys:
                continue
            if _ALL in keys:
                if before != after:
                    return False
                continue
            assert isinstance(before, Mapping) and isinstance(after, Mapping)
            for key in keys:
                a, b = before.get(key, _MISSING), after.get(key, _MISSING)
                if a is not b and a != b:
                    return False
        return True


class _Order(tuple[str, ...]):
    """The explainers' order, noting (as "all") any look at it."""

    _seen: set[object]

    def __new__(cls, items: tuple[str, ...], seen: set[object]) -> _Order:
        order = super().__new__(cls, items)
        order._seen = seen
        return order

    def __iter__(self) -> Iterator[str]:
        self._seen.add(_ALL)
        return super().__iter__()

    def __getitem__(self, index: Any) -> Any:
        self._seen.add(_ALL)
        return super().__getitem__(index)

    def __len__(self) -> int:
        self._seen.add(_ALL)
        return super().__len__()

    def __contains__(self, item: object) -> bool:
        self._seen.add(_ALL)
        return super().__contains__(item)

    def index(self, *args: Any) -> int:
        self._seen.add(_ALL)
        return super().index(*args)

    def count(self, item: Any) -> int:
        self._seen.add(_ALL)
        return super().count(item)

    def __reduce__(self) -> Any:
        return tuple, (tuple(super().__iter__()),)


def _part(site: SiteState, name: str) -> object:
    return getattr(site, name) if name in ("rendered", "backlinks") else getattr(site.graph, name)


class _Watched(Mapping[Any, Any]):
    """A read-only mapping that notes the keys looked up in it (`_ALL` when gone through)."""

    def __init__(self, data: Mapping[Any, Any], seen: set[object]) -> None:
        self._data, self._seen = data, seen

    def __getitem__(self, key: Any) -> Any:
        self._seen.add(key)
        return self._data[key]

    def get(self, key: Any, default: Any = None) -> Any:
        self._seen.add(key)
        return self._data.get(key, default)

    def __contains__(self, key: object) -> bool:
        self._seen.add(key)
        return key in self._data

    def __iter__(self) -> Iterator[Any]:
        self._seen.add(_ALL)
        return iter(self._data)

    def __len__(self) -> int:
        self._seen.add(_ALL)
        return len(self._data)
