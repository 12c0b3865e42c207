"""Classic operators and TaskFlow tasks feeding each other across task groups: a BashOperator's
.output passed into a @task in another group, a @task's return value used in a BashOperator's
env and bash_command and in a PythonOperator's op_kwargs in a third group, a multiple_outputs
key into a templated field, and a @task reducing the classic operators' outputs."""

from __future__ import annotations

from datetime import datetime, timezone

from airflow.providers.standard.operators.bash import BashOperator
from airflow.providers.standard.operators.python import PythonOperator
from airflow.sdk import DAG, TaskGroup, task


@task
def parse(line):
    name, count = line.split("=")
    return {"name": name, "count": int(count)}


@task(multiple_outputs=True)
def plan(parsed):
    return {"table": parsed["name"].upper(), "limit": parsed["count"] * 10}


def py_load(table, limit, parsed):
    return f"{table}:{limit}:{parsed['count']}"


@task
def summarize(bash_out, py_out):
    return [bash_out, py_out]


with DAG(
    dag_id="rt_rw_classic_taskflow_groups",
    schedule=None,
    start_date=datetime(2024, 1, 1, tzinfo=timezone.utc),
    catchup=False,
    tags=["leoflow-corpus", "xcom"],
):
    with TaskGroup("extract"):
        raw = BashOperator(task_id="read_header", bash_command="echo orders=7")
    with TaskGroup("transform"):
        parsed = parse(raw.output)
        planned = plan(parsed)
    with TaskGroup("load"):
        bash_load = BashOperator(
            task_id="bash_load",
            bash_command="echo \"$TABLE/{{ ti.xcom_pull(task_ids='transform.plan', "
            "key='limit') }}\"",
            env={"TABLE": planned["table"]},
        )
        py = PythonOperator(
            task_id="py_load",
            python_callable=py_load,
            op_kwargs={"table": planned["table"], "limit": planned["limit"], "parsed": parsed},
        )
    summarize(bash_load.output, py.output)
