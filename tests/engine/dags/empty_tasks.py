"""EmptyOperators: plain ones (never run), one with a success callback (runs), mapped ones."""

from datetime import datetime, timezone
from airflow.sdk import DAG, task
from airflow.providers.standard.operators.empty import EmptyOperator

def cb(context):
    pass

with DAG(dag_id="empty_dag", schedule=None, start_date=datetime(2024, 1, 1, tzinfo=timezone.utc)):
    s = EmptyOperator(task_id="start")
    e = EmptyOperator(task_id="end", trigger_rule="all_done")
    c = EmptyOperator(task_id="with_cb", on_success_callback=cb)
    m = EmptyOperator.partial(task_id="mapped").expand(pool=["default_pool", "default_pool"])
    @task
    def mid():
        return 1
    s >> mid() >> [e, c] >> m
