#!/usr/bin/env python3
"""Turn the peer bench's plain corpus into a spanvero site with the same pages.

    python3 bench/peer_site.py PLAIN_CORPUS PROJECT_CHECKOUT OUTDIR

Our replacement for the shared harness's make_spanvero_site.py (bench/peers.sh puts it in its
place): the same pages at /learn/<slug>/ with `description` renamed to `answer`, around the
frame of `corpus.write_frame` (the shipped templates, static files, models and data, and a
site.yaml whose explainer settings name corpus pages), so it keeps up with the shipped site.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path


def main() -> int:
    plain, project, out = (Path(a) for a in sys.argv[1:4])
    sys.path.insert(0, str(project / "bench"))  # this file runs from a copy of the harness
    from corpus import write_frame

    shutil.rmtree(out, ignore_errors=True)
    sources = sorted((plain / "content").glob("*.md"))
    write_frame(out, [src.stem for src in sources])
    for src in sources:
        text = src.read_text().replace("\ndescription: ", "\nanswer: ", 1)
        (out / "content" / "learn" / src.name).write_text(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
