"""build.py, the set-up script: apt waits for its lock, updates once, stays quiet unless it
fails; a .venv without pip is rebuilt; outside CI a missing npm skips, never stops, the run."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def build_py(monkeypatch: pytest.MonkeyPatch) -> ModuleType:
    spec = importlib.util.spec_from_file_location("spanvero_build_script", REPO / "build.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def as_root_with_apt(build_py: ModuleType, monkeypatch: pytest.MonkeyPatch) -> list[list[str]]:
    calls: list[list[str]] = []
    monkeypatch.setattr(build_py.os, "geteuid", lambda: 0)
    monkeypatch.setattr(build_py.shutil, "which", lambda name: f"/usr/bin/{name}")
    monkeypatch.setattr(build_py, "_quiet", calls.append)
    return calls


def test_apt_waits_for_the_lock_and_prints_no_progress(build_py: ModuleType) -> None:
    assert build_py.apt_command("install", "-y", "npm") == [
        "apt-get",
        "-o",
        "DPkg::Lock::Timeout=600",
        "-o",
        "Dpkg::Use-Pty=0",
        "-qq",
        "install",
        "-y",
        "npm",
    ]


def test_one_update_per_run_and_one_install_call(
    build_py: ModuleType, as_root_with_apt: list[list[str]]
) -> None:
    apt = build_py.Apt()
    assert apt.install(["chromium", "npm"])
    assert apt.install(["python3-venv"])
    assert apt.install([])
    verbs = [cmd[cmd.index("-qq") + 1 :] for cmd in as_root_with_apt]
    assert verbs == [
        ["update"],
        ["install", "-y", "--no-install-recommends", "chromium", "npm"],
        ["install", "-y", "--no-install-recommends", "python3-venv"],
    ]


def test_without_root_apt_is_not_called_and_the_command_is_named(
    build_py: ModuleType, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(build_py.os, "geteuid", lambda: 1000)
    monkeypatch.setattr(build_py, "_quiet", lambda cmd: pytest.fail(f"ran {cmd}"))
    assert build_py.Apt().install(["chromium", "npm"]) is False
    assert "sudo apt-get install chromium npm" in capsys.readouterr().err


def test_output_is_shown_only_when_a_command_fails(
    build_py: ModuleType, capfd: pytest.CaptureFixture[str]
) -> None:
    build_py._quiet([sys.executable, "-c", "print('Reading package lists... 45%')"])
    assert capfd.readouterr().err == ""
    with pytest.raises(SystemExit) as exc:
        build_py._quiet([sys.executable, "-c", "import sys; print('E: broken'); sys.exit(100)"])
    assert exc.value.code == 100
    err = capfd.readouterr().err
    assert err.startswith("E: broken\n") and "build.py: failed (100): " in err


def test_a_venv_without_pip_is_not_usable(
    build_py: ModuleType, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    venv = tmp_path / ".venv"
    monkeypatch.setattr(build_py, "VENV", venv)
    monkeypatch.setattr(build_py, "BIN", venv / "bin")
    assert not build_py.venv_usable()
    (venv / "bin").mkdir(parents=True)
    (venv / "bin" / "python").write_text("")
    assert not build_py.venv_usable()  # python -m venv --without-pip
    (venv / "lib" / "python3.11" / "site-packages" / "pip").mkdir(parents=True)
    assert build_py.venv_usable()


def _no_npm(build_py: ModuleType, monkeypatch: pytest.MonkeyPatch) -> list[list[str]]:
    installs: list[list[str]] = []
    monkeypatch.setattr(build_py, "CHROMIUM", Path(sys.executable))  # "installed"
    monkeypatch.setattr(
        build_py.shutil, "which", lambda name: None if name == "npm" else f"/usr/bin/{name}"
    )
    monkeypatch.setattr(build_py.Apt, "install", lambda self, packages: installs.append(packages))
    monkeypatch.setattr(build_py, "_check", lambda cmd, **kw: pytest.fail(f"ran {cmd}"))
    return installs


def test_outside_ci_a_missing_npm_only_skips_its_tests(
    build_py: ModuleType, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv("CI", raising=False)
    installs = _no_npm(build_py, monkeypatch)
    build_py._ensure_test_tools(build_py.Apt())
    assert installs == [["npm"]]
    assert (
        "npm is missing, so the JavaScript tests that need npm packages (axe-core) will be "
        "skipped" in capsys.readouterr().err
    )


def test_in_ci_a_missing_npm_fails(
    build_py: ModuleType, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("CI", "true")
    _no_npm(build_py, monkeypatch)
    with pytest.raises(SystemExit) as exc:
        build_py._ensure_test_tools(build_py.Apt())
    assert exc.value.code == 1
    assert "cannot run in CI" in capsys.readouterr().err


def test_a_missing_tool_skips_outside_ci_and_fails_in_it(monkeypatch: pytest.MonkeyPatch) -> None:
    from tests.conftest import missing_tool

    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(pytest.skip.Exception, match="npm"):
        missing_tool("npm")
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="npm: it may not be skipped in CI"):
        missing_tool("npm")


def test_spanvero_commands_pass_through(
    build_py: ModuleType, monkeypatch: pytest.MonkeyPatch
) -> None:
    ran: list[list[str]] = []
    monkeypatch.setattr(build_py, "_ensure_venv", lambda apt, extras: None)
    monkeypatch.setattr(build_py, "_run", lambda cmd: ran.append(cmd) or 0)
    for argv in (["--strict"], ["check", "--format", "github"], ["explain", "E302"]):
        assert build_py.main(argv) == 0
    assert [cmd[1:] for cmd in ran] == [
        ["build", "--strict"],
        ["check", "--format", "github"],
        ["explain", "E302"],
    ]


def _collected(*args: str) -> set[str]:
    """The ids of the tests pytest collects with `args` (a collection only, nothing runs)."""
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "--collect-only", "-q", "-p", "no:cacheprovider", *args],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    return {line for line in done.stdout.splitlines() if "::" in line}


@pytest.mark.slow
def test_the_suites_runs_together_hold_every_test_once(build_py: ModuleType) -> None:
    """`build.py test` runs the suite as several pytest runs (the browser tests on their own):
    between them they must run every test there is, none twice."""
    parts = [_collected("-m", marks) for marks, _ in build_py.SUITE]
    everything = _collected()
    assert len(everything) > 2000
    assert sum(len(part) for part in parts) == len(everything)
    assert set().union(*parts) == everything
