"""A mapped task expanding over the results of another mapped task one index of which failed:
with all_success the second mapped task is upstream_failed; with all_done it expands over the
values that were pushed."""

from __future__ import annotations

from datetime import datetime, timezone

from airflow.sdk import DAG, task


@task
def invert(n):
    return 10 // n


@task
def strict_double(x):
    return x * 2


@task(trigger_rule="all_done")
def lenient_double(x):
    return x * 2


with DAG(
    dag_id="rt_map_chain_partial_failure",
    schedule=None,
    start_date=datetime(2024, 1, 1, tzinfo=timezone.utc),
    catchup=False,
    tags=["leoflow-corpus", "mapping"],
):
    inverted = invert.expand(n=[1, 0, 5])
    strict_double.expand(x=inverted)
    lenient_double.expand(x=inverted)
