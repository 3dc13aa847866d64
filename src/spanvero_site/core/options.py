"""What the command line can change about a build, and the date a build measures ages against.

Kept apart from the builder so that the command line can key its cache on the options without
importing the build stack (Jinja, markdown-it, Pygments) when nothing needs building.
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass, field


def build_date() -> dt.date:
    """The date data ages are measured against: SOURCE_DATE_EPOCH when set, else today.

    Fixing it through the environment keeps two builds of the same input byte-identical, as
    reproducible-builds tooling expects.
    """
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), tz=dt.UTC).date()
    return dt.date.today()


@dataclass(frozen=True)
class BuildOptions:
    """What the command line can change about a build."""

    drafts: bool = False
    base_url: str | None = None
    strict: bool = False
    today: dt.date = field(default_factory=build_date)
    # Worker processes for Markdown. Only a caller on the main thread may ask for more than
    # one: forking a process that runs other threads (the dev server) is unsafe.
    workers: int = 1
    # Keep rendered Markdown in the site's .spanvero/cache/ between runs (the command line's
    # builds); it never changes the output, only how much is rendered again.
    cache: bool = False
