"""cross_downstream from two @task outputs (one fails) to three tasks with different trigger
rules (all_success, one_failed, none_failed_min_one_success), then chain() of XComArgs into a
classic BashOperator pulling both sources through templates, and an all_done task collecting
what the cross targets returned."""

from __future__ import annotations

from datetime import datetime, timezone

from airflow.providers.standard.operators.bash import BashOperator
from airflow.sdk import DAG, chain, cross_downstream, task


@task
def source_ok():
    return "ok-data"


@task
def source_bad():
    raise ValueError("source_bad fails")


@task
def target(name):
    return name


@task(trigger_rule="all_done")
def collect(ti=None):
    return ti.xcom_pull(task_ids=["t_all_success", "t_one_failed", "t_none_failed_min"])


with DAG(
    dag_id="rt_rw_cross_downstream_rules",
    schedule=None,
    start_date=datetime(2024, 1, 1, tzinfo=timezone.utc),
    catchup=False,
    tags=["leoflow-corpus"],
):
    ok, bad = source_ok(), source_bad()
    targets = [
        target.override(task_id="t_all_success")("s"),
        target.override(task_id="t_one_failed", trigger_rule="one_failed")("f"),
        target.override(task_id="t_none_failed_min", trigger_rule="none_failed_min_one_success")(
            "n"
        ),
    ]
    cross_downstream([ok, bad], targets)
    report = BashOperator(
        task_id="report",
        bash_command="echo {{ ti.xcom_pull(task_ids='source_ok') }}-"
        "{{ ti.xcom_pull(task_ids='t_one_failed') }}",
        trigger_rule="all_done",
    )
    chain(targets[1], report, collect())
    targets[0] >> report
