from __future__ import annotations
from datetime import datetime, timedelta, timezone
START = datetime(2024, 1, 1, tzinfo=timezone.utc)

from airflow.sdk import DAG, TaskGroup, task
from airflow.providers.standard.operators.bash import BashOperator
from airflow.providers.standard.operators.empty import EmptyOperator

with DAG("h12_taskgroup_suffix_ids", schedule=None, start_date=START, catchup=False):
    groups = []
    for i in range(3):
        with TaskGroup("proc", add_suffix_on_collision=True) as tg:
            @task(task_id="load-data.v1")
            def load(i=i):
                return f"load{i}"
            b = BashOperator(task_id="b.echo-x", bash_command="echo {{ task.task_id }} {{ ti.task_id }}")
            load() >> b
        groups.append(tg)

    @task(task_id="sum.all-groups")
    def summary(**context):
        ti = context["ti"]
        return [
            ti.xcom_pull(task_ids="proc.load-data.v1"),
            ti.xcom_pull(task_ids="proc__1.load-data.v1"),
            ti.xcom_pull(task_ids="proc__2.b.echo-x"),
        ]
    s = summary()
    groups >> s
    e = EmptyOperator(task_id="end-of.dag")
    s >> e

    @task
    def ids(**context):
        return sorted(t.task_id for t in context["dag"].tasks)
    e >> ids()
