"""Concurrency limits, pools, pool slots, priority weights and every weight rule."""

from __future__ import annotations

import datetime

import pendulum

from airflow.sdk import DAG, WeightRule, task
from airflow.providers.standard.operators.bash import BashOperator
from airflow.providers.standard.operators.empty import EmptyOperator

with DAG(
    dag_id="fid_concurrency_pools",
    start_date=pendulum.datetime(2024, 1, 1, tz="UTC"),
    schedule="*/15 * * * *",
    max_active_runs=3,
    max_active_tasks=8,
    max_consecutive_failed_dag_runs=5,
    dagrun_timeout=datetime.timedelta(hours=2),
    is_paused_upon_creation=False,
    fail_fast=False,
) as dag:
    heavy = BashOperator(
        task_id="heavy",
        bash_command="echo heavy",
        pool="big_machines",
        pool_slots=4,
        priority_weight=100,
        weight_rule=WeightRule.ABSOLUTE,
        max_active_tis_per_dag=1,
        queue="gpu",
    )
    light = EmptyOperator(
        task_id="light", priority_weight=3, weight_rule="upstream", max_active_tis_per_dagrun=2
    )
    downstream_rule = EmptyOperator(task_id="downstream_rule", weight_rule=WeightRule.DOWNSTREAM)
    negative = EmptyOperator(task_id="negative", priority_weight=-5)

    @task(max_active_tis_per_dag=2, max_active_tis_per_dagrun=1, pool="api", priority_weight=7)
    def call_api(n: int) -> int:
        return n

    mapped = call_api.expand(n=[1, 2, 3, 4])
    heavy >> light >> downstream_rule >> negative >> mapped
