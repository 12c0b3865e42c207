"""A branch inside a mapped task group (even numbers to `even`, odd to `odd`): it skips nothing
in Airflow 3.2.1 (a task in a mapped group is not a mapped operator), so both paths run at
every index; a none_failed_min_one_success join inside the group, a reduce after it."""

from __future__ import annotations

from datetime import datetime, timezone

from airflow.sdk import DAG, task, task_group


@task.branch
def route(n):
    return "per_item.even" if n % 2 == 0 else "per_item.odd"


@task
def even(n):
    return f"{n} is even"


@task
def odd(n):
    return f"{n} is odd"


@task(trigger_rule="none_failed_min_one_success")
def join():
    return "joined"


@task_group
def per_item(n):
    r = route(n)
    e, o = even(n), odd(n)
    r >> [e, o]
    j = join()
    [e, o] >> j
    return j


@task
def done(values):
    return list(values)


with DAG(
    dag_id="rt_map_group_branch",
    schedule=None,
    start_date=datetime(2024, 1, 1, tzinfo=timezone.utc),
    catchup=False,
    tags=["leoflow-corpus", "mapping", "branching"],
):
    done(per_item.expand(n=[1, 2, 3]))
