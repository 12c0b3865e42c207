"""XComArgs between classic and TaskFlow tasks: .output, output[key], XComArg(op), templated pulls."""

from __future__ import annotations

import pendulum

from airflow.sdk import DAG, XComArg, task
from airflow.providers.standard.operators.bash import BashOperator
from airflow.providers.standard.operators.python import PythonOperator


def _produce():
    return {"path": "/tmp/out.csv", "rows": 10}


def _consume(path, rows):
    print(path, rows)


with DAG(
    dag_id="fid_xcom_args",
    start_date=pendulum.datetime(2024, 1, 1, tz="UTC"),
    schedule=None,
) as dag:
    produce = PythonOperator(task_id="produce", python_callable=_produce, multiple_outputs=True)
    consume = PythonOperator(
        task_id="consume",
        python_callable=_consume,
        op_kwargs={"path": produce.output["path"], "rows": XComArg(produce, key="rows")},
    )
    echo = BashOperator(
        task_id="echo", bash_command="echo {{ ti.xcom_pull(task_ids='produce', key='path') }}"
    )

    @task
    def from_classic(value):
        return value

    @task
    def numbers() -> list[int]:
        return [1, 2]

    @task
    def add_all(a, b, c):
        return sum(a) + b + len(c)

    classic_in = from_classic(produce.output)
    n = numbers()
    add_all(n, classic_in, echo.output)
    # an XComArg passed as a templated field of a classic operator
    BashOperator(task_id="echo_xcom", bash_command=XComArg(produce, key="path"))
    consume >> echo
