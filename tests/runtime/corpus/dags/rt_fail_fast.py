"""fail_fast=True: when one task fails, the tasks not yet finished are skipped.

The run state still comes from the leaves; here they all end skipped, so Airflow 3.2.1 marks
the run success.  dag.test runs tasks one at a time, so which tasks had already run depends
on the order it picks them."""

from __future__ import annotations

from datetime import datetime, timezone

from airflow.providers.standard.operators.bash import BashOperator
from airflow.sdk import DAG, chain

with DAG(
    dag_id="rt_fail_fast",
    schedule=None,
    start_date=datetime(2024, 1, 1, tzinfo=timezone.utc),
    catchup=False,
    fail_fast=True,
    tags=["leoflow-corpus"],
):
    fail_early = BashOperator(task_id="a_fails", bash_command="exit 1")
    chain(
        BashOperator(task_id="b_step_1", bash_command="echo 1"),
        BashOperator(task_id="b_step_2", bash_command="echo 2"),
        BashOperator(task_id="b_step_3", bash_command="echo 3"),
    )
    fail_early >> BashOperator(task_id="a_next", bash_command="echo never")
