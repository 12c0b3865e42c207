"""Pick a branch at run time; the branch not taken is skipped, the join still runs."""

import pendulum

from airflow.providers.standard.operators.empty import EmptyOperator
from airflow.sdk import DAG, task

with DAG(
    dag_id="branching",
    schedule=None,
    start_date=pendulum.datetime(2025, 1, 1, tz="UTC"),
    catchup=False,
    tags=["starter"],
):

    @task.branch
    def choose(**context) -> str:
        return "weekend" if context["logical_date"].weekday() >= 5 else "weekday"

    weekday = EmptyOperator(task_id="weekday")
    weekend = EmptyOperator(task_id="weekend")
    join = EmptyOperator(task_id="join", trigger_rule="none_failed_min_one_success")

    choose() >> [weekday, weekend] >> join
