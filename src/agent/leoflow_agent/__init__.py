"""Leoflow's agent: runs one task try inside a DAG's environment (ADR 0002).

Stdlib only, plus jinja2; real Airflow only on the generic path. Importing this package does no
work: the entry points are ``python -m leoflow_agent`` and ``python -m leoflow_agent.forkserver``.
"""

__all__ = ["__version__"]

__version__ = "0.1.0"
