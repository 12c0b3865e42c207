from __future__ import annotations
from datetime import datetime, timedelta, timezone
START = datetime(2024, 1, 1, tzinfo=timezone.utc)

from airflow.sdk import dag, task, task_group, setup, teardown

@dag(dag_id="h12_setup_teardown_group", schedule=None, start_date=START, catchup=False)
def d():
    @setup
    def create():
        return "res"

    @teardown
    def destroy(r):
        return f"destroyed {r}"

    @task
    def work(r):
        raise ValueError("work failed")

    @task
    def work_ok(r):
        return r + "ok"

    @task_group
    def grp():
        c = create()
        w = work(c)
        w2 = work_ok(c)
        t = destroy(c)
        [w, w2] >> t

    @task
    def after_grp():
        return "after"

    @task(trigger_rule="all_done")
    def after_all_done():
        return "ad"

    g = grp()
    g >> after_grp()
    g >> after_all_done()

    @task_group
    def grp2():
        @setup
        def s2():
            return 2
        @teardown(on_failure_fail_dagrun=True)
        def t2(x):
            raise RuntimeError("td fails")
        @task
        def w3(x):
            return x * 2
        s = s2()
        w3(s) >> t2(s)
    g2 = grp2()
    @task
    def after2():
        return "a2"
    g2 >> after2()
d()
