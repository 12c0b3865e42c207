"""XComArg.map() whose function raises for one item: only the mapped index that resolves that
item fails; the others run, and an all_done reduce gets their values."""

from __future__ import annotations

from datetime import datetime, timezone

from airflow.sdk import DAG, task


@task
def names():
    return ["ada", "", "grace"]


def _title(name):
    if not name:
        raise ValueError("empty name")
    return name.title()


@task
def greet(name):
    return f"hello {name}"


@task(trigger_rule="all_done")
def greetings(values):
    return list(values)


with DAG(
    dag_id="rt_map_xcomarg_map_raises",
    schedule=None,
    start_date=datetime(2024, 1, 1, tzinfo=timezone.utc),
    catchup=False,
    tags=["leoflow-corpus", "mapping"],
):
    greetings(greet.expand(name=names().map(_title)))
