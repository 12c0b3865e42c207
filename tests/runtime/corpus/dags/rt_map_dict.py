"""Mapping over a dict (literal and from XCom): each mapped index gets a (key, value) pair."""

from __future__ import annotations

from datetime import datetime, timezone

from airflow.sdk import DAG, task


@task
def config():
    return {"alpha": 1, "beta": 2}


@task
def show(item):
    key, value = item
    return f"{key}={value}"


@task
def show_literal(item):
    key, value = item
    return f"{key}:{value}"


with DAG(
    dag_id="rt_map_dict",
    schedule=None,
    start_date=datetime(2024, 1, 1, tzinfo=timezone.utc),
    catchup=False,
    tags=["leoflow-corpus", "mapping"],
):
    show.expand(item=config())
    show_literal.expand(item={"x": 10, "y": 20, "z": 30})
