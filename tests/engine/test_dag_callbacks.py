"""A DAG's own run callbacks run once the scheduler ends a run, as Airflow's DAG processor runs
a DagCallbackRequest: with the relevant try's template context and `reason`."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from leoflow.engine.runtime import Engine
from tests.airflow_context import CONTEXT_KEYS
from tests.engine.conftest import compiled, running_engine

pytestmark = pytest.mark.slow

DAG_FILE = Path(__file__).parent / "dags" / "dag_callbacks.py"
LOGICAL = datetime(2025, 1, 1, tzinfo=UTC)
# Airflow 3.2.1's DAG callback context: a try's template context and `reason` (its dag.test()
# passed exactly these to the same callbacks)
AIRFLOW_KEYS = sorted([*CONTEXT_KEYS, "reason"])


async def _run(eng: Engine, dag_id: str) -> tuple[str, str]:
    run_id = await eng.create_run(dag_id, logical_date=LOGICAL)
    return run_id, await eng.wait_run(dag_id, run_id, timeout_s=60)


def _read(out: Path, name: str) -> dict[str, Any]:
    return json.loads((out / f"{name}.json").read_text())


async def test_dag_callbacks_of_success_failure_and_timeout(
    engine: AsyncEngine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Success: each success callback in order, a raising one logged and skipped, with the last
    try to succeed as `ti` (its XComs readable) and reason "success". Failure: the failure
    callback with the failed try and reason "task_failure". dagrun_timeout: "timed_out", with
    the try that was running. No other callback runs, and the run states stand."""
    out = tmp_path / "out"
    out.mkdir()
    monkeypatch.setenv("DAGCB_OUT", str(out))
    logs = tmp_path / "logs"
    async with running_engine(engine, logs, compiled(DAG_FILE), dag_file=DAG_FILE) as eng:
        ok_run, ok_state = await _run(eng, "dagcb_success")
        bad_run, bad_state = await _run(eng, "dagcb_failure")
        late_run, late_state = await _run(eng, "dagcb_timeout")
    # stop() waited for the callbacks
    assert (ok_state, bad_state, late_state) == ("success", "failed", "failed")
    assert sorted(p.name for p in out.iterdir()) == [
        "dagcb_failure.bad.json",
        "dagcb_success.ok_one.json",
        "dagcb_success.ok_two.json",
        "dagcb_timeout.bad.json",
    ]
    one, two = _read(out, "dagcb_success.ok_one"), _read(out, "dagcb_success.ok_two")
    assert one == two
    assert one == {
        "keys": AIRFLOW_KEYS,
        "reason": "success",
        "run_id": ok_run,
        "dag_id": "dagcb_success",
        "ti": ["second", -1, None, 1],
        "dag_run_state": "DagRunState.SUCCESS",
        "pulled": {"a": 1},
    }
    failed = _read(out, "dagcb_failure.bad")
    assert failed["keys"] == AIRFLOW_KEYS
    assert (failed["reason"], failed["ti"], failed["pulled"]) == (
        "task_failure",
        ["boom", -1, None, 1],
        5,
    )
    assert (failed["run_id"], failed["dag_run_state"]) == (bad_run, "DagRunState.FAILED")
    late = _read(out, "dagcb_timeout.bad")
    assert (late["run_id"], late["reason"], late["ti"][:2], late["pulled"]) == (
        late_run,
        "timed_out",
        ["sleeper", -1],
        "quick",
    )
    log = (
        logs
        / "dag_id=dagcb_success"
        / f"run_id={ok_run.replace(':', '_').replace('+', '_')}"
        / "on_success_callback.log"
    ).read_text()
    assert "Callback failed for dagcb_success" in log
    assert "the callback broke" in log
    assert "Executing on_success dag callback: ok_two" in log
