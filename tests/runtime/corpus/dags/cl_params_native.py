from __future__ import annotations

from datetime import datetime, timezone

from airflow.providers.standard.operators.bash import BashOperator
from airflow.providers.standard.operators.empty import EmptyOperator
from airflow.providers.standard.operators.python import PythonOperator
from airflow.sdk import DAG, Param


def echo(*a, **k):
    return [[type(x).__name__, x] for x in a]


def produce():
    return {"k": [1, 2], "s": "text"}


with DAG(
    dag_id="cl_params_native",
    schedule=None,
    start_date=datetime(2024, 1, 1, tzinfo=timezone.utc),
    catchup=False,
    render_template_as_native_obj=True,
    params={
        "i": Param(3, type="integer", minimum=0),
        "f": Param(1.5, type="number"),
        "opt": Param(None, type=["null", "string"]),
        "e": Param("b", enum=["a", "b"]),
        "o": Param({"x": 1}, type="object"),
        "plain": "str",
        "b": Param(False, type="boolean"),
    },
):
    p = PythonOperator(task_id="produce", python_callable=produce)
    c = PythonOperator(
        task_id="consume",
        python_callable=echo,
        op_args=[
            "{{ params.i }}", "{{ params.f }}", "{{ params.opt }}", "{{ params.e }}", "{{ params.o }}",
            "{{ params.b }}", "{{ ti.xcom_pull('produce') }}", "{{ ti.xcom_pull('produce')['k'] }}",
            "{{ ti.xcom_pull('produce')['s'] }}", "{{ ti.xcom_pull(task_ids='nope') }}",
            "{{ params.i }} {{ params.f }}", "{{ task.params.i }}", "{{ params.o.x + params.i }}",
        ],
        params={"i": 10},
    )
    b = BashOperator(task_id="bash_native_cmd", bash_command="echo {{ ti.xcom_pull('produce')['k'] }}")
    n = BashOperator(task_id="bash_native_none_cmd", bash_command="{{ params.opt }}")
    p >> [c, b, n] >> EmptyOperator(task_id="end", trigger_rule="all_done")
