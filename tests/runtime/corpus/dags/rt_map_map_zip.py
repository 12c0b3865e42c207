"""XComArg.map() transforms an upstream list before mapping; .zip() pairs two lists
(shortest wins; fillvalue for zip_longest-style)."""

from __future__ import annotations

from datetime import datetime, timezone

from airflow.sdk import DAG, task


@task
def names():
    return ["ada", "grace", "linus"]


@task
def ages():
    return [36, 85]


@task
def shout(name):
    return name


@task
def pair(p):
    name, age = p
    return f"{name}:{age}"


def _upper(name):
    return name.upper()


with DAG(
    dag_id="rt_map_map_zip",
    schedule=None,
    start_date=datetime(2024, 1, 1, tzinfo=timezone.utc),
    catchup=False,
    tags=["leoflow-corpus", "mapping"],
):
    n, a = names(), ages()
    shout.expand(name=n.map(_upper))
    pair.expand(p=n.zip(a))
    pair.override(task_id="pair_fill").expand(p=n.zip(a, fillvalue=None))
