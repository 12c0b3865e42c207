"""Setup and teardown around mapped work, the way per-partition clusters are handled: a setup
returns a list of cluster ids, the work is mapped over them (index 1 fails), a teardown mapped
over the same list is attached with as_teardown(setups=...), a reduce after the work is
upstream_failed and an all_done report after the teardown runs. The run fails."""

from __future__ import annotations

from datetime import datetime, timezone

from airflow.sdk import DAG, setup, task


@setup
def create_clusters():
    return ["c-0", "c-1", "c-2"]


@task
def run_job(cluster):
    if cluster == "c-1":
        raise RuntimeError(f"job on {cluster} failed")
    return f"{cluster}:done"


@task
def delete_cluster(cluster):
    return f"deleted {cluster}"


@task
def reduce(results):
    return list(results)


@task(trigger_rule="all_done")
def report(ti=None):
    return ti.xcom_pull(task_ids="delete_cluster")


with DAG(
    dag_id="rt_rw_mapped_teardown",
    schedule=None,
    start_date=datetime(2024, 1, 1, tzinfo=timezone.utc),
    catchup=False,
    tags=["leoflow-corpus", "setup-teardown"],
):
    clusters = create_clusters()
    jobs = run_job.expand(cluster=clusters)
    teardown = delete_cluster.expand(cluster=clusters).as_teardown(setups=clusters)
    jobs >> teardown
    reduce(jobs)
    teardown >> report()
