"""as_teardown(setups=[...]) with several setups and a task group in between: two setups feed a
group whose second task fails; the shared teardown (all_done_setup_success) runs and so does a
task after it; a second teardown whose setups are one failing and one successful runs (its
work is upstream_failed); a third pairs a single setup with a work task that succeeds. The run
fails."""

from __future__ import annotations

from datetime import datetime, timezone

from airflow.sdk import DAG, TaskGroup, task


@task
def create(name):
    return f"{name}-id"


@task
def broken_setup():
    raise RuntimeError("bucket quota exceeded")


@task
def work(name):
    return name


@task
def crash():
    raise RuntimeError("transform crashed")


@task
def delete(name):
    return f"deleted {name}"


with DAG(
    dag_id="rt_rw_teardown_multi_setups",
    schedule=None,
    start_date=datetime(2024, 1, 1, tzinfo=timezone.utc),
    catchup=False,
    tags=["leoflow-corpus", "setup-teardown"],
):
    cluster = create.override(task_id="create_cluster")("cluster")
    bucket = create.override(task_id="create_bucket")("bucket")
    with TaskGroup("transform") as transform:
        work.override(task_id="prepare")("prepare") >> crash.override(task_id="run")()
    drop = delete.override(task_id="delete_all")("all").as_teardown(setups=[cluster, bucket])
    [cluster, bucket] >> transform >> drop
    drop >> work.override(task_id="after_teardown")("after")

    table = create.override(task_id="create_table")("table")
    quota = broken_setup.override(task_id="create_quota")()
    use = work.override(task_id="use_table")("use")
    drop_table = delete.override(task_id="drop_table")("table").as_teardown(setups=[table, quota])
    [table, quota] >> use >> drop_table

    cache = create.override(task_id="create_cache")("cache")
    warm = work.override(task_id="warm_cache")("warm")
    flush = delete.override(task_id="flush_cache")("cache").as_teardown(setups=cache)
    cache >> warm >> flush
