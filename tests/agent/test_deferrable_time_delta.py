"""TimeDeltaSensor(deferrable=True) as Airflow's: done at once (returning True) when its moment
has passed; one that would really defer fails clearly (Leoflow has no triggerer yet)."""

from __future__ import annotations

DAG_SRC = """
from datetime import timedelta
from airflow.providers.standard.sensors.time_delta import TimeDeltaSensor

with DAG("d", schedule=None, start_date=START):
    TimeDeltaSensor(task_id="past", delta=timedelta(seconds=-30), deferrable=True)
    TimeDeltaSensor(task_id="future", delta=timedelta(days=36500), deferrable=True)
"""


def test_a_passed_moment_needs_no_triggerer(server, run_agent, compiled_ti, dag_file):
    path = dag_file(DAG_SRC)
    out = run_agent(compiled_ti(path, "past"), dag_file=path)
    assert out.state == "success", out.text()
    assert out.report["xcoms"] == [{"key": "return_value", "value": True}]
    out = run_agent(compiled_ti(path, "future"), dag_file=path)
    assert out.state == "failed"
    assert "no triggerer" in out.text()
