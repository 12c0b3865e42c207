from __future__ import annotations
from datetime import datetime, timedelta, timezone
START = datetime(2024, 1, 1, tzinfo=timezone.utc)

from airflow.sdk import dag, task, task_group, setup, teardown

@dag(dag_id="h12_teardown_mapped_group_fail", schedule=None, start_date=START, catchup=False)
def d():
    @task_group
    def tg(x):
        @setup
        def s(x):
            return x
        @task
        def w(v):
            if v == 2:
                raise ValueError("two")
            return v
        @teardown
        def t(v):
            return f"td{v}"
        ss = s(x)
        w(ss) >> t(ss)

    @task
    def after():
        return "after"

    @task(trigger_rule="all_done")
    def after_done():
        return "done"
    g = tg.expand(x=[1, 2, 3])
    g >> after()
    g >> after_done()
d()
