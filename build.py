#!/usr/bin/env python3
"""One command for a fresh machine: set up .venv with the project, then build or test.

    python3 build.py                 build the shipped site into _site/ (extra args go to
                                     `spanvero build`, e.g. --strict or --out DIR)
    python3 build.py test            install what the tests need and run the whole suite
                                     (extra args go to pytest, in one run)
    python3 build.py serve           live preview (extra args go to `spanvero serve`); so do
                                     check, new and explain, to `spanvero` with the same name
    python3 build.py lint            ruff check, ruff format --check and mypy (strict on src/),
                                     as CI runs them

Only the standard library is used here, because this file runs before anything is installed.
Later calls reuse .venv and reinstall only when pyproject.toml has changed.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
CHROMIUM = Path("/usr/bin/chromium")


COMMANDS = ("build", "check", "serve", "new", "explain", "test", "lint")
APT_LOCK_WAIT_SECONDS = 600  # unattended-upgrades can hold the dpkg lock for minutes


def main(argv: list[str]) -> int:
    command, args = (argv[0], argv[1:]) if argv and argv[0] in COMMANDS else ("build", argv)
    if sys.version_info < (3, 11):  # noqa: UP036 - this file runs on whatever python3 is
        print("build.py: Python 3.11 or newer is needed", file=sys.stderr)
        return 2
    apt = Apt()
    _ensure_venv(apt, extras="test" if command in ("test", "lint") else None)
    if command == "lint":
        ruff = str(BIN / "ruff")
        checks = [[ruff, "check", "."], [ruff, "format", "--check", "."], [str(BIN / "mypy")]]
        return next((code for code in map(_run, checks) if code), 0)
    if command == "test":
        _ensure_test_tools(apt)
        pytest = [str(BIN / "python"), "-m", "pytest"]
        if args:
            return _run([*pytest, *args])
        codes = [_run(run) for run in _suite(pytest)]  # both, so one run reports every failure
        return next((code for code in codes if code), 0)
    return _run([str(BIN / "spanvero"), command, *args])


class Apt:
    """Debian's apt-get, as this script uses it: root only, one `update` per run at most, waiting
    for the package lock instead of failing, and quiet unless something fails."""

    def __init__(self) -> None:
        self.updated = False

    def install(self, packages: list[str]) -> bool:
        """Install `packages` in one call; False (with a message) when we cannot."""
        if not packages:
            return True
        if shutil.which("apt-get") is None or os.geteuid() != 0:
            print(
                f"build.py: missing {', '.join(packages)}; install with: "
                f"sudo apt-get install {' '.join(packages)}",
                file=sys.stderr,
            )
            return False
        print(f"build.py: installing Debian's {', '.join(packages)}", file=sys.stderr)
        if not self.updated:
            self.updated = True
            _quiet(apt_command("update"))
        _quiet(apt_command("install", "-y", "--no-install-recommends", *packages))
        return True


def apt_command(*args: str) -> list[str]:
    """An apt-get call that waits for the dpkg lock and prints no progress."""
    wait = f"DPkg::Lock::Timeout={APT_LOCK_WAIT_SECONDS}"
    return ["apt-get", "-o", wait, "-o", "Dpkg::Use-Pty=0", "-qq", *args]


def _quiet(cmd: list[str]) -> None:
    """Run `cmd` with its output held back; print it only if the command fails."""
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    proc = subprocess.run(cmd, env=env, capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        sys.stderr.write(proc.stdout + proc.stderr)
        print(f"build.py: failed ({proc.returncode}): {' '.join(cmd)}", file=sys.stderr)
        raise SystemExit(proc.returncode)


def venv_usable() -> bool:
    """Whether .venv has its Python and the pip we install with (a `--without-pip` venv has not,
    nor one whose pip was removed)."""
    if not (BIN / "python").exists():
        return False
    pattern = "Lib/site-packages/pip" if os.name == "nt" else "lib/python3*/site-packages/pip"
    return any(VENV.glob(pattern))


def _ensure_venv(apt: Apt, extras: str | None) -> None:
    if not venv_usable():
        reason = "creating" if not VENV.exists() else "recreating (it has no working pip)"
        print(f"build.py: {reason} .venv", file=sys.stderr)
        try:
            venv.create(VENV, with_pip=True, clear=True)
        except subprocess.CalledProcessError:
            # Debian splits ensurepip into python3-venv (python3.X-venv on some releases)
            if not apt.install(["python3-venv"]):
                raise SystemExit(1) from None
            venv.create(VENV, with_pip=True, clear=True)
        for stamp in VENV.glob(".installed-*"):
            stamp.unlink()
    spec = f".[{extras}]" if extras else "."
    stamp = VENV / f".installed-{extras or 'base'}"
    digest = hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()
    if stamp.exists() and stamp.read_text() == digest:
        return
    print(f"build.py: installing {spec} into .venv", file=sys.stderr)
    pip = [str(BIN / "python"), "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
    _check([*pip, "--editable", spec], cwd=ROOT)
    stamp.write_text(digest)


def _ensure_test_tools(apt: Apt) -> None:
    """What the tests need from outside PyPI: Debian's chromium (browser tests), node and npm
    (calculator.js tests, axe-core), a Java runtime (the Nu HTML checker) and glibc's locale
    sources (a build as a French machine), installed in one apt-get call. Outside CI, a
    missing npm only skips the tests that need its packages."""
    wanted = {
        "chromium": CHROMIUM.exists(),
        "nodejs": shutil.which("node") is not None,
        "npm": shutil.which("npm") is not None,
        "default-jre-headless": shutil.which("java") is not None,
        # glibc's locale sources, from which a test compiles fr_FR to build as a French machine
        "locales": Path("/usr/share/i18n/locales/fr_FR").exists(),
    }
    apt.install([package for package, present in wanted.items() if not present])
    browser_tests = ROOT / "tests" / "browser"
    if shutil.which("npm") is None:
        message = (
            "build.py: npm is missing, so the JavaScript tests that need npm packages "
            "(axe-core) will be skipped; install it with: sudo apt-get install npm"
        )
        if os.environ.get("CI"):
            print(message.replace("will be skipped", "cannot run in CI"), file=sys.stderr)
            raise SystemExit(1)
        print(message, file=sys.stderr)
        return
    lock = browser_tests / "package-lock.json"
    installed = browser_tests / "node_modules" / ".package-lock.json"
    if not installed.exists() or installed.stat().st_mtime < lock.stat().st_mtime:
        print("build.py: installing the browser tests' npm packages", file=sys.stderr)
        _check(["npm", "ci", "--no-audit", "--no-fund", "--silent"], cwd=browser_tests)


def _check(cmd: list[str], **kwargs: object) -> None:
    code = subprocess.call(cmd, **kwargs)
    if code != 0:
        print(f"build.py: failed ({code}): {' '.join(cmd)}", file=sys.stderr)
        raise SystemExit(code)


# The whole suite as runs of pytest, each (marker expression, on every core): the tests without
# a browser on both cores (each builds small sites on one core: 4.5 minutes instead of 6.5),
# then the browser tests on their own, since chromium keeps both cores busy by itself and
# Lighthouse's performance score drops beside other work.
SUITE = (("not browser", True), ("browser", False))


def _suite(pytest: list[str]) -> list[list[str]]:
    return [
        [*pytest, *(["-n", "auto"] if every_core else []), "-m", marks]
        for marks, every_core in SUITE
    ]


def _run(cmd: list[str]) -> int:
    return subprocess.call(cmd, cwd=ROOT)


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
