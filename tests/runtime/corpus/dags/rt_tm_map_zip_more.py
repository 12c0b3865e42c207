"""XComArg.zip further: three lists of unequal lengths (shortest wins), with fillvalue (longest
wins), zip with an empty list (the mapped task is skipped), zip followed by .map(), and a
mapped task over a zip of an XCom with a literal-mapped task's XCom."""

from __future__ import annotations

from datetime import datetime, timezone

from airflow.sdk import DAG, task


@task
def letters():
    return ["a", "b", "c", "d"]


@task
def numbers():
    return [1, 2, 3]


@task
def flags():
    return [True, False]


@task
def nothing():
    return []


@task
def join(p):
    return "-".join(str(x) for x in p)


@task
def double(x):
    return x * 2


def _fmt(p):
    return f"{p[0]}{p[1]}"


with DAG(
    dag_id="rt_tm_map_zip_more",
    schedule=None,
    start_date=datetime(2024, 1, 1, tzinfo=timezone.utc),
    catchup=False,
    tags=["leoflow-corpus", "mapping"],
):
    L, N, F, E = letters(), numbers(), flags(), nothing()
    join.override(task_id="three").expand(p=L.zip(N, F))
    join.override(task_id="three_fill").expand(p=L.zip(N, F, fillvalue="_"))
    join.override(task_id="with_empty").expand(p=L.zip(E))
    join.override(task_id="zip_map").expand(p=L.zip(N).map(lambda p: [_fmt(p)]))
    d = double.expand(x=[10, 20, 30])
    join.override(task_id="with_mapped").expand(p=N.zip(d))
