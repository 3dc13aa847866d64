#!/usr/bin/env python3
"""One command for a fresh machine: set up .venv with the project, then build or test.

    python3 build.py                 build the shipped site into _site/ (extra args go to
                                     `spanvero build`, e.g. --strict or --out DIR)
    python3 build.py test            install what the tests need and run the whole suite
                                     (extra args go to pytest)
    python3 build.py serve           live preview (extra args go to `spanvero serve`)
    python3 build.py lint            ruff check and ruff format --check, as CI runs them

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


def main(argv: list[str]) -> int:
    command, args = (
        (argv[0], argv[1:]) if argv and argv[0] in ("test", "serve", "lint") else ("build", argv)
    )
    if sys.version_info < (3, 11):  # noqa: UP036 - this file runs on whatever python3 is
        print("build.py: Python 3.11 or newer is needed", file=sys.stderr)
        return 2
    _ensure_venv(extras="test" if command in ("test", "lint") else None)
    if command == "lint":
        ruff = str(BIN / "ruff")
        return _run([ruff, "check", "."]) or _run([ruff, "format", "--check", "."])
    if command == "test":
        _ensure_test_tools()
        return _run([str(BIN / "python"), "-m", "pytest", *args])
    return _run([str(BIN / "spanvero"), command, *args])


def _ensure_venv(extras: str | None) -> None:
    if not (BIN / "python").exists():
        print("build.py: creating .venv", file=sys.stderr)
        try:
            venv.create(VENV, with_pip=True, clear=True)
        except subprocess.CalledProcessError:
            _apt_install("python3-venv")  # Debian splits ensurepip into its own package
            venv.create(VENV, with_pip=True, clear=True)
    spec = f".[{extras}]" if extras else "."
    stamp = VENV / f".installed-{extras or 'base'}"
    digest = hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()
    if stamp.exists() and stamp.read_text() == digest:
        return
    print(f"build.py: installing {spec} into .venv", file=sys.stderr)
    pip = [str(BIN / "python"), "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
    _check([*pip, "--editable", spec], cwd=ROOT)
    stamp.write_text(digest)


def _ensure_test_tools() -> None:
    """What the tests need from outside PyPI: Debian's chromium (browser tests), node and npm
    (calculator.js tests, axe-core), and a Java runtime (the Nu HTML checker)."""
    if not CHROMIUM.exists():
        _apt_install("chromium")
    if shutil.which("node") is None:
        _apt_install("nodejs")
    if shutil.which("npm") is None:
        _apt_install("npm")
    if shutil.which("java") is None:
        _apt_install("default-jre-headless")
    browser_tests = ROOT / "tests" / "browser"
    lock = browser_tests / "package-lock.json"
    installed = browser_tests / "node_modules" / ".package-lock.json"
    if not installed.exists() or installed.stat().st_mtime < lock.stat().st_mtime:
        print("build.py: installing the browser tests' npm packages", file=sys.stderr)
        _check(["npm", "ci", "--no-audit", "--no-fund", "--silent"], cwd=browser_tests)


def _apt_install(package: str) -> None:
    if shutil.which("apt-get") is None or os.geteuid() != 0:
        print(
            f"build.py: '{package}' is missing; install it with: sudo apt-get install {package}",
            file=sys.stderr,
        )
        return
    print(f"build.py: installing Debian's {package}", file=sys.stderr)
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    _check(["apt-get", "update", "-qq"], env=env)
    _check(["apt-get", "install", "-y", "-qq", "--no-install-recommends", package], env=env)


def _check(cmd: list[str], **kwargs: object) -> None:
    code = subprocess.call(cmd, **kwargs)  # type: ignore[call-overload]
    if code != 0:
        print(f"build.py: failed ({code}): {' '.join(cmd)}", file=sys.stderr)
        raise SystemExit(code)


def _run(cmd: list[str]) -> int:
    return subprocess.call(cmd, cwd=ROOT)


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
