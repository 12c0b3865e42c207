"""Task groups (nested, prefix_group_id), chain / cross_downstream / chain_linear and edge
Labels wiring; everything succeeds."""

from __future__ import annotations

from datetime import datetime, timezone

from airflow.providers.standard.operators.empty import EmptyOperator
from airflow.sdk import DAG, Label, TaskGroup, chain, chain_linear, cross_downstream, task


@task
def step(name):
    return name


with DAG(
    dag_id="rt_task_groups_chain",
    schedule=None,
    start_date=datetime(2024, 1, 1, tzinfo=timezone.utc),
    catchup=False,
    tags=["leoflow-corpus"],
):
    start = EmptyOperator(task_id="start")
    with TaskGroup("outer") as outer:
        with TaskGroup("inner"):
            i1 = step.override(task_id="i1")("outer.inner.i1")
            i2 = step.override(task_id="i2")("outer.inner.i2")
            i1 >> i2
        with TaskGroup("flat", prefix_group_id=False):
            f1 = step.override(task_id="flat_1")("flat_1")
    x = [EmptyOperator(task_id=f"x{i}") for i in range(2)]
    y = [EmptyOperator(task_id=f"y{i}") for i in range(2)]
    start >> Label("go") >> outer
    outer >> x
    cross_downstream(x, y)
    z = [EmptyOperator(task_id=f"z{i}") for i in range(2)]
    w = [EmptyOperator(task_id=f"w{i}") for i in range(2)]
    chain_linear(y, z, w)
    chain(w[0], [EmptyOperator(task_id="p0"), EmptyOperator(task_id="p1")], EmptyOperator(task_id="end"))
