"""Setup and teardown around a mapped task whose second index fails: the teardown still runs
(its setup succeeded), a reduce after the work is upstream_failed, and the run fails."""

from __future__ import annotations

from datetime import datetime, timezone

from airflow.sdk import DAG, setup, task, teardown


@setup
def open_pool():
    return "pool-7"


@task
def load(part):
    if part == 2:
        raise RuntimeError("part 2 is corrupt")
    return part


@teardown
def close_pool(pool):
    return f"closed {pool}"


@task
def total(parts):
    return sum(parts)


with DAG(
    dag_id="rt_setup_teardown_mapped_work",
    schedule=None,
    start_date=datetime(2024, 1, 1, tzinfo=timezone.utc),
    catchup=False,
    tags=["leoflow-corpus", "setup-teardown", "mapping"],
):
    pool = open_pool()
    loaded = load.expand(part=[1, 2, 3])
    pool >> loaded
    loaded >> close_pool(pool)
    total(loaded)
