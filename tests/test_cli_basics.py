"""The `leoflow` command answers --help and --version from a fresh process."""

from __future__ import annotations

import subprocess
import sys

from leoflow import __version__


def _leoflow(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "leoflow.cli.main", *args],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_version_prints_the_package_version() -> None:
    """`leoflow --version` prints the version of the installed package and exits 0."""
    proc = _leoflow("--version")
    assert proc.returncode == 0
    assert proc.stdout.strip() == f"leoflow {__version__}"


def test_help_lists_the_compile_command() -> None:
    """`leoflow --help` names the compile command so users can discover it."""
    proc = _leoflow("--help")
    assert proc.returncode == 0
    assert "compile" in proc.stdout
