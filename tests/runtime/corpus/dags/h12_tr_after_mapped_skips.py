from __future__ import annotations
from datetime import datetime, timedelta, timezone
START = datetime(2024, 1, 1, tzinfo=timezone.utc)

from airflow.sdk import dag, task
from airflow.exceptions import AirflowSkipException
from airflow.providers.standard.operators.empty import EmptyOperator

@dag(dag_id="h12_tr_after_mapped_skips", schedule=None, start_date=START, catchup=False)
def d():
    @task
    def m(x):
        if x % 2:
            raise AirflowSkipException("odd")
        return x

    @task
    def allskip(x):
        raise AirflowSkipException("all")

    mm = m.expand(x=[0, 1, 2, 3])
    aa = allskip.expand(x=[1, 2])
    rules = ["all_success", "one_success", "none_skipped", "none_failed", "all_done_min_one_success", "all_skipped", "none_failed_min_one_success", "one_done", "all_done"]
    for r in rules:
        EmptyOperator(task_id=f"after_{r}", trigger_rule=r).set_upstream(mm)
        EmptyOperator(task_id=f"allsk_{r}", trigger_rule=r).set_upstream(aa)

    @task
    def per_index(v):
        return v + 100
    p = per_index.expand(v=mm)

    @task(trigger_rule="none_failed")
    def per_index_nf(v):
        return v + 1000
    pn = per_index_nf.expand(v=mm)

    @task(trigger_rule="all_done")
    def red(a, b):
        return [list(a), list(b)]
    red(p, pn)
d()
