"""A mapped setup (one index fails) with a work task and a teardown: the work is
upstream_failed, the teardown runs (all_done_setup_success: one setup index succeeded), and
the run fails."""

from __future__ import annotations

from datetime import datetime, timezone

from airflow.sdk import DAG, setup, task, teardown


@setup
def provision(node):
    if node == "n2":
        raise RuntimeError("n2 did not come up")
    return node


@task
def compute():
    return "computed"


@teardown
def deprovision():
    return "deprovisioned"


with DAG(
    dag_id="rt_mapped_setup",
    schedule=None,
    start_date=datetime(2024, 1, 1, tzinfo=timezone.utc),
    catchup=False,
    tags=["leoflow-corpus", "setup-teardown", "mapping"],
):
    nodes = provision.expand(node=["n1", "n2"])
    td = deprovision()
    nodes >> compute() >> td
    nodes >> td
