"""BranchDateTimeOperator with the clock at the logical date (2025-01-01 00:00 UTC, ticking):
one window contains now, one does not, and one compares the logical date instead of now."""

from __future__ import annotations

from datetime import datetime, time, timezone

from airflow.providers.standard.operators.datetime import BranchDateTimeOperator
from airflow.providers.standard.operators.empty import EmptyOperator
from airflow.sdk import DAG

with DAG(
    dag_id="rt_branch_datetime",
    schedule=None,
    start_date=datetime(2024, 1, 1, tzinfo=timezone.utc),
    catchup=False,
    tags=["leoflow-corpus", "branching"],
):
    in_window = BranchDateTimeOperator(
        task_id="first_hour",
        follow_task_ids_if_true=["first_hour_true"],
        follow_task_ids_if_false=["first_hour_false"],
        target_lower=time(0, 0, 0),
        target_upper=time(1, 0, 0),
    )
    in_window >> [EmptyOperator(task_id="first_hour_true"), EmptyOperator(task_id="first_hour_false")]

    afternoon = BranchDateTimeOperator(
        task_id="afternoon",
        follow_task_ids_if_true=["afternoon_true"],
        follow_task_ids_if_false=["afternoon_false"],
        target_lower=time(12, 0, 0),
        target_upper=time(18, 0, 0),
    )
    afternoon >> [EmptyOperator(task_id="afternoon_true"), EmptyOperator(task_id="afternoon_false")]

    by_logical_date = BranchDateTimeOperator(
        task_id="logical_date_in_2025",
        follow_task_ids_if_true=["logical_true"],
        follow_task_ids_if_false=["logical_false"],
        target_lower=datetime(2025, 1, 1, tzinfo=timezone.utc),
        target_upper=datetime(2026, 1, 1, tzinfo=timezone.utc),
        use_task_logical_date=True,
    )
    by_logical_date >> [EmptyOperator(task_id="logical_true"), EmptyOperator(task_id="logical_false")]
