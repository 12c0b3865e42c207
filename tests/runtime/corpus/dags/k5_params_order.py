"""Params declared in sorted order (no params_order in dag.json), with task-level params: the
context's params and {{ params }} list them as declared."""
from datetime import datetime, timezone
from airflow.sdk import DAG, task
from airflow.providers.standard.operators.bash import BashOperator

with DAG(
    dag_id="k5_params_order",
    schedule=None,
    start_date=datetime(2024, 1, 1, tzinfo=timezone.utc),
    params={"a_long_name": 1, "count": 3, "name": "w", "zz": [1]},
):
    @task(params={"b_task_param": 2, "x": 1})
    def keys(**context):
        return list(context["params"])

    b = BashOperator(task_id="b", bash_command="echo '{{ params | list | join(\",\") }}'")
    keys() >> b
