"""Arguments of TaskFlow tasks: a literal string argument holding a template (rendered, as
op_args / op_kwargs are template fields; a template in a parameter's default is not), multiple_outputs inferred from a `-> dict[...]`
return annotation (a key pulled downstream), `dag.param(...)` as an argument, a
PythonOperator with nested templated op_kwargs (a tuple in them stays a tuple), xcom_pull of a task id that does not exist
(None), and undefined names in templates (StrictUndefined: the task fails)."""

from __future__ import annotations

from datetime import datetime, timezone

from airflow.providers.standard.operators.bash import BashOperator
from airflow.providers.standard.operators.python import PythonOperator
from airflow.sdk import DAG, task


@task
def templated_arg(day, label="{{ params.label }}-{{ ds_nodash }}"):
    return [day, label]


@task
def stats() -> dict[str, int]:
    return {"rows": 3, "cols": 2}


@task
def use_rows(rows):
    return rows * 10


@task
def use_param(p):
    return p


def _nested(cfg):
    return cfg


with DAG(
    dag_id="rt_ctx_task_args",
    schedule=None,
    start_date=datetime(2024, 1, 1, tzinfo=timezone.utc),
    catchup=False,
    params={"label": "L", "size": 5},
    tags=["leoflow-corpus", "templates"],
) as dag:
    templated_arg("{{ ds }}")
    templated_arg.override(task_id="templated_kwarg")("x", label="{{ dag.dag_id }}")
    use_rows(stats()["rows"])
    use_param(dag.param("size"))
    PythonOperator(
        task_id="nested_op_kwargs",
        python_callable=_nested,
        op_kwargs={"cfg": {"days": ["{{ ds }}", "{{ macros.ds_add(ds, 1) }}"], "n": 1, "t": ("{{ params.size }}",)}},
    )
    BashOperator(task_id="pull_missing_task", bash_command="echo '{{ ti.xcom_pull(task_ids=\"no_such_task\") }}'")
    BashOperator(task_id="undefined_name", bash_command="echo '{{ no_such_name }}'")
    BashOperator(task_id="undefined_attr", bash_command="echo '{{ params.no_such_param }}'")
