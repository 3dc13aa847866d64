"""References by id, and what to say when one does not resolve.

A reference names something another source defines: an explainer in `related:`, a model in
prices.yaml, a GPU in a figure. When it does not resolve, the honest message depends on why:

- the id was never defined: an unknown id, with the closest defined id as a hint;
- a source tried to define it but failed to load (a bad record, a file that does not parse or
  cannot be read): that source's own error explains it, so no error is added, and above all
  no other id is suggested (an editor who followed "did you mean 'llama-3-1-70b'?" would
  corrupt good data); the reference is recorded as waiting on that source, and the source's
  error names it among the checks its fix will run (`Diagnostics.unchecked`);
- it is a draft this build leaves out: said once, as what it is;
- it is the old name of something renamed (an explainer keeps its old URL in `aliases:`): the
  new name is the hint, also when the old one is misspelled.

`Known` holds the ids of one kind together with those that were tried and left out, so every
check of that kind gives the same answer.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Iterator, Mapping
from dataclasses import dataclass, field

from spanvero_site.core.diagnostics import Diagnostics, closest
from spanvero_site.core.pages import Unusable

DRAFT_HINT = "build with --drafts to preview it, or remove the link before publishing"


@dataclass(frozen=True)
class Missing:
    """What to report about a reference that does not resolve: an error, or, when `waits_on`
    names the failed source that tried to define it, only that its check waits on that source."""

    message: str
    hint: str
    waits_on: str = ""

    def report(self, diags: Diagnostics, code: str, path: str, line: int, col: int) -> None:
        """Report the reference at path:line:col: error `code`, or the check left undone."""
        if self.waits_on:
            diags.unchecked(self.waits_on, self.message, path, line, col)
        else:
            diags.error(code, self.message, path, line, col, self.hint)


def draft_message(left: Unusable) -> str:
    """What a reference to a draft is told: which file makes it one."""
    return f"'{left.id}' is a draft (draft: true in {left.source})"


@dataclass(frozen=True)
class Known:
    """The ids of one kind a reference may name, and those its sources tried to define but
    could not.

    `left_out` maps an id to the source that tried to define it and is left out of the build
    (it failed to load, or is a draft). `unreadable` names sources of this kind that failed
    before their ids could be read (gpus.yaml that does not parse): any unknown id may be one
    of theirs, so none is reported until they load. `renamed` maps an old id to the id that
    replaced it.
    """

    ids: frozenset[str] = frozenset()
    left_out: Mapping[str, Unusable] = field(default_factory=dict)
    unreadable: tuple[str, ...] = ()
    renamed: Mapping[str, str] = field(default_factory=dict)

    @classmethod
    def of(
        cls,
        ids: Iterable[str],
        left_out: Iterable[Unusable] = (),
        unreadable: Iterable[str] = (),
        renamed: Mapping[str, str] | None = None,
    ) -> Known:
        """The ids, with the left-out sources by their ids (a usable id wins over a failed
        duplicate of it) and the old ids of renamed ones (never one still in use)."""
        usable = frozenset(ids)
        return cls(
            usable,
            {u.id: u for u in left_out if u.id not in usable},
            tuple(unreadable),
            {old: new for old, new in (renamed or {}).items() if old not in usable},
        )

    def __contains__(self, ref: object) -> bool:
        return ref in self.ids

    def __iter__(self) -> Iterator[str]:
        return iter(sorted(self.ids))

    def __len__(self) -> int:
        return len(self.ids)

    def waits_on(self, ref: str) -> str | None:
        """The source that failed to load (reported) and is why `ref` does not resolve: the one
        that tried to define it, or one that failed before its ids could be read; else None."""
        if ref in self.ids:
            return None
        left = self.left_out.get(ref)
        if left is not None:
            return None if left.draft else left.source
        return self.unreadable[0] if self.unreadable else None

    def missing(self, ref: str, unknown: str, otherwise: str) -> Missing | None:
        """What to report about `ref`: None when it resolves; when its source failed to load,
        that its check waits on that source; for a draft, that it is one; for an old id, the
        new one; else `unknown`, with the closest id (an old id stands for its new one; never
        one that failed, when `ref` itself did) or `otherwise` as the hint."""
        if ref in self.ids:
            return None
        source = self.waits_on(ref)
        if source is not None:
            return Missing(f"'{ref}'", "", source)
        left = self.left_out.get(ref)
        if left is not None:
            return Missing(draft_message(left), DRAFT_HINT)
        if ref in self.renamed:
            new = self.renamed[ref]
            return Missing(
                unknown, f"use '{new}': the page was renamed and '{ref}' is its old name"
            )
        meant = {**self.renamed, **{name: name for name in [*self.ids, *self.left_out]}}
        near = closest(ref, meant)
        return Missing(unknown, f"did you mean '{meant[near]}'?" if near is not None else otherwise)


def known(ids: Collection[str]) -> Known:
    """`ids` as `Known`: as they are when they already say what failed, else only the ids."""
    return ids if isinstance(ids, Known) else Known.of(ids)
