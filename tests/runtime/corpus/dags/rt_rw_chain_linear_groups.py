"""chain_linear with task groups: start >> [group_a, group_b] >> [merge_x, merge_y] >> finish,
where one task inside group_a fails: every root of both groups follows start, every leaf of
both groups precedes both merges; merge_x (all_success) is upstream_failed, merge_y
(all_done) runs, and finish (none_failed) is upstream_failed."""

from __future__ import annotations

from datetime import datetime, timezone

from airflow.providers.standard.operators.empty import EmptyOperator
from airflow.sdk import DAG, TaskGroup, chain_linear, task


@task
def step(name):
    return name


@task
def broken():
    raise RuntimeError("group_a.broken fails")


with DAG(
    dag_id="rt_rw_chain_linear_groups",
    schedule=None,
    start_date=datetime(2024, 1, 1, tzinfo=timezone.utc),
    catchup=False,
    tags=["leoflow-corpus"],
):
    start = EmptyOperator(task_id="start")
    with TaskGroup("group_a") as group_a:
        step.override(task_id="a1")("a1")
        broken()
    with TaskGroup("group_b") as group_b:
        step.override(task_id="b1")("b1") >> step.override(task_id="b2")("b2")
    merge_x = step.override(task_id="merge_x")("x")
    merge_y = step.override(task_id="merge_y", trigger_rule="all_done")("y")
    finish = EmptyOperator(task_id="finish", trigger_rule="none_failed")
    chain_linear(start, [group_a, group_b], [merge_x, merge_y], finish)
