"""Static files: copied as they are, with content-hashed names for CSS and JS.

Hashed names let a host cache stylesheets and scripts forever; pages refer to them through the
`asset()` template helper, so a changed file gets a new name and no reader sees a stale copy.
"""

from __future__ import annotations

import hashlib
import posixpath
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from spanvero_site.core.diagnostics import Diagnostics
from spanvero_site.core.pages import Output
from spanvero_site.core.paths import path_problem
from spanvero_site.core.sources import read_bytes, refusal

STATIC = "static"
_HASHED = (".css", ".js")


@dataclass(frozen=True)
class Assets:
    """Every static output and the URL each source name is served at."""

    urls: Mapping[str, str]
    outputs: tuple[Output, ...]


def collect_assets(
    root: Path,
    generated: Mapping[str, bytes],
    hashed: bool = True,
    diags: Diagnostics | None = None,
) -> Assets:
    """Read static/ under `root`, add the `generated` files (e.g. the code stylesheet).

    `hashed=False` (the dev server) keeps plain names, so editing a stylesheet changes no page
    and the browser can swap the stylesheet in place. A file that cannot be published (a link
    out of the site, an unreadable file, a name that is not a plain path) is reported to
    `diags` and left out.
    """
    diags = diags if diags is not None else Diagnostics()
    files: dict[str, bytes] = {}
    failed: list[str] = []  # reported (E101): pages still link to them, so no second error
    static = root / STATIC
    if static.is_dir():
        for path in sorted(static.rglob("*")):
            name = path.relative_to(static).as_posix()
            if any(part.startswith(".") for part in name.split("/")):
                continue
            rel = f"{STATIC}/{name}"
            if path.is_symlink() and refusal(root, rel):
                read_bytes(root, rel, diags)  # reports E104
            elif path.is_file() and _publishable(rel, diags):
                data = read_bytes(root, rel, diags)
                if data is not None:
                    files[name] = data
                else:
                    failed.append(name)
    files.update(generated)
    urls: dict[str, str] = {name: f"/{STATIC}/{name}" for name in failed}
    outputs = []
    for name, data in sorted(files.items()):
        served = _hashed_name(name, data) if hashed and name.endswith(_HASHED) else name
        url = f"/{STATIC}/{served}"
        urls[name] = url
        outputs.append(Output(path=url.lstrip("/"), data=data))
    return Assets(urls=urls, outputs=tuple(outputs))


def _publishable(rel: str, diags: Diagnostics) -> bool:
    problem = path_problem("/" + rel)
    if problem is not None:
        diags.error(
            "E208",
            f"static file name cannot be published: {problem}",
            rel,
            1,
            1,
            "rename it with letters, digits, '-', '_' and '.' only",
        )
    return problem is None


def _hashed_name(name: str, data: bytes) -> str:
    stem, ext = posixpath.splitext(name)
    return f"{stem}.{hashlib.sha256(data).hexdigest()[:10]}{ext}"
