"""Which mapped values Airflow renders: expand() over a literal list holding templates (rendered)
and over an upstream XCom list holding the same text (not rendered), for a BashOperator's
bash_command and a @task argument; a templated partial() argument of a mapped @task; a mapped
PythonOperator over literal op_kwargs dicts with templates and a templated templates_dict in
partial()."""

from __future__ import annotations

from datetime import datetime, timezone

from airflow.providers.standard.operators.bash import BashOperator
from airflow.providers.standard.operators.python import PythonOperator
from airflow.sdk import DAG, task


@task
def commands():
    return ["echo {{ ds }}", "echo '{{ params.word }}'"]


@task
def texts():
    return ["{{ ds_nodash }}", "plain"]


@task
def show(text, suffix):
    return f"{text}|{suffix}"


def _py(x, templates_dict=None):
    return [x, templates_dict["day"]]


with DAG(
    dag_id="rt_tm_map_template_sources",
    schedule=None,
    start_date=datetime(2024, 1, 1, tzinfo=timezone.utc),
    catchup=False,
    params={"word": "hello"},
    tags=["leoflow-corpus", "mapping", "templates"],
):
    BashOperator.partial(task_id="bash_literal").expand(
        bash_command=["echo {{ ds }}", "echo '{{ params.word }}'"]
    )
    BashOperator.partial(task_id="bash_xcom").expand(bash_command=commands())
    show.partial(suffix="{{ ds }}").override(task_id="show_literal").expand(
        text=["{{ ds_nodash }}", "plain"]
    )
    show.partial(suffix="{{ params.word }}").override(task_id="show_xcom").expand(text=texts())
    PythonOperator.partial(
        task_id="py_literal", python_callable=_py, templates_dict={"day": "{{ ds }}"}
    ).expand(op_kwargs=[{"x": "{{ params.word }}"}, {"x": "{{ ti.map_index }}"}])
