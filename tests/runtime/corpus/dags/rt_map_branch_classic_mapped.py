"""A classic BranchPythonOperator mapped with partial().expand(): map index i of each direct
downstream mapped task reads the choice of the branch's index i (NotPreviouslySkippedDep), also
for a downstream task mapped over an upstream XCom (expanded only after the branch ran). (A
decorated @task.branch mapped the same way skips nothing: rt_map_branch_operator_mapped.)"""

from __future__ import annotations

from datetime import datetime, timezone

from airflow.providers.standard.operators.python import BranchPythonOperator
from airflow.sdk import DAG, task


def _route(n):
    return "even" if n % 2 == 0 else ["odd", "odd_late"]


@task
def numbers():
    return [2, 3]


@task
def even(n):
    return f"{n} is even"


@task
def odd(n):
    return f"{n} is odd"


@task
def odd_late(n):
    return f"{n} is odd (late)"


@task(trigger_rule="none_failed")
def after_even(value):
    return value


with DAG(
    dag_id="rt_map_branch_classic_mapped",
    schedule=None,
    start_date=datetime(2024, 1, 1, tzinfo=timezone.utc),
    catchup=False,
    tags=["leoflow-corpus", "mapping", "branching"],
):
    nums = numbers()
    route = BranchPythonOperator.partial(task_id="route", python_callable=_route).expand(
        op_args=[[2], [3]]
    )
    evens = even.expand(n=[2, 3])
    late = odd_late.expand(n=nums)
    route >> [evens, odd.expand(n=[2, 3]), late]
    after_even.expand(value=evens)
