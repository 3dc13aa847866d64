"""Calendar days: the build's today and what counts as the future.

One rule for each, so that every check agrees: an explainer's future date (W213), a price or
measurement observed in the future (E709), stale prices (W707), `spanvero new` and
`spanvero prices add` all count days the same way, whatever zone the machine is set to.
"""

from __future__ import annotations

import datetime as dt
import os

# Editors write the day it is where they are. The build's day is the day in UTC, and the
# zones east of it (up to UTC+14) are at most one day ahead, so one day later is still today
# somewhere; anything after that is a typo.
SLACK = dt.timedelta(days=1)


def build_date() -> dt.date:
    """The day data ages are measured against: SOURCE_DATE_EPOCH's day when it is set (so two
    builds of the same input are byte-identical, as reproducible-builds tooling expects), else
    today. Both are the day in UTC, not in the machine's zone: a build on a laptop in Auckland
    and one on a CI runner in Oregon at the same moment must report the same diagnostics."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.isascii() and epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), tz=dt.UTC).date()
    return dt.datetime.now(dt.UTC).date()


def is_future(day: dt.date, today: dt.date) -> bool:
    """Whether no place on Earth has reached `day` yet on the build's day `today` (UTC)."""
    return day > today + SLACK
