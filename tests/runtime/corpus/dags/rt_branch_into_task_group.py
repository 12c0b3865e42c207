"""Branching into task groups: the branch returns the first task id of one group; the other
group is skipped entirely, and a join after both groups uses none_failed_min_one_success."""

from __future__ import annotations

from datetime import datetime, timezone

from airflow.sdk import DAG, TaskGroup, task


@task.branch
def pick_region():
    return "eu.extract"


@task
def extract(region):
    return f"{region}-rows"


@task
def load(rows):
    return f"loaded {rows}"


@task(trigger_rule="none_failed_min_one_success")
def summarize():
    return "summary"


with DAG(
    dag_id="rt_branch_into_task_group",
    schedule=None,
    start_date=datetime(2024, 1, 1, tzinfo=timezone.utc),
    catchup=False,
    tags=["leoflow-corpus", "branching"],
):
    branch = pick_region()
    with TaskGroup("eu") as eu:
        load(extract("eu"))
    with TaskGroup("us") as us:
        load(extract("us"))
    branch >> [eu, us]
    [eu, us] >> summarize()
