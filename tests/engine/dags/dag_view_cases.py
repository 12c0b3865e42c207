"""DAG of tests/engine/test_engine_try_requests.py: the context's `dag` of tasks that run without
their DAG file loaded (its task ids come as one string in the run context)."""

from datetime import datetime

from airflow.providers.standard.operators.bash import BashOperator
from airflow.providers.standard.operators.weekday import BranchDayOfWeekOperator
from airflow.sdk import DAG

EVERY_DAY = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]

with DAG("dag_view", schedule=None, start_date=datetime(2025, 1, 1)):
    BashOperator(task_id="ids", bash_command="echo {{ dag.task_ids | join(',') }}")
    bad = BranchDayOfWeekOperator(
        task_id="bad_branch",
        follow_task_ids_if_true="missing",
        follow_task_ids_if_false="missing",
        week_day=EVERY_DAY,
    )
    bad >> BashOperator(task_id="after", bash_command="echo after")
