from __future__ import annotations
from datetime import datetime, timedelta, timezone
import os
from airflow.sdk import DAG, task

D = "/tmp/h14_h14_callbacks_markers"


def mark(name):
    def cb(context):
        os.makedirs(D, exist_ok=True)
        ti = context["ti"]
        with open(os.path.join(D, name), "a") as f:
            f.write(f"{ti.task_id}:{ti.try_number}\n")
    return cb


with DAG("h14_callbacks_markers", schedule=None, start_date=datetime(2024, 1, 1, tzinfo=timezone.utc), catchup=False,
         default_args={"on_failure_callback": mark("fail"), "on_success_callback": mark("ok"),
                       "on_retry_callback": mark("retry"), "retry_delay": timedelta(seconds=1)}):
    @task(retries=1)
    def flaky():
        raise RuntimeError("x")

    @task
    def fine():
        return 1

    @task(on_success_callback=None)
    def no_cb():
        return 2

    @task(on_failure_callback=[mark("fail"), mark("fail2")])
    def two_cbs():
        raise ValueError("y")

    @task(trigger_rule="all_done")
    def read():
        return {n: sorted(open(os.path.join(D, n)).read().split()) for n in sorted(os.listdir(D))}

    [flaky(), fine(), no_cb(), two_cbs()] >> read()
