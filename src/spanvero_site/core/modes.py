"""The permissions of every file and folder the build publishes, whatever the umask.

A built site is read by a web server or a deploy step that often runs as another user, and
two builds of one input must be the same tree, modes included (rsync -a and tar copy them).
Left to the umask, a build under `umask 077` makes every page unreadable to the server and
its tree differs from the same build elsewhere; so each published path is set explicitly.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

FILE_MODE = 0o644
FOLDER_MODE = 0o755


def make_folder(path: Path) -> None:
    """Make the folder `path` anew (FileExistsError if anything is there) with FOLDER_MODE."""
    os.mkdir(path, FOLDER_MODE)
    os.chmod(path, FOLDER_MODE)


def make_folders(path: Path, top: Path) -> None:
    """Make `path` and each missing folder above it, up to the existing folder `top`."""
    missing = []
    while not path.is_dir() and path != top:
        missing.append(path)
        path = path.parent
    for folder in reversed(missing):
        # made meanwhile (another run's recover): its mode was set by whoever made it
        with contextlib.suppress(FileExistsError):
            make_folder(folder)


def write_file(path: Path, data: bytes) -> None:
    """Write `data` to `path` (created or replaced) with FILE_MODE."""
    path.write_bytes(data)
    os.chmod(path, FILE_MODE)
