"""BranchDayOfWeekOperator: 2025-01-01 is a Wednesday (clock at the logical date)."""

from __future__ import annotations

from datetime import datetime, timezone

from airflow.providers.standard.operators.empty import EmptyOperator
from airflow.providers.standard.operators.weekday import BranchDayOfWeekOperator
from airflow.sdk import DAG

with DAG(
    dag_id="rt_branch_day_of_week",
    schedule=None,
    start_date=datetime(2024, 1, 1, tzinfo=timezone.utc),
    catchup=False,
    tags=["leoflow-corpus", "branching"],
):
    midweek = BranchDayOfWeekOperator(
        task_id="is_wednesday",
        week_day="Wednesday",
        follow_task_ids_if_true="wednesday_work",
        follow_task_ids_if_false="other_day_work",
    )
    midweek >> [EmptyOperator(task_id="wednesday_work"), EmptyOperator(task_id="other_day_work")]

    weekend = BranchDayOfWeekOperator(
        task_id="is_weekend",
        week_day={"Saturday", "Sunday"},
        follow_task_ids_if_true="weekend_work",
        follow_task_ids_if_false="weekday_work",
        use_task_logical_date=True,
    )
    weekend >> [EmptyOperator(task_id="weekend_work"), EmptyOperator(task_id="weekday_work")]
