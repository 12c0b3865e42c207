"""`.output` of classic operators passed into @task functions and into other classic
operators: BashOperator.output (its last stdout line), PythonOperator.output (a dict; a key of
it through ["key"]), an XComArg inside a list and a dict argument, XComArg(op) explicitly,
and the output of a classic operator with do_xcom_push=False (nothing to pull: the consumer
fails)."""

from __future__ import annotations

from datetime import datetime, timezone

from airflow.providers.standard.operators.bash import BashOperator
from airflow.providers.standard.operators.python import PythonOperator
from airflow.sdk import DAG, XComArg, task


def _make():
    return {"rows": 3, "name": "t"}


@task
def use(bash_out, py_out, rows, both, as_dict):
    return {"bash": bash_out, "py": py_out, "rows": rows, "both": both, "as_dict": as_dict}


@task
def use_silent(v):
    return v


with DAG(
    dag_id="rt_xcomarg_classic_output",
    schedule=None,
    start_date=datetime(2024, 1, 1, tzinfo=timezone.utc),
    catchup=False,
    tags=["leoflow-corpus", "xcom"],
):
    b = BashOperator(task_id="b", bash_command="echo first; echo second")
    p = PythonOperator(task_id="p", python_callable=_make)
    use(b.output, p.output, p.output["rows"], [b.output, XComArg(p)], {"k": b.output})
    silent = BashOperator(task_id="silent", bash_command="echo hidden", do_xcom_push=False)
    use_silent(silent.output)
    PythonOperator(
        task_id="op_kwargs_xcomarg",
        python_callable=lambda x, y: f"{x}-{y}",
        op_kwargs={"x": b.output, "y": p.output["name"]},
    )
