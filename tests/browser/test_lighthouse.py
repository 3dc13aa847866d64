"""Lighthouse (npm, pinned in package.json) on Debian's chromium: every category ≥ 95.

Lighthouse 12.2.3 is the newest release that runs on Node 20 (13.x needs Node 22). It runs with
its default mobile emulation and simulated throttling. Simulation still scales the main-thread
tasks it observes, so on a busy machine "total blocking time" swings between runs; as
Lighthouse's own guidance on variability suggests, a page below the bar is run twice more and
judged on the median of the three runs.
"""

from __future__ import annotations

import json
import os
import shutil
import statistics
import subprocess
from pathlib import Path

import pytest

from tests.browser.conftest import CHROMIUM
from tests.conftest import REPO

pytestmark = pytest.mark.browser

LIGHTHOUSE = REPO / "tests" / "browser" / "node_modules" / "lighthouse" / "cli" / "index.js"
PAGES = {
    "home": "/",
    "explainer": "/learn/quantization/",
    "explainer-chart": "/learn/cost-of-running-a-model/",  # with its cost charts
    "models": "/models/",
    "calculator": "/calculator/",
}
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
MINIMUM = 0.95
SCORES = REPO / ".spanvero" / "lighthouse"


def _lighthouse(url: str, report: Path) -> dict[str, float | None]:
    command = [
        "node",
        str(LIGHTHOUSE),
        url,
        "--output=json",
        f"--output-path={report}",
        f"--only-categories={','.join(CATEGORIES)}",
        "--chrome-flags=--headless=new --no-sandbox --disable-gpu",
        "--quiet",
    ]
    env = {**os.environ, "CHROME_PATH": str(CHROMIUM)}
    result = subprocess.run(command, env=env, capture_output=True, text=True, timeout=240)
    assert result.returncode == 0, result.stderr[-2000:]
    data = json.loads(report.read_text())
    return {name: data["categories"][name]["score"] for name in CATEGORIES}


@pytest.mark.parametrize("kind", list(PAGES))
def test_lighthouse_scores_at_least_95_in_every_category(browser, site_url: str, kind: str) -> None:
    # `browser` fails the test under CI=true when chromium is missing, and skips it elsewhere.
    if shutil.which("node") is None or not LIGHTHOUSE.is_file():
        pytest.fail("lighthouse is missing: run python3 build.py test (npm ci in tests/browser)")
    SCORES.mkdir(parents=True, exist_ok=True)
    runs = [_lighthouse(site_url + PAGES[kind], SCORES / f"{kind}.json")]
    if any(score is None or score < MINIMUM for score in runs[0].values()):
        runs += [_lighthouse(site_url + PAGES[kind], SCORES / f"{kind}-{i}.json") for i in (2, 3)]
    scores = {name: statistics.median(run[name] or 0 for run in runs) for name in CATEGORIES}
    (SCORES / f"{kind}.scores.json").write_text(json.dumps({"median": scores, "runs": runs}) + "\n")
    low = {name: score for name, score in scores.items() if score < MINIMUM}
    assert low == {}, f"{kind}: median {scores} of {runs}"
