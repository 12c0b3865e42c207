"""fail_fast=True: when a task fails, the tasks not yet finished are skipped, not upstream_failed.

One root fails; everything downstream of it is still waiting, so fail_fast skips it (without
fail_fast it would end upstream_failed).  The run state comes from the leaves: they all end
skipped, so Airflow 3.2.1 marks the run success.  Only one task is ever ready at a time, so the
outcome does not depend on the order in which ready tasks run."""

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
    chain(
        BashOperator(task_id="a_fails", bash_command="exit 1"),
        [
            BashOperator(task_id="b_left", bash_command="echo left"),
            BashOperator(task_id="b_right", bash_command="echo right"),
        ],
        BashOperator(task_id="c_join", bash_command="echo never"),
    )
