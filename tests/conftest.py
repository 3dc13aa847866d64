"""Shared test helpers: fixture sites assembled in tmp_path, and the golden-file switch."""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

from tests.serving import Served

# Hypothesis: CI runs a bounded, reproducible campaign (derandomized: a fixed seed per test);
# SPANVERO_HYPOTHESIS=long (or pytest --hypothesis-profile=long) runs a long one locally.
_SLOW_IS_FINE = [HealthCheck.too_slow, HealthCheck.data_too_large]
settings.register_profile(
    "ci", max_examples=12, derandomize=True, deadline=None, suppress_health_check=_SLOW_IS_FINE
)
settings.register_profile(
    "long", max_examples=3000, deadline=None, suppress_health_check=_SLOW_IS_FINE
)
settings.load_profile(os.environ.get("SPANVERO_HYPOTHESIS", "ci"))

REPO = Path(__file__).resolve().parent.parent
SITES = REPO / "tests" / "fixtures" / "sites"
BASE_SITE = "basic"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-golden",
        action="store_true",
        help="rewrite golden files (expected/ folders, expected_diagnostics.txt) from this run",
    )
    parser.addoption(
        "--screenshots",
        action="store_true",
        help="save a full-page screenshot of every page kind, width and colour scheme into "
        ".spanvero/screenshots/ for a person to look at (left out of CI's run: 64 of them)",
    )


# The fast tier (`-m "not slow"`) leaves out what costs seconds a test: building the shipped
# site, a browser, node's test runner, the Nu checker. Marked here, so no test can forget it.
SLOW_FIXTURES = {"shipped_site", "site_url", "csp_site_url", "page", "nojs_page"}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        fixtures = set(getattr(item, "fixturenames", ()))
        if fixtures & SLOW_FIXTURES or item.get_closest_marker("browser"):
            item.add_marker(pytest.mark.slow)


# Data ages are measured against SOURCE_DATE_EPOCH; pinning it keeps every test's diagnostics
# the same whatever day the suite runs (2026-11-28, the day the fixtures' dates were set).
FIXED_EPOCH = "1795824000"

# A whole value that is one day, as data files and front-matter write `as_of:`, `recorded:`,
# `date:`, `updated:` (a note that merely mentions a day is not one).
_DAY_VALUE = re.compile(
    r"^\s*(?:-\s+)?[A-Za-z_]+:\s*[\"']?([0-9]{4}-[0-9]{2}-[0-9]{2})[\"']?\s*(?:#.*)?$", re.M
)


def _shipped_day() -> dt.date:
    """The shipped site's own build day for tests: the newest day its content holds, and never
    before FIXED_EPOCH.

    The fixture sites' dates were set once, but the shipped site's data keeps moving: `prices
    add` writes `recorded:` with the day an observation was added, and a price looked up after
    2026-11-29 would be a day in the future (E709) at FIXED_EPOCH, failing every test of the
    shipped site. Measured against its newest day, the shipped data is never in the future and
    the day still moves only when the content does, so a run on any day gives the same result.
    """
    fixed = dt.datetime.fromtimestamp(int(FIXED_EPOCH), tz=dt.UTC).date()
    days = [
        dt.date.fromisoformat(day)
        for path in sorted((REPO / "content").rglob("*"))
        if path.suffix in {".yaml", ".yml", ".md"}
        for day in _DAY_VALUE.findall(path.read_text(encoding="utf-8"))
    ]
    return max([fixed, *days])


SHIPPED_DAY = _shipped_day()
SHIPPED_EPOCH = str(int(dt.datetime.combine(SHIPPED_DAY, dt.time(), tzinfo=dt.UTC).timestamp()))


@pytest.fixture(autouse=True)
def _fixed_build_date(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    """Pin the build's day: the shipped site's own for a module that builds it (it imports REPO
    from here; one that loads the shipped data passes SHIPPED_DAY itself), FIXED_EPOCH for the
    fixture sites everywhere else."""
    shipped = getattr(request.module, "REPO", None) is REPO
    monkeypatch.setenv("SOURCE_DATE_EPOCH", SHIPPED_EPOCH if shipped else FIXED_EPOCH)


@pytest.fixture
def update_golden(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--update-golden"))


@pytest.fixture(scope="session")
def shipped_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The shipped site, built once per run the way `python3 build.py` builds it (with search).

    Session-scoped fixtures run before the per-test date pin, so the date is pinned here too.
    """
    from spanvero_site.cli import main

    out = tmp_path_factory.mktemp("shipped") / "_site"
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOURCE_DATE_EPOCH", SHIPPED_EPOCH)
        assert main(["--root", str(REPO), "build", "--strict", "--out", str(out)]) == 0
    return out


@pytest.fixture
def served(tmp_path: Path) -> Iterator[Served]:
    """`spanvero serve --port 0` on a copy of the basic site, stopped after the test."""
    site = assemble_site(tmp_path / "site", "basic")
    server = Served(site, "--port", "0")
    yield server
    server.stop()


def build_layers(root: Path, *layers: str) -> tuple[Path, Path]:
    """A fixture site of `layers` assembled in root/site and built as CI builds a site
    (--strict, no search index, on the fixtures' day) into root/_site: (site, output)."""
    from spanvero_site.cli import main

    site = assemble_site(root / "site", *layers)
    out = root / "_site"
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOURCE_DATE_EPOCH", FIXED_EPOCH)
        code = main(["--root", str(site), "build", "--strict", "--no-search", "--out", str(out)])
    assert code == 0, f"the fixture site {layers} does not build under --strict"
    return site, out


def assemble_site(dest: Path, *layers: str) -> Path:
    """Lay the repo's templates and static files, then each fixture folder in turn, into dest.

    Invalid fixtures hold only the files that differ from the `basic` site, so each one reads
    as exactly the mistake it tests.
    """
    shutil.copytree(REPO / "templates", dest / "templates", dirs_exist_ok=True)
    shutil.copytree(REPO / "static", dest / "static", dirs_exist_ok=True)
    for layer in layers:
        source = SITES / layer
        for path in sorted(source.rglob("*")):
            rel = path.relative_to(source)
            if rel.parts[0] in ("expected", "expected_diagnostics.txt", "README.md"):
                continue
            target = dest / rel
            if path.is_dir():
                target.mkdir(parents=True, exist_ok=True)
            elif path.name.endswith(".delete"):
                target.with_name(path.name.removesuffix(".delete")).unlink()
            else:
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(path, target)
    return dest


def missing_tool(message: str) -> None:
    """A tool from outside PyPI is missing: skip on a developer's machine, fail under CI=true."""
    if os.environ.get("CI"):
        pytest.fail(f"{message}: it may not be skipped in CI")
    pytest.skip(message)


def run_node_test(test_file: str, vectors: Path) -> str:
    """Run one of tests/js/ with node's built-in runner on a vectors file; return its output."""
    import shutil
    import subprocess

    node = shutil.which("node")
    if node is None:
        missing_tool("node is required for the JavaScript tests (apt-get install nodejs)")
    proc = subprocess.run(
        [node, "--test", str(REPO / "tests" / "js" / test_file)],
        capture_output=True,
        text=True,
        env={"SPANVERO_VECTORS": str(vectors), "PATH": "/usr/bin:/bin"},
    )
    assert proc.returncode == 0, proc.stdout[-4000:] + proc.stderr[-2000:]
    return proc.stdout


def tree_bytes(folder: Path) -> dict[str, bytes]:
    """Every file under `folder`, by relative path, with its bytes."""
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }
