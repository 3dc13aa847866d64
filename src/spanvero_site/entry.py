"""The `spanvero` command's entry point, kept free of imports so Ctrl-C is never a traceback.

Loading the command line's modules takes about a tenth of a second; a Ctrl-C in that time
arrives before `cli.main` can catch it, and Python would print a KeyboardInterrupt traceback.
Importing `cli` inside the guard makes every moment of a run end the same way: one line on
stderr (and stdout in the format asked for) and exit code 130.
"""

from __future__ import annotations

import sys


def run() -> int:
    """Run the command line; a Ctrl-C at any point, imports included, exits 130 (with the
    JSON document or annotation that --format asked for)."""
    try:
        from spanvero_site.cli import main

        return main()
    except KeyboardInterrupt:
        from spanvero_site.stopped import interrupted  # the standard library only

        return interrupted(sys.argv[1:])
