"""Mapping over an upstream XCom list, with partial() constants and a reduce step."""

from __future__ import annotations

from datetime import datetime, timezone

from airflow.sdk import DAG, task


@task
def list_files():
    return ["a.csv", "b.csv", "c.csv"]


@task
def process(path, prefix):
    return f"{prefix}/{path}"


@task
def collect(paths):
    return sorted(paths)


with DAG(
    dag_id="rt_map_xcom_list",
    schedule=None,
    start_date=datetime(2024, 1, 1, tzinfo=timezone.utc),
    catchup=False,
    tags=["leoflow-corpus", "mapping"],
):
    collect(process.partial(prefix="s3://bucket").expand(path=list_files()))
