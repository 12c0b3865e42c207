from __future__ import annotations

from datetime import datetime, timedelta, timezone

from airflow.providers.standard.operators.bash import BashOperator
from airflow.providers.standard.operators.empty import EmptyOperator
from airflow.providers.standard.operators.python import PythonOperator
from airflow.sdk import DAG, TaskGroup


def show(*args, **kwargs):
    return [list(args), sorted((k, str(v)) for k, v in kwargs.items() if k in ("a", "b", "c"))]


def fail_once(ti):
    if ti.try_number == 1:
        raise ValueError("x")
    return ti.try_number


with DAG(
    dag_id="cl_default_args_prec",
    schedule=None,
    start_date=datetime(2024, 1, 1, tzinfo=timezone.utc),
    catchup=False,
    params={"p": "dag"},
    default_args={
        "retries": 2,
        "retry_delay": timedelta(seconds=1),
        "skip_on_exit_code": 3,
        "op_kwargs": {"a": "da-{{ ds }}", "b": "db"},
        "op_args": ["default-arg"],
        "env": {"FROM": "default"},
        "do_xcom_push": True,
        "owner": "someone",
        "pool": "default_pool",
        "doc_md": "# doc",
        "params": {"p": "default_args", "q": "dq"},
        "trigger_rule": "all_done",
        "cwd": "/tmp",
    },
):
    b1 = BashOperator(task_id="bash_skip_default", bash_command="exit 3")
    b2 = BashOperator(task_id="bash_skip_override", bash_command="exit 3", skip_on_exit_code=None, retries=0)
    b3 = BashOperator(task_id="bash_env_default", bash_command='echo "$FROM $(pwd) {{ params.p }} {{ params.q }}"')
    b4 = BashOperator(task_id="bash_env_override", bash_command='echo "${FROM:-none}"', env={"OTHER": "1"})
    p1 = PythonOperator(task_id="py_defaults", python_callable=show)
    p2 = PythonOperator(task_id="py_override", python_callable=show, op_kwargs={"c": "tc"}, op_args=[])
    p3 = PythonOperator(task_id="py_retry_default", python_callable=fail_once, op_kwargs={}, op_args=[])
    p4 = PythonOperator(task_id="py_no_retry", python_callable=fail_once, op_kwargs={}, op_args=[], retries=0)
    with TaskGroup("g", default_args={"retries": 0, "skip_on_exit_code": None, "trigger_rule": "all_success"}):
        g1 = BashOperator(task_id="group_bash", bash_command="exit 3")
        g2 = EmptyOperator(task_id="group_after")
        g1 >> g2
    e = EmptyOperator(task_id="end_default_all_done", pool="default_pool", pool_slots=1, priority_weight=5,
                      weight_rule="absolute", queue="q", owner="x", doc_md="d")
    [b1, b2, b3, b4, p1, p2, p3, p4, g2] >> e
    e2 = EmptyOperator(task_id="end_all_success", trigger_rule="all_success")
    [b1, b3] >> e2
