"""Graceful shutdown: running tries get the grace period, then are reset for their next try
(Airflow's adopt_or_reset_orphaned_tasks); a restart runs them again."""

from __future__ import annotations

from urllib.parse import quote

from .conftest import poll

SLEEPY = """\
from airflow.sdk import DAG
from airflow.providers.standard.operators.bash import BashOperator

with DAG("sleepy", schedule=None):
    BashOperator(task_id="nap", bash_command="sleep 60", retries=0)
"""


async def test_stop_resets_running_tries_and_restart_runs_them(start_lite, make_workspace) -> None:
    """A try still running after the grace is killed and reset (state None, its try recorded
    as failed in the history, not counted against retries); the restarted Lite runs the task
    again as try 2."""
    ws = make_workspace({"dags/sleepy.py": SLEEPY})
    lite, api = await start_lite(ws)
    await api.send("PATCH", "/dags/sleepy", {"is_paused": False})  # DAGs register paused
    _, run = await api.send("POST", "/dags/sleepy/dagRuns", {"logical_date": None})
    ti_path = f"/dags/sleepy/dagRuns/{quote(run['dag_run_id'], safe='')}/taskInstances/nap"

    async def state(expected: str | None, try_number: int) -> bool:
        status, ti = await api.get(ti_path)
        return status == 200 and (ti["state"], ti["try_number"]) == (expected, try_number)

    assert await poll(lambda: state("running", 1), 60, every_s=0.1)
    lite.options.grace_s = 0.3  # the sleep outlives it
    await lite.stop()

    _lite2, api2 = await start_lite(ws)
    api.base = api2.base
    _, again = await api2.get(ti_path)
    assert again["state"] in (None, "scheduled", "queued", "running")
    assert await poll(lambda: state("running", 2), 60, every_s=0.1)
    status, tries = await api2.get(ti_path + "/tries")
    assert status == 200
    assert (1, "failed") in [(t["try_number"], t["state"]) for t in tries["task_instances"]]
    _, dag_run = await api2.get(f"/dags/sleepy/dagRuns/{quote(run['dag_run_id'], safe='')}")
    assert dag_run["state"] == "running"  # resumed, not failed
