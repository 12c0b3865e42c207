"""Classic operators mapped over upstream XComs: BashOperator.partial(...).expand(env=...) over a
@task's list of dicts (one index exits 1 and fails), PythonOperator.partial().expand(op_args=...)
over a list of lists, expand_kwargs on a PythonOperator with op_kwargs dicts, a mapped
EmptyOperator downstream of the failed index, and an all_done @task reading every index."""

from __future__ import annotations

from datetime import datetime, timezone

from airflow.providers.standard.operators.bash import BashOperator
from airflow.providers.standard.operators.python import PythonOperator
from airflow.sdk import DAG, task


@task
def envs():
    return [
        {"REGION": "eu", "CODE": "0"},
        {"REGION": "us", "CODE": "1"},
        {"REGION": "ap", "CODE": "0"},
    ]


@task
def arg_lists():
    return [[1, 2], [3, 4, 5]]


@task
def kwarg_dicts():
    return [{"op_kwargs": {"a": 1, "b": 2}}, {"op_kwargs": {"a": 10, "b": 20}}]


def add_all(*nums):
    return sum(nums)


def mul(a, b):
    return a * b


@task(trigger_rule="all_done")
def gather(ti=None):
    return {
        "regions": ti.xcom_pull(task_ids="per_region"),
        "sums": ti.xcom_pull(task_ids="add_all"),
        "products": ti.xcom_pull(task_ids="mul"),
    }


with DAG(
    dag_id="rt_rw_map_classic_partial",
    schedule=None,
    start_date=datetime(2024, 1, 1, tzinfo=timezone.utc),
    catchup=False,
    tags=["leoflow-corpus", "mapping"],
):
    regions = BashOperator.partial(
        task_id="per_region", bash_command='echo "$REGION" && exit "$CODE"'
    ).expand(env=envs())
    sums = PythonOperator.partial(task_id="add_all", python_callable=add_all).expand(
        op_args=arg_lists()
    )
    prods = PythonOperator.partial(task_id="mul", python_callable=mul).expand_kwargs(kwarg_dicts())
    [regions, sums, prods] >> gather()
