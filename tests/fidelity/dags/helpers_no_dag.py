"""Shared helpers for the DAGs in this folder: mentions airflow and dag, but defines no DAG."""

from __future__ import annotations

DEFAULT_OWNER = "airflow"


def dag_tags(*extra: str) -> list[str]:
    return ["fidelity", *extra]
