"""DAGs of tests/engine/test_engine_try_requests.py: rendered fields and upstream XComs of a try."""

from datetime import datetime

from airflow.providers.standard.operators.bash import BashOperator
from airflow.sdk import DAG, task

with DAG("reqs", schedule=None, start_date=datetime(2025, 1, 1)):

    @task
    def source():
        return {"n": 1, "t": (1, 2)}

    @task
    def big():
        return "x" * 70_000

    @task
    def work(x, y, ti=None):
        return {
            "x": x,
            "t_is_tuple": isinstance(x["t"], tuple),
            "pulled": ti.xcom_pull(task_ids="source"),
            "y": len(y),
        }

    work(source(), big())
    BashOperator(task_id="short", bash_command="echo {{ dag.dag_id }} {{ ti.task_id }}")
    BashOperator(task_id="fails", bash_command="echo {{ ti.task_id }}; exit 1")
    BashOperator(task_id="long", bash_command="echo {{ ti.task_id }}; sleep 4")
