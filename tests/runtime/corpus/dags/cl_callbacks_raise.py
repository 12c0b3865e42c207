from __future__ import annotations

import os
from datetime import datetime, timedelta, timezone

from airflow.providers.standard.operators.bash import BashOperator
from airflow.providers.standard.operators.empty import EmptyOperator
from airflow.providers.standard.operators.python import PythonOperator, ShortCircuitOperator
from airflow.sdk import DAG

DIR = "/tmp/cl_callbacks_raise"


def mark(name):
    def cb(context):
        os.makedirs(DIR, exist_ok=True)
        with open(os.path.join(DIR, name), "a") as f:
            f.write(f"{context['ti'].task_id}:{context['ti'].try_number}\n")
    return cb


def boom(context):
    raise RuntimeError("callback boom")


def read():
    if not os.path.isdir(DIR):
        return {}
    return {n: sorted(open(os.path.join(DIR, n)).read().split()) for n in sorted(os.listdir(DIR))}


def flaky(ti):
    if ti.try_number < 2:
        raise ValueError("first try fails")
    return ti.try_number


with DAG(
    dag_id="cl_callbacks_raise",
    schedule=None,
    start_date=datetime(2024, 1, 1, tzinfo=timezone.utc),
    catchup=False,
    default_args={"retry_delay": timedelta(seconds=1)},
):
    s = BashOperator(task_id="success_cb_raises", bash_command="echo ok",
                     on_success_callback=[boom, mark("success_after_boom")])
    f = BashOperator(task_id="failure_cb_raises", bash_command="exit 1",
                     on_failure_callback=[boom, mark("failure_after_boom")])
    r = PythonOperator(task_id="retry_then_ok", python_callable=flaky, retries=2,
                       on_retry_callback=[mark("retry"), boom], on_success_callback=mark("success"))
    k = BashOperator(task_id="skipped_cb_raises", bash_command="exit 99",
                     on_skipped_callback=[boom, mark("skipped")])
    e = BashOperator(task_id="execute_cb_raises", bash_command="echo x",
                     on_execute_callback=boom, on_success_callback=mark("success"))
    sc = ShortCircuitOperator(task_id="sc_false", python_callable=lambda: False)
    sc_child = EmptyOperator(task_id="sc_child", on_skipped_callback=mark("sc_child_skipped"))
    sc >> sc_child
    uf = EmptyOperator(task_id="upstream_failed_child", on_failure_callback=mark("uf"),
                       on_skipped_callback=mark("uf_skip"))
    f >> uf
    rf = BashOperator(task_id="retry_exhausted", bash_command="exit 2", retries=1,
                      on_retry_callback=mark("retry"), on_failure_callback=mark("final_failure"))
    reader = PythonOperator(task_id="read_markers", python_callable=read, trigger_rule="all_done")
    [s, f, r, k, e, sc_child, uf, rf] >> reader
