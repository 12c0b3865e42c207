"""TriggerDagRunOperator with a conf JSON cannot hold (a datetime, a set) fails when it runs
with Airflow's ValueError, although dag.json could only keep the conf as JSON."""

from __future__ import annotations

DAG_SRC = """
from datetime import datetime
from airflow.providers.standard.operators.trigger_dagrun import TriggerDagRunOperator

with DAG("d", schedule=None, start_date=START):
    TriggerDagRunOperator(task_id="dated", trigger_dag_id="other", conf={"d": datetime(2024, 1, 1)})
    TriggerDagRunOperator(task_id="setted", trigger_dag_id="other", conf={"s": {1}})
"""


def test_a_conf_json_cannot_hold_fails_the_task(server, run_agent, compiled_ti, dag_file):
    path = dag_file(DAG_SRC)
    for task_id, shown in (("dated", "datetime.datetime(2024, 1, 1, 0, 0)"), ("setted", "{1}")):
        out = run_agent(compiled_ti(path, task_id), dag_file=path)
        assert out.state == "failed", out.text()
        assert "conf parameter should be JSON Serializable: {'" in out.text()
        assert shown in out.text()
    assert not [c for c in server.calls if c[0] == "POST" and "dag-runs" in c[1]]
