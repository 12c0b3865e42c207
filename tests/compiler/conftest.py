"""Fixtures of the compiler tests: a real DAG environment (cached across runs) and a fake shim."""

from __future__ import annotations

from pathlib import Path

import pytest

from leoflow import environments

FAKE_SHIM = Path(__file__).parent / "fake_shim"
TEST_HOME = Path.home() / ".cache" / "leoflow-test" / "home"


@pytest.fixture(scope="session")
def dag_python() -> Path:
    """The Python of the default DAG environment, built once under a test-only Leoflow home."""
    return environments.ensure(home=TEST_HOME).python


@pytest.fixture(scope="session")
def fake_shim() -> Path:
    """A shim root whose loader runs the file and returns its global `dag*` dicts."""
    return FAKE_SHIM
