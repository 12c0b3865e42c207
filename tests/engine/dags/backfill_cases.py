"""DAGs of tests/engine/test_backfills.py: cron schedules, a data-interval timetable, a slow
task (max_active_runs order), depends_on_past, and no schedule."""

from datetime import datetime

from airflow.providers.standard.operators.bash import BashOperator
from airflow.sdk import DAG
from airflow.timetables.interval import CronDataIntervalTimetable

START = datetime(2025, 1, 1)

with DAG("bf_daily", schedule="0 0 * * *", start_date=START, catchup=False):
    BashOperator(task_id="t", bash_command="true")

with DAG(
    "bf_interval",
    schedule=CronDataIntervalTimetable("0 0 * * *", timezone="UTC"),
    start_date=START,
    catchup=False,
):
    BashOperator(task_id="t", bash_command="true")

with DAG("bf_slow", schedule="0 0 * * *", start_date=START, catchup=False):
    BashOperator(task_id="t", bash_command="sleep 0.4")

with DAG("bf_past", schedule="0 0 * * *", start_date=START, catchup=False):
    BashOperator(task_id="t", bash_command="true", depends_on_past=True)

with DAG("bf_unscheduled", schedule=None, start_date=START):
    BashOperator(task_id="t", bash_command="true")

with DAG("bf_late", schedule="0 0 * * *", start_date=START, catchup=False):
    BashOperator(task_id="t", bash_command="true")
    BashOperator(task_id="late", bash_command="true", start_date=datetime(2025, 1, 3))
