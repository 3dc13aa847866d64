"""Write a built site: into a temporary sibling folder, swapped in only when complete.

The swap means readers of the output folder (a dev server, a deploy step) never see a half
written site, and a failed build never reaches this module at all.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterable
from pathlib import Path

from spanvero_site.core.pages import Output


def output_path(url: str) -> str:
    """The file a site URL is served from: '/a/' -> 'a/index.html', '/x.xml' -> 'x.xml'."""
    path = url.lstrip("/")
    return path + "index.html" if path == "" or path.endswith("/") else path


def write_site(
    outputs: Iterable[Output], out_dir: Path, finish: Callable[[Path], None] | None = None
) -> int:
    """Replace `out_dir` with exactly `outputs`; return the number of files written.

    `finish` runs on the complete staging folder before the swap (the search indexer), so
    its failure, too, leaves the old output in place.
    """
    out_dir = out_dir.resolve()
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    staging = out_dir.with_name(f".{out_dir.name}.tmp-{os.getpid()}")
    old = out_dir.with_name(f".{out_dir.name}.old-{os.getpid()}")
    shutil.rmtree(staging, ignore_errors=True)
    count = 0
    try:
        for output in sorted(outputs, key=lambda o: o.path):
            target = staging / output.path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(output.data)
            count += 1
        if finish is not None:
            finish(staging)
        if out_dir.exists():
            out_dir.rename(old)
        staging.rename(out_dir)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        if old.exists() and not out_dir.exists():
            old.rename(out_dir)
        raise
    shutil.rmtree(old, ignore_errors=True)
    return count
