from __future__ import annotations

from datetime import datetime, timezone

from airflow.providers.standard.operators.bash import BashOperator
from airflow.providers.standard.operators.empty import EmptyOperator
from airflow.providers.standard.operators.python import PythonOperator
from airflow.sdk import DAG, Param


def typed(*args, n=None, dt=None, s=None, j=None, x=None):
    kw = {"n": n, "dt": dt, "s": s, "j": j, "x": x}
    return [[type(a).__name__, a] for a in args] + sorted([k, type(v).__name__, v] for k, v in kw.items())


with DAG(
    dag_id="cl_native_bash_env",
    schedule=None,
    start_date=datetime(2024, 1, 1, tzinfo=timezone.utc),
    catchup=False,
    render_template_as_native_obj=True,
    params={"lst": Param([1, 2], type="array"), "n": Param(7, type="integer"), "s": "007"},
):
    a = BashOperator(task_id="env_int", bash_command='echo "$N"', env={"N": "{{ params.n }}"})
    b = BashOperator(task_id="env_nodash", bash_command='echo "$D"', env={"D": "{{ ds_nodash }}"})
    c = BashOperator(task_id="env_str", bash_command='echo "$D"', env={"D": "{{ ds }}"})
    d = BashOperator(task_id="cmd_native", bash_command="echo {{ params.n }}")
    e = BashOperator(task_id="cmd_only_int", bash_command="{{ params.n }}")
    f = BashOperator(task_id="env_leading_zero", bash_command='echo "$S"', env={"S": "{{ params.s }}"})
    g = BashOperator(task_id="env_plain_digits", bash_command='echo "$S"', env={"S": "123"})
    p = PythonOperator(
        task_id="py_types",
        python_callable=typed,
        op_args=["{{ ds_nodash }}", "{{ params.lst }}", "{{ 1 }}{{ 2 }}", "{{ params.s }}", "  5", "True",
                 "{{ none }}" if False else "None", "{{ ds }}", "(1, 2)", "{'a': 1}", "1e3", "-0"],
        op_kwargs={"n": "{{ params.n + 1 }}", "dt": "{{ logical_date }}", "s": "{{ params.s | int }}",
                   "j": "{{ params | tojson }}", "x": "{{ [params.n] * 2 }}"},
    )
    [a, b, c, d, e, f, g, p] >> EmptyOperator(task_id="end", trigger_rule="all_done")
