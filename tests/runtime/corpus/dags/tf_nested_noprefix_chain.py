from __future__ import annotations
from datetime import datetime, timezone
from airflow.sdk import DAG, task, TaskGroup, chain, chain_linear, cross_downstream
from airflow.providers.standard.operators.empty import EmptyOperator

with DAG("tf_nested_noprefix_chain", schedule=None, start_date=datetime(2024, 1, 1, tzinfo=timezone.utc), catchup=False):
    @task
    def w(name, fail=False):
        if fail:
            raise RuntimeError(name)
        return name

    with TaskGroup("outer", prefix_group_id=False) as outer:
        with TaskGroup("inner") as inner:
            i1 = w.override(task_id="i1")("i1")
            i2 = w.override(task_id="i2")("i2", fail=True)
        with TaskGroup("inner_np", prefix_group_id=False) as inner_np:
            j1 = w.override(task_id="j1")("j1")
        o1 = w.override(task_id="o1")("o1")
    s = EmptyOperator(task_id="start")
    chain(s, outer)
    x1 = w.override(task_id="x1", trigger_rule="all_done")("x1")
    x2 = w.override(task_id="x2")("x2")
    y1 = w.override(task_id="y1", trigger_rule="one_failed")("y1")
    y2 = w.override(task_id="y2", trigger_rule="none_failed")("y2")
    chain_linear(inner, [x1, x2], [y1, y2])
    c1 = EmptyOperator(task_id="c1")
    c2 = EmptyOperator(task_id="c2", trigger_rule="all_done")
    cross_downstream([j1, o1], [c1, c2])
    chain(inner_np, EmptyOperator(task_id="after_np"))
    z = EmptyOperator(task_id="z", trigger_rule="all_done")
    chain([y1, c1], [y2, c2], z)
