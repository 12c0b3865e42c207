"""xcom_pull from inside mapped tasks: a mapped task pulling the same index of another mapped
task by default (no map_indexes), with map_indexes=None, with an explicit list, and a list of
task ids crossed with a list of map indexes (product order, defaults for missing ones); a
BashOperator template pulling every index and one index; include_prior_dates=True with
map_indexes."""

from __future__ import annotations

from datetime import datetime, timezone

from airflow.providers.standard.operators.bash import BashOperator
from airflow.sdk import DAG, task


@task
def square(x):
    return x * x


@task
def single():
    return "one"


@task
def consume(y, ti=None):
    return {
        "y": y,
        "same_index": ti.xcom_pull(task_ids="square"),
        "none_index": ti.xcom_pull(task_ids="square", map_indexes=None),
        "listed": ti.xcom_pull(task_ids="square", map_indexes=[2, 0]),
        "product": ti.xcom_pull(task_ids=["square", "single"], map_indexes=[1, -1], default="d"),
        "prior": ti.xcom_pull(task_ids="square", map_indexes=1, include_prior_dates=True),
    }


with DAG(
    dag_id="rt_rw_xcom_pull_mapped_consumer",
    schedule=None,
    start_date=datetime(2024, 1, 1, tzinfo=timezone.utc),
    catchup=False,
    tags=["leoflow-corpus", "xcom"],
):
    sq = square.expand(x=[1, 2, 3])
    one = single()
    con = consume.expand(y=["a", "b", "c"])
    [sq, one] >> con
    total = BashOperator(
        task_id="total",
        bash_command="echo {{ ti.xcom_pull(task_ids='square') | sum }}"
        " {{ ti.xcom_pull(task_ids='square', map_indexes=2) }}"
        " {{ ti.xcom_pull(task_ids='consume') | length }}",
    )
    con >> total
