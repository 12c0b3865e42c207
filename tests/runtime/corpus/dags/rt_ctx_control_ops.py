"""EmptyOperator with trigger rules after a failure (one_failed runs, all_success is
upstream_failed, all_done runs, none_failed is upstream_failed), an EmptyOperator after a
skip (skipped), and a TriggerDagRunOperator (wait_for_completion=False) to a second DAG of the
same file with a templated conf and trigger_run_id; the created run is not executed."""

from __future__ import annotations

from datetime import datetime, timezone

from airflow.providers.standard.operators.empty import EmptyOperator
from airflow.providers.standard.operators.trigger_dagrun import TriggerDagRunOperator
from airflow.sdk import DAG, task
from airflow.sdk.exceptions import AirflowSkipException


@task
def boom():
    raise ValueError("boom")


@task
def skipper():
    raise AirflowSkipException("skip")


with DAG(
    dag_id="rt_ctx_control_target",
    schedule=None,
    start_date=datetime(2024, 1, 1, tzinfo=timezone.utc),
    catchup=False,
    tags=["leoflow-corpus"],
):
    EmptyOperator(task_id="noop")


with DAG(
    dag_id="rt_ctx_control_ops",
    schedule=None,
    start_date=datetime(2024, 1, 1, tzinfo=timezone.utc),
    catchup=False,
    tags=["leoflow-corpus"],
):
    b = boom()
    for rule in ("one_failed", "all_success", "all_done", "none_failed"):
        b >> EmptyOperator(task_id=f"empty_{rule}", trigger_rule=rule)
    skipper() >> EmptyOperator(task_id="empty_after_skip")
    TriggerDagRunOperator(
        task_id="trigger",
        trigger_dag_id="rt_ctx_control_target",
        trigger_run_id="rt_ctx_from_{{ ds_nodash }}",
        conf={"origin": "{{ dag.dag_id }}", "day": "{{ ds }}"},
        wait_for_completion=False,
    )
