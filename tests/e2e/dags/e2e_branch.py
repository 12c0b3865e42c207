import pendulum
from airflow.sdk import DAG, task
from airflow.providers.standard.operators.empty import EmptyOperator

with DAG("e2e_branch", schedule=None, start_date=pendulum.datetime(2025, 1, 1, tz="UTC")):

    @task.branch
    def choose():
        return "left"

    left = EmptyOperator(task_id="left")
    right = EmptyOperator(task_id="right")
    join = EmptyOperator(task_id="join", trigger_rule="none_failed_min_one_success")
    choose() >> [left, right] >> join
