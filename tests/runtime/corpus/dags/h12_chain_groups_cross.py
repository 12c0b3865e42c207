from __future__ import annotations
from datetime import datetime, timedelta, timezone
START = datetime(2024, 1, 1, tzinfo=timezone.utc)

from airflow.sdk import DAG, TaskGroup, chain, cross_downstream, task, Label
from airflow.providers.standard.operators.empty import EmptyOperator
from airflow.providers.standard.operators.python import BranchPythonOperator

with DAG("h12_chain_groups_cross", schedule=None, start_date=START, catchup=False):
    @task
    def v(x):
        return x

    start = EmptyOperator(task_id="start")
    tgs = []
    for n in ["g1", "g2", "g3", "g4"]:
        with TaskGroup(n) as tg:
            v.override(task_id="a")(n) >> v.override(task_id="b")(n + "b")
        tgs.append(tg)
    end = v.override(task_id="end", trigger_rule="none_failed_min_one_success")("end")
    br = BranchPythonOperator(task_id="br", python_callable=lambda: ["g1.a", "g4.a"])
    chain(start, br, [tgs[0], tgs[1]], [tgs[2], tgs[3]], end)

    x1 = v.override(task_id="x1")(1)
    x2 = v.override(task_id="x2")(2)
    @task
    def bad():
        raise ValueError("bad")
    y1 = v.override(task_id="y1", trigger_rule="one_success")(3)
    y2 = v.override(task_id="y2")(4)
    y3 = v.override(task_id="y3", trigger_rule="one_failed")(5)
    bb = bad()
    cross_downstream([x1, x2, bb], [y1, y2, y3])
    l = EmptyOperator(task_id="lbl_target", trigger_rule="all_done")
    y2 >> Label("when done") >> l
    y3 >> Label("failed path") >> l
