"""Expanding over two arguments gives their cross product (2 x 3 = 6 mapped indices)."""

from __future__ import annotations

from datetime import datetime, timezone

from airflow.sdk import DAG, task


@task
def combine(env, region):
    return f"{env}-{region}"


with DAG(
    dag_id="rt_map_cross_product",
    schedule=None,
    start_date=datetime(2024, 1, 1, tzinfo=timezone.utc),
    catchup=False,
    tags=["leoflow-corpus", "mapping"],
):
    combine.expand(env=["dev", "prod"], region=["eu", "us", "ap"])
