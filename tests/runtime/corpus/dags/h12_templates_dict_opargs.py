from __future__ import annotations
from datetime import datetime, timedelta, timezone
START = datetime(2024, 1, 1, tzinfo=timezone.utc)

from airflow.sdk import DAG, task
from airflow.providers.standard.operators.python import PythonOperator

def f(*args, templates_dict=None, **kwargs):
    return {"args": list(args), "td": templates_dict}

with DAG("h12_templates_dict_opargs", schedule=None, start_date=START, catchup=False, params={"p": "pv"}):
    @task
    def up():
        return [3, "three", {"z": None}]
    u = up()
    op = PythonOperator(
        task_id="op", python_callable=f,
        op_args=["{{ ti.xcom_pull(task_ids='up') }}", "{{ ti.xcom_pull(task_ids='up')[1] }}", u, ["{{ params.p }}", "{{ ds_nodash }}"]],
        templates_dict={"a": "{{ ti.xcom_pull(task_ids='up') }}", "nested": {"b": "{{ params.p }}", "c": ["{{ task.task_id }}", 1]}, "lit": 7},
    )
    u >> op

    @task(templates_dict={"x": "{{ ti.xcom_pull(task_ids='up')[0] * 2 }}"})
    def tf(templates_dict=None, **kwargs):
        return templates_dict

    @task
    def tf2(a, b="{{ params.p }}", **kwargs):
        return [a, b, kwargs.get("templates_dict")]
    u >> tf()
    tf2("{{ ti.xcom_pull(task_ids='op')['td']['nested'] }}")
