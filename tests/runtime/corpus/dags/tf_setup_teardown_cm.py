from __future__ import annotations
from datetime import datetime, timezone
from airflow.sdk import DAG, task, setup, teardown

with DAG("tf_setup_teardown_cm", schedule=None, start_date=datetime(2024, 1, 1, tzinfo=timezone.utc), catchup=False):
    @setup
    def create():
        return "res"

    @teardown
    def delete(r):
        return f"deleted {r}"

    @task
    def work(r, fail=False):
        if fail:
            raise RuntimeError("boom")
        return r + "!"

    @task
    def after():
        return "after"

    c = create()
    with delete(c):
        w1 = work(c)
        w2 = work.override(task_id="work_fail")(c, fail=True)
        w1 >> w2
    w2 >> after()

    @setup
    def s2():
        return 2

    @teardown(on_failure_fail_dagrun=False)
    def t2():
        return "t2"

    with s2() >> t2():
        work.override(task_id="inner2")("x")

    @task
    def plain_setup():
        return "p"
    ps = plain_setup().as_setup()
    @teardown
    def delete3(r):
        return f"d3 {r}"
    td = delete3(ps)
    ps >> work.override(task_id="w3")("y") >> td
