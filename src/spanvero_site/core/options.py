"""What the command line can change about a build, the build's date included.

Kept apart from the builder so that the command line can key its cache on the options without
importing the build stack (Jinja, markdown-it, Pygments) when nothing needs building.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from spanvero_site.core.dates import build_date


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
