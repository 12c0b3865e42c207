"""A @task.branch inside a nested task group choosing, by full id, a mapped task in the inner
group and a plain task of the outer group; the unchosen inner task and its downstream are
skipped, the mapped task runs at every index over an upstream XCom, and joins with
none_failed_min_one_success at the inner and outer level run."""

from __future__ import annotations

from datetime import datetime, timezone

from airflow.sdk import DAG, TaskGroup, task


@task
def partitions():
    return ["p0", "p1", "p2"]


@task.branch
def route(parts):
    return ["outer.inner.reprocess", "outer.audit"] if len(parts) == 3 else "outer.inner.full"


@task
def reprocess(part):
    return f"re:{part}"


@task
def full():
    return "full"


@task
def after_full():
    return "after full"


@task
def audit():
    return "audited"


@task(trigger_rule="none_failed_min_one_success")
def inner_join(values):
    return sorted(values)


@task(trigger_rule="none_failed_min_one_success")
def outer_join():
    return "joined"


with DAG(
    dag_id="rt_rw_nested_group_branch_mapped",
    schedule=None,
    start_date=datetime(2024, 1, 1, tzinfo=timezone.utc),
    catchup=False,
    tags=["leoflow-corpus", "branching"],
):
    parts = partitions()
    with TaskGroup("outer"):
        decision = route(parts)
        with TaskGroup("inner") as inner:
            re = reprocess.expand(part=parts)
            f = full()
            f >> after_full()
            joined = inner_join(re)
            f >> joined
        a = audit()
        decision >> [re, f, a]
        oj = outer_join()
        [inner, a] >> oj
