"""Entries under content/ that no section reads: each one a warning (W211) saying what would be.

A file the build never opens is a page or a figure an editor expects and readers never see
(`x.yml` beside the models' `.yaml` files, `about.md` at the top of content/). Sections declare
what they read (`section.Input`), so this check needs no list of its own and a new section
cannot forget it: whatever no declaration covers is reported. Hidden entries (`.git`,
`.DS_Store`) are left alone, and so is an entry a section already reported itself (learn's
E210), so nothing is reported twice.
"""

from __future__ import annotations

import os
from collections.abc import Collection, Sequence
from pathlib import Path, PurePosixPath

from spanvero_site.core.diagnostics import Diagnostics
from spanvero_site.core.section import Input

CONTENT = "content"
# Other spellings of a declared suffix: a file with one of them is certainly meant as one.
_SPELLINGS = {".yml": ".yaml", ".markdown": ".md", ".mdown": ".md", ".mkd": ".md"}


def report_unread(
    root: Path, reads: Sequence[Input], reported: Collection[str], diags: Diagnostics
) -> None:
    """Warn (W211) about every entry under content/ that none of `reads` covers and that is
    not among the paths already `reported`."""
    for rel, is_dir, within in _unread(root, reads):
        if rel not in reported:
            name = PurePosixPath(rel).name
            kind = "folder" if is_dir else "file"
            diags.warning(
                "W211",
                f"{kind} '{name}' in {PurePosixPath(rel).parent}/ is not read",
                rel,
                1,
                1,
                hint=_hint(root, rel, is_dir, within, reads),
            )


def _unread(root: Path, reads: Sequence[Input]) -> list[tuple[str, bool, Input | None]]:
    """(path, is a folder, the folder input it sits in) of every entry nothing reads, sorted."""
    files = {r.path for r in reads if not r.suffix}
    folders = {r.path: r for r in reads if r.suffix}
    found: list[tuple[str, bool, Input | None]] = []
    pending = [CONTENT]
    while pending:
        folder = pending.pop()
        within = folders.get(folder)
        for name, is_dir in _entries(root / folder):
            rel = f"{folder}/{name}"
            if rel in files or (within is not None and not is_dir and name.endswith(within.suffix)):
                continue
            if rel in folders or (
                is_dir
                and within is None
                and any(p.startswith(f"{rel}/") for p in [*files, *folders])
            ):
                pending.append(rel)  # a folder a section reads, or one that holds such things
                continue
            found.append((rel, is_dir, within))
    return sorted(set(found))


def _entries(folder: Path) -> list[tuple[str, bool]]:
    try:
        with os.scandir(folder) as entries:
            return [(e.name, e.is_dir()) for e in entries if not e.name.startswith(".")]
    except OSError:  # no such folder, or unreadable: the sections report what they need
        return []


def _hint(root: Path, rel: str, is_dir: bool, within: Input | None, reads: Sequence[Input]) -> str:
    path = PurePosixPath(rel)
    if within is not None:
        rule = f"{within.what} are {within.suffix} files directly in {within.path}/"
        if is_dir:
            return f"{rule}: move the files of this folder up a level"
        return f"{rule}: {_rename(root, path, within.suffix)}"
    declared = [PurePosixPath(r.path) for r in reads]
    for sibling in (d for d in declared if d.parent == path.parent):
        if _stem(sibling.name) == _stem(path.name).lower() and not is_dir:
            if (root / sibling).exists():
                return f"{sibling} is read, and is there already: remove this copy"
            return f"{sibling} is read: rename it to '{sibling.name}'"
    homes = [r for r in reads if r.suffix]
    suffixes = {_suffix(n) for n, _ in _entries(root / rel)} if is_dir else {_suffix(path.name)}
    home = next((r for r in homes if r.suffix in suffixes), None)
    if home is not None and is_dir:
        return (
            f"nothing reads {rel}/: {home.what} are {home.suffix} files directly in "
            f"{home.path}/; move them there"
        )
    if home is not None:
        return (
            f"{home.what} are {home.suffix} files directly in {home.path}/: move it to "
            f"{home.path}/{_stem(path.name).lower()}{home.suffix} if it is one"
        )
    held = sorted(
        {d.relative_to(path.parent).parts[0] for d in declared if path.parent in d.parents}
    )
    return f"{path.parent}/ holds only what the site reads ({', '.join(held)}): move it elsewhere"


def _rename(root: Path, path: PurePosixPath, suffix: str) -> str:
    """Rename `path` to end in `suffix`, or, when a file of that name is there already, say
    this one is a second copy."""
    target = f"{_stem(path.name)}{suffix}"
    if (root / path.parent / target).exists():
        return f"'{target}' is there already: remove this copy, or move it out of content/"
    return f"rename it to '{target}'" + ("" if _meant(path.name, suffix) else " if it is one")


def _meant(name: str, suffix: str) -> bool:
    """Whether `name`'s suffix is another spelling of `suffix` ('.YAML', '.yml' for '.yaml')."""
    own = _suffix(name)
    return own == suffix or _SPELLINGS.get(own) == suffix


def _suffix(name: str) -> str:
    """The last suffix, in lower case: the one a section compares (".YAML" -> ".yaml")."""
    return PurePosixPath(name).suffix.lower()


def _stem(name: str) -> str:
    """The name up to its first dot: 'x' of 'x.yaml.bak' (ids and slugs have no dots)."""
    return name.split(".", 1)[0]
