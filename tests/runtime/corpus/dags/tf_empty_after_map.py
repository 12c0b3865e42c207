from __future__ import annotations
from datetime import datetime, timezone
from airflow.sdk import DAG, task

with DAG("tf_empty_after_map", schedule=None, start_date=datetime(2024, 1, 1, tzinfo=timezone.utc), catchup=False):
    @task
    def src():
        return [1, 2, 3]

    @task
    def to_empty(x):
        return []

    @task
    def m(x):
        return x

    @task(trigger_rule="all_done")
    def collect(v):
        return list(v)

    @task
    def flat(lists):
        return [i for l in lists for i in l]

    @task
    def nothing():
        return []

    s = src()
    e = to_empty.expand(x=s)
    f = flat(e)
    mm = m.expand(x=f)
    collect(mm)
    n = nothing()
    m1 = m.override(task_id="m_empty").expand(x=n)
    m2 = m.override(task_id="m_of_empty").expand(x=m1)
    collect.override(task_id="collect2")(m2)
    m3 = m.override(task_id="m_zip_empty").expand(x=s.zip(n))
    after = m.override(task_id="after_zip", trigger_rule="none_failed")(1)
    m3 >> after
    z = m.override(task_id="m_concat").expand(x=n.concat(s))
    collect.override(task_id="collect_concat")(z)
    mm2 = m.override(task_id="m_partial_empty").partial().expand(x=n.map(lambda v: v))
    m.override(task_id="after_map_empty", trigger_rule="all_success")(mm2)
