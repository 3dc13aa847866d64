"""Full-text search: Pagefind indexes the written site, in the staging folder, before the swap.

Pagefind (PyPI `pagefind[bin]` ships its binary) reads the pages' `data-pagefind-body`
regions (explainers, model pages, the calculator, the price log and the advisor's first page)
and writes a static index under /pagefind/ that the /search/ page loads in the browser. Its
output is deterministic. Tables of figures, dates, navigation and figure captions are left out
of the index, so excerpts are prose, not fragments of tables.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from spanvero_site.core.children import tied_to_this_process


class SearchIndexFailed(Exception):
    """Pagefind could not index the site; the message is what it printed."""


EXCLUDED = ("table", "time", "nav", ".meta", "figure", "svg", "[data-pagefind-ignore]")


def index_site(folder: Path) -> None:
    """Write the search index for the site in `folder` into `folder`/pagefind/."""
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "pagefind",
            "--site",
            ".",
            "--silent",
            *(arg for selector in EXCLUDED for arg in ("--exclude-selectors", selector)),
        ],
        cwd=folder,  # so no pagefind.yml in the caller's folder changes the index
        capture_output=True,
        text=True,
        check=False,
        preexec_fn=tied_to_this_process(),  # killed with us, never an orphan
    )
    if proc.returncode != 0:
        raise SearchIndexFailed((proc.stderr or proc.stdout).strip() or f"exit {proc.returncode}")
