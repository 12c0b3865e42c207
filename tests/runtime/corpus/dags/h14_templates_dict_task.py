from __future__ import annotations
from datetime import datetime, timedelta, timezone
from airflow.sdk import DAG, task

with DAG("h14_templates_dict_task", schedule=None, start_date=datetime(2024, 1, 1, tzinfo=timezone.utc), catchup=False, params={"table": "orders"}):
    @task(templates_dict={"query": "SELECT * FROM {{ params.table }} WHERE ds='{{ ds }}'", "n": "{{ 3 * 3 }}"})
    def run_query(templates_dict=None, **context):
        return [templates_dict["query"], templates_dict["n"], context["templates_dict"] is templates_dict]

    @task
    def with_tpl_arg(q: str, run_id=None):
        return [q, run_id is not None]

    run_query()
    with_tpl_arg("{{ params.table }}-{{ task.task_id }}")
