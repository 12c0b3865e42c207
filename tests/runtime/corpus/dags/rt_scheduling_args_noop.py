"""Scheduling arguments that must not change outcomes: priority_weight, weight_rule (absolute,
upstream, downstream, enum), pool="default_pool" with pool_slots, queue, max_active_tis_per_dag,
max_active_tis_per_dagrun, DAG max_active_tasks=1 and max_active_runs, owner, email flags,
doc_md, executor_config; a fan-out/fan-in whose values are gathered in order."""

from __future__ import annotations

from datetime import datetime, timezone

from airflow.providers.standard.operators.bash import BashOperator
from airflow.sdk import DAG, WeightRule, task


@task(priority_weight=10, weight_rule="absolute", pool="default_pool", pool_slots=1)
def one():
    return 1


@task(priority_weight=1, weight_rule=WeightRule.UPSTREAM, queue="other_queue")
def two():
    return 2


@task(max_active_tis_per_dag=1, weight_rule="downstream", executor_config={"k": "v"})
def three():
    return 3


@task(max_active_tis_per_dagrun=1, email_on_failure=False, email_on_retry=False, doc_md="doc")
def gather(values):
    return sum(values)


with DAG(
    dag_id="rt_scheduling_args_noop",
    schedule=None,
    start_date=datetime(2024, 1, 1, tzinfo=timezone.utc),
    catchup=False,
    max_active_tasks=1,
    max_active_runs=1,
    doc_md="# doc",
    default_args={"owner": "someone", "priority_weight": 3},
    tags=["leoflow-corpus"],
):
    vals = [one(), two(), three()]
    g = gather(vals)
    g >> BashOperator(
        task_id="bash_pool", bash_command="echo ok", pool="default_pool", pool_slots=2
    )
