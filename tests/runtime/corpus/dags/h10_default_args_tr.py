from datetime import datetime, timedelta, timezone
from airflow.sdk import DAG, TaskGroup
from airflow.providers.standard.operators.bash import BashOperator
from airflow.providers.standard.operators.empty import EmptyOperator

with DAG("h10_default_args_tr", schedule=None, start_date=datetime(2024, 1, 1, tzinfo=timezone.utc), catchup=False,
         default_args={"trigger_rule": "all_done", "retries": 1, "retry_delay": timedelta(seconds=1)}):
    bad = BashOperator(task_id="bad", bash_command="exit 1")
    j1 = EmptyOperator(task_id="j1")
    j2 = EmptyOperator(task_id="j2", trigger_rule="all_success")
    with TaskGroup("g", default_args={"trigger_rule": "one_failed", "retries": 0}):
        g1 = BashOperator(task_id="g1", bash_command="echo g1")
        g2 = BashOperator(task_id="g2", bash_command="exit 2", retries=2, retry_delay=timedelta(seconds=1))
    g3 = EmptyOperator(task_id="g3")
    bad >> [j1, j2, g1]
    j2 >> g2
    g1 >> g3
    g2 >> g3
