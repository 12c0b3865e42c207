"""DAG factory pattern: a module-level function builds the DAG from a config dict; operators are
created outside the context manager with dag=dag, wired with set_upstream/set_downstream,
cross_downstream and chain_linear."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone

from airflow.providers.standard.operators.bash import BashOperator
from airflow.providers.standard.operators.empty import EmptyOperator
from airflow.providers.standard.operators.python import PythonOperator
from airflow.sdk import DAG, chain_linear, cross_downstream

CONFIG = {
    "dag_id": "rwh_dag_factory",
    "owner": "platform",
    "steps": ["extract", "clean", "enrich"],
    "targets": ["s3", "gcs", "local"],
    "fail_target": "gcs",
}


def _step(name, previous=None, **context):
    prev = context["ti"].xcom_pull(task_ids=previous) if previous else []
    return prev + [name]


def _ship(target, fail_target, ti=None):
    if target == fail_target:
        raise IOError(f"cannot ship to {target}")
    return json.dumps({"target": target, "steps": ti.xcom_pull(task_ids="step_enrich")})


def create_dag(config: dict) -> DAG:
    dag = DAG(
        dag_id=config["dag_id"],
        schedule=None,
        start_date=datetime(2024, 1, 1, tzinfo=timezone.utc),
        catchup=False,
        default_args={"owner": config["owner"], "retries": 1, "retry_delay": timedelta(seconds=1)},
        tags=["factory"],
    )
    start = EmptyOperator(task_id="start", dag=dag)
    previous = None
    prev_task = start
    for name in config["steps"]:
        t = PythonOperator(
            task_id=f"step_{name}",
            python_callable=_step,
            op_kwargs={"name": name, "previous": previous},
            dag=dag,
        )
        t.set_upstream(prev_task)
        prev_task, previous = t, f"step_{name}"

    ships = [
        PythonOperator(
            task_id=f"ship_{target}",
            python_callable=_ship,
            op_kwargs={"target": target, "fail_target": config["fail_target"]},
            dag=dag,
        )
        for target in config["targets"]
    ]
    prev_task.set_downstream(ships)

    checks = [
        BashOperator(task_id=f"check_{i}", bash_command=f"echo check {i}", dag=dag, trigger_rule="all_done")
        for i in range(2)
    ]
    cross_downstream(ships, checks)

    with dag:
        a = [EmptyOperator(task_id=f"lin_a{i}") for i in range(2)]
        b = [EmptyOperator(task_id=f"lin_b{i}", trigger_rule="one_success") for i in range(3)]
        end = EmptyOperator(task_id="end", trigger_rule="none_failed")
        chain_linear(checks, a, b, end)
    return dag


dag = create_dag(CONFIG)
