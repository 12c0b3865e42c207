"""Setup -> work -> teardown, all succeed (decorators, teardown wired with .as_teardown)."""

from __future__ import annotations

from datetime import datetime, timezone

from airflow.sdk import DAG, setup, task, teardown


@setup
def create_cluster():
    return "cluster-1"


@task
def run_query(cluster):
    return f"rows from {cluster}"


@teardown
def delete_cluster(cluster):
    return f"deleted {cluster}"


with DAG(
    dag_id="rt_setup_teardown_basic",
    schedule=None,
    start_date=datetime(2024, 1, 1, tzinfo=timezone.utc),
    catchup=False,
    tags=["leoflow-corpus", "setup-teardown"],
):
    cluster = create_cluster()
    work = run_query(cluster)
    work >> delete_cluster(cluster)
