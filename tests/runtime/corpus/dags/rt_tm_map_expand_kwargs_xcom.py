"""expand_kwargs over an upstream XCom list of dicts: on a classic BashOperator (each dict sets
bash_command and env, holding templates that are rendered per index), on a PythonOperator
(op_kwargs per index), and on a @task where one dict lacks an argument and one has an extra key
(those indexes fail); a reduce with all_done gets the values that were pushed."""

from __future__ import annotations

from datetime import datetime, timezone

from airflow.providers.standard.operators.bash import BashOperator
from airflow.providers.standard.operators.python import PythonOperator
from airflow.sdk import DAG, task


@task
def bash_kwargs():
    return [
        {"bash_command": "echo {{ ds }}-$X", "env": {"X": "one"}},
        {"bash_command": "echo {{ ti.map_index }}-$X", "env": {"X": "{{ params.word }}"}},
    ]


@task
def py_kwargs():
    return [{"op_kwargs": {"n": 1}}, {"op_kwargs": {"n": 2, "label": "{{ ds_nodash }}"}}]


@task
def add_kwargs():
    return [{"a": 1, "b": 2}, {"a": 5}, {"a": 1, "b": 1, "c": 9}, {"b": 3, "a": 4}]


@task
def add(a, b):
    return a + b


@task(trigger_rule="all_done")
def total(values):
    return sorted(values)


def _show(n, label="none"):
    return f"{n}:{label}"


with DAG(
    dag_id="rt_tm_map_expand_kwargs_xcom",
    schedule=None,
    start_date=datetime(2024, 1, 1, tzinfo=timezone.utc),
    catchup=False,
    params={"word": "two"},
    tags=["leoflow-corpus", "mapping"],
):
    BashOperator.partial(task_id="bash_mapped").expand_kwargs(bash_kwargs())
    PythonOperator.partial(task_id="py_mapped", python_callable=_show).expand_kwargs(py_kwargs())
    total(add.expand_kwargs(add_kwargs()))
