"""DAGs of tests/engine/test_dagruns.py: timetables, max_active_runs, assets, timeouts."""

from datetime import datetime, timedelta

from airflow.providers.standard.operators.bash import BashOperator
from airflow.sdk import DAG, Asset

START = datetime(2025, 1, 1)
A1, A2 = Asset("dagruns_a1"), Asset("dagruns_a2")

with DAG(
    "dr_catchup",
    schedule="0 0 * * *",
    start_date=START,
    end_date=datetime(2025, 1, 4),
    catchup=True,
):
    BashOperator(task_id="t", bash_command="true")

with DAG("dr_latest", schedule="0 0 * * *", start_date=START, catchup=False):
    BashOperator(task_id="t", bash_command="true")

with DAG(
    "dr_one_at_a_time",
    schedule="0 0 * * *",
    start_date=START,
    end_date=datetime(2025, 1, 3),
    catchup=True,
    max_active_runs=1,
):
    BashOperator(task_id="t", bash_command="true")

with DAG("dr_producer", schedule=None, start_date=START):
    BashOperator(task_id="make_a1", bash_command="true", outlets=[A1])
    BashOperator(task_id="make_a2", bash_command="true", outlets=[A2])

with DAG("dr_consumer", schedule=(A1 & A2), start_date=START):
    BashOperator(task_id="t", bash_command="true")

with DAG("dr_timeout", schedule=None, start_date=START, dagrun_timeout=timedelta(seconds=1)):
    BashOperator(task_id="slow", bash_command="sleep 30")

with DAG("dr_failing", schedule=None, start_date=START, max_consecutive_failed_dag_runs=2):
    BashOperator(task_id="fail", bash_command="exit 1")
