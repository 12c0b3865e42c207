"""Airflow's sensitive-word list has two copies: the agent's secrets masker (stdlib-only, loaded
inside DAG environments, so it cannot import the control plane) and the API's masking of
variables and connection extras. They must stay equal, and equal to Airflow 3.2.1's list."""

from __future__ import annotations

import importlib.util
from pathlib import Path

from leoflow.api.serializers.admin import SENSITIVE_WORDS

MASKING = Path(__file__).resolve().parents[1] / "src/agent/leoflow_agent/masking.py"

# Airflow 3.2.1's DEFAULT_SENSITIVE_FIELDS (airflow/_shared/secrets_masker), copied as a fact.
AIRFLOW_3_2_1 = {
    "access_key",
    "access_token",
    "api_key",
    "apikey",
    "authorization",
    "connection_string",
    "passphrase",
    "passwd",
    "password",
    "private_key",
    "proxy",
    "proxies",
    "proxy_password",
    "secret",
    "token",
    "keyfile_dict",
    "service_account",
}


def _agent_fields() -> frozenset[str]:
    spec = importlib.util.spec_from_file_location("_leoflow_agent_masking", MASKING)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return frozenset(module.DEFAULT_SENSITIVE_FIELDS)


def test_agent_and_api_share_airflows_sensitive_words() -> None:
    assert set(SENSITIVE_WORDS) == set(_agent_fields())


def test_the_list_is_airflows() -> None:
    assert set(SENSITIVE_WORDS) == AIRFLOW_3_2_1
