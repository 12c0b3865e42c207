"""Variable.set / Variable.delete in tasks (through the execution API, as Airflow's worker):
a plain string, a JSON value (serialize_json), a delete, then reads in a later task and a
template; a non-string value without serialize_json fails the task."""

from __future__ import annotations

from datetime import datetime, timezone

from airflow.providers.standard.operators.bash import BashOperator
from airflow.sdk import DAG, Variable, task

with DAG(
    dag_id="rt_variable_set_delete",
    schedule=None,
    start_date=datetime(2024, 1, 1, tzinfo=timezone.utc),
    catchup=False,
    tags=["leoflow-corpus", "variables"],
):

    @task
    def write():
        Variable.set("rt_vsd_plain", "hello")
        Variable.set("rt_vsd_json", {"a": [1, 2]}, serialize_json=True)
        Variable.set("rt_vsd_gone", "x", description="deleted below")
        Variable.delete("rt_vsd_gone")
        return "written"

    @task
    def read(_):
        return {
            "plain": Variable.get("rt_vsd_plain"),
            "json": Variable.get("rt_vsd_json", deserialize_json=True),
            "raw": Variable.get("rt_vsd_json"),
            "gone": Variable.get("rt_vsd_gone", default="missing"),
        }

    @task
    def not_a_string():
        Variable.set("rt_vsd_number", 5)
        return "unreachable"

    templated = BashOperator(task_id="templated", bash_command="echo {{ var.value.rt_vsd_plain }}")
    read(write()) >> templated
    not_a_string()
