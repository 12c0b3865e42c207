from __future__ import annotations
from datetime import datetime, timezone
from airflow.sdk import DAG, task, task_group

with DAG("tf_branch_nested_groups", schedule=None, start_date=datetime(2024, 1, 1, tzinfo=timezone.utc), catchup=False):
    @task
    def w(x=None):
        return x

    @task_group(prefix_group_id=False)
    def outer():
        @task_group
        def inner_a():
            w.override(task_id="a1")(1) >> w.override(task_id="a2")(2)

        @task_group
        def inner_b():
            w.override(task_id="b1")(1)
            w.override(task_id="b2", trigger_rule="all_done")(2)

        @task.branch
        def pick():
            return "inner_b"

        p = pick()
        ia, ib = inner_a(), inner_b()
        p >> [ia, ib]
        return ib

    o = outer()
    j = w.override(task_id="join", trigger_rule="none_failed_min_one_success")()
    o >> j

    @task.branch
    def pick_mapped_child():
        return ["mg.leaf"]

    @task_group
    def mg(v):
        lf = w.override(task_id="leaf")(v)
        w.override(task_id="leaf2")(lf)

    pc = pick_mapped_child()
    g = mg.expand(v=[1, 2])
    other = w.override(task_id="other")(0)
    pc >> [g, other]
