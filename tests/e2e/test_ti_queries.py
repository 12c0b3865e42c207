"""A DAG whose tasks call RuntimeTaskInstance's queries (get_ti_count, get_task_states,
get_dr_count, get_dagrun_state, get_previous_ti, get_previous_dagrun, get_template_context),
run through `dags test`'s code path: agent, execution API and store answer as Airflow does."""

from __future__ import annotations

import asyncio
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

DAGS = Path(__file__).parent / "dags"

pytestmark = pytest.mark.slow


def _xcoms(doc: dict[str, Any]) -> dict[str, Any]:
    assert doc["run_state"] == "success", doc
    return {t["task_id"]: t.get("xcom_return_value") for t in doc["task_instances"]}


def test_ti_queries_in_two_runs(
    db_uri: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """In the first run the counts and states cover its finished tasks (a mapped one keyed
    `task_mapindex`), its own run is DagRunState.RUNNING and nothing is previous (all as
    Airflow's `dag.test()` answers); the second run sees the first as its previous run and task
    instance. An unknown run raises AirflowRuntimeError (404), as in a deployed Airflow, whose
    supervisor turns the client's ServerResponseError into it (ADR 0002); `dag.test()`'s
    in-process supervisor lets the ServerResponseError through instead."""
    from leoflow.cli.dags_cmd import run_dag_test

    monkeypatch.setenv("LEOFLOW_DATABASE_URL", db_uri)
    monkeypatch.setenv("LEOFLOW_HOME", str(tmp_path / "home"))

    async def run(day: str) -> dict[str, Any]:
        return await run_dag_test(
            path=DAGS / "e2e_ti_queries.py",
            dag_id=None,
            logical_date=datetime.fromisoformat(day),
            conf={},
            fast_retries=True,
            quiet=True,
            with_xcom=True,
        )

    first_doc = asyncio.run(run("2025-01-01T00:00:00+00:00"))
    first = _xcoms(first_doc)
    run_id = first_doc["run_id"]
    assert first["queries"] == {
        "ti_count": 3,  # a, grp.m[0], grp.m[1]
        "null_count": 1,  # `previous`, which waits for `queries`
        "group_count": 2,
        "index_count": 1,
        "states": {run_id: {"grp.m_0": "success", "grp.m_1": "success"}},
        "a_states": {run_id: {"a": "success"}},
        "dr_count": 1,
        "dr_success": 0,
        "dr_state": "DagRunState.RUNNING",
        "missing": ["AirflowRuntimeError", True, True],
        "context": [True, True, True],
    }
    assert first["previous"] == [None, None, None, None]

    second_doc = asyncio.run(run("2025-01-02T00:00:00+00:00"))
    second = _xcoms(second_doc)
    assert second["queries"]["dr_count"] == 2
    assert second["queries"]["dr_success"] == 1
    assert second["queries"]["a_states"] == {
        run_id: {"a": "success"},
        second_doc["run_id"]: {"a": "success"},
    }
    assert second["previous"] == [
        [run_id, "success", "2025-01-01T00:00:00+00:00", -1],
        [run_id, "DagRunState.SUCCESS", "DagRunType.MANUAL", "2025-01-01T00:00:00+00:00"],
        None,
        None,
    ]
