"""Airflow's safe-mode heuristic: which files may hold DAGs, from their bytes alone."""

from __future__ import annotations


def might_contain_dag(source: bytes) -> bool:
    """Airflow's default safe-mode heuristic (`might_contain_dag_via_default_heuristic`)."""
    content = source.lower()
    return b"airflow" in content and (b"dag" in content or b"asset" in content)
