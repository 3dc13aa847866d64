"""The `spanvero` command's entry point, kept free of imports so Ctrl-C is never a traceback.

Loading the command line's modules takes about a tenth of a second; a Ctrl-C in that time
arrives before `cli.main` can catch it, and Python would print a KeyboardInterrupt traceback.
Importing `cli` inside the guard makes every moment of a run end the same way: one line on
stderr and exit code 130.
"""

from __future__ import annotations

import sys

EXIT_INTERRUPTED = 130  # 128 + SIGINT, as shells report a command stopped by Ctrl-C


def run() -> int:
    """Run the command line; a Ctrl-C at any point, imports included, exits 130."""
    try:
        from spanvero_site.cli import main

        return main()
    except KeyboardInterrupt:
        print("spanvero: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
