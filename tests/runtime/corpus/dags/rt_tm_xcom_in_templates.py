"""ti.xcom_pull inside templates (native rendering off): a dict value (its Python repr), an item
of it, `| tojson`, `.items() | list`, a key pulled with key=, a pull from a mapped task (all
indexes), with map_indexes=1, and task_instance.xcom_pull with a positional task id."""

from __future__ import annotations

from datetime import datetime, timezone

from airflow.providers.standard.operators.bash import BashOperator
from airflow.providers.standard.operators.python import PythonOperator
from airflow.sdk import DAG, task


@task
def cfg(ti=None):
    ti.xcom_push(key="extra", value=[1, "two"])
    return {"b": 2, "a": "x y"}


@task
def sq(x):
    return x * x


with DAG(
    dag_id="rt_tm_xcom_in_templates",
    schedule=None,
    start_date=datetime(2024, 1, 1, tzinfo=timezone.utc),
    catchup=False,
    tags=["leoflow-corpus", "templates", "xcom"],
):
    c = cfg()
    m = sq.expand(x=[1, 2, 3])
    py = PythonOperator(
        task_id="py_pulls",
        python_callable=lambda *a: list(a),
        op_args=[
            "{{ ti.xcom_pull(task_ids='cfg') }}",
            "{{ ti.xcom_pull(task_ids='cfg')['a'] }}",
            "{{ ti.xcom_pull(task_ids='cfg') | tojson }}",
            "{{ ti.xcom_pull(task_ids='cfg').items() | list }}",
            "{{ ti.xcom_pull(task_ids='cfg', key='extra') }}",
            "{{ ti.xcom_pull(task_ids='sq') | list }}",
            "{{ ti.xcom_pull(task_ids='sq', map_indexes=1) }}",
            "{{ task_instance.xcom_pull('cfg')['b'] + 1 }}",
        ],
    )
    bash = BashOperator(
        task_id="bash_pull",
        bash_command="echo \"{{ ti.xcom_pull(task_ids='cfg')['a'] }} {{ ti.xcom_pull(task_ids='sq') | sum }}\"",
    )
    [c, m] >> py
    [c, m] >> bash
