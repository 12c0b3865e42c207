"""Airflow's sensitive-word list has two copies: the agent's secrets masker (stdlib-only, loaded
inside DAG environments, so it cannot import the control plane) and the API's masking of
variables and connection extras. The agent's copy is checked against Airflow 3.2.1's list in
tests/agent/test_masking.py; this test keeps the API's copy equal to it."""

from __future__ import annotations

import importlib.util
from pathlib import Path

from leoflow.api.serializers.admin import SENSITIVE_WORDS

MASKING = Path(__file__).resolve().parents[1] / "src/agent/leoflow_agent/masking.py"


def _agent_fields() -> frozenset[str]:
    spec = importlib.util.spec_from_file_location("_leoflow_agent_masking", MASKING)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return frozenset(module.DEFAULT_SENSITIVE_FIELDS)


def test_agent_and_api_share_airflows_sensitive_words() -> None:
    assert set(SENSITIVE_WORDS) == set(_agent_fields())
