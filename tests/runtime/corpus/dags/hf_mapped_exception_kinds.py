from __future__ import annotations

from datetime import datetime, timedelta, timezone
import os

from airflow.sdk import DAG, task, setup, teardown, task_group, TaskGroup, chain
from airflow.providers.standard.operators.empty import EmptyOperator
from airflow.providers.standard.operators.bash import BashOperator
from airflow.providers.standard.operators.python import PythonOperator
from airflow.sdk.exceptions import AirflowFailException, AirflowSkipException

START = datetime(2024, 1, 1, tzinfo=timezone.utc)


with DAG(dag_id="hf_mapped_exception_kinds", schedule=None, start_date=START, catchup=False):

    @task(retries=2, retry_delay=timedelta(seconds=0.3))
    def work(i):
        if i == 0:
            raise AirflowFailException("hard")
        if i == 1:
            raise AirflowSkipException("skip me")
        if i == 2:
            raise KeyError("plain")
        if i == 3:
            p = "/tmp/m3"
            if not os.path.exists(p):
                open(p, "w").close()
                raise RuntimeError("once")
            return "recovered"
        return i * 10

    @task(trigger_rule="all_done")
    def collect(vals):
        return sorted(v for v in vals if v is not None) if not isinstance(vals, str) else vals

    @task(trigger_rule="one_failed")
    def on_fail():
        return "one failed"

    @task(trigger_rule="none_failed")
    def nf():
        return "nf"

    @task(trigger_rule="all_skipped")
    def allsk():
        return "allsk"

    @task
    def per(v):
        return v

    w = work.expand(i=[0, 1, 2, 3, 4])
    collect(w)
    w >> [on_fail(), nf(), allsk()]
    per.expand(v=w)
