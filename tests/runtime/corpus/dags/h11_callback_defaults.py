from __future__ import annotations
import os, json
from datetime import datetime, timedelta, timezone
from airflow.sdk import DAG, task, task_group

from airflow.providers.standard.operators.bash import BashOperator
from airflow.providers.standard.operators.python import BranchPythonOperator
from airflow.providers.standard.operators.empty import EmptyOperator
DIR = "/tmp/h11_callback_defaults"

def mark(kind):
    def cb(context):
        os.makedirs(DIR, exist_ok=True)
        ti = context["ti"]
        with open(os.path.join(DIR, kind + "_" + ti.task_id), "w") as f:
            f.write(type(context.get("exception")).__name__)
    return cb

def boom(context):
    raise RuntimeError("cb boom")

def dag_cb(context):
    os.makedirs(DIR, exist_ok=True)
    open(os.path.join(DIR, "dagcb"), "w").write("x")

@task(trigger_rule="all_done")
def read():
    return sorted(os.listdir(DIR)) if os.path.isdir(DIR) else []

with DAG(dag_id="h11_callback_defaults", schedule=None, start_date=datetime(2024, 1, 1, tzinfo=timezone.utc), catchup=False,
         default_args={"on_failure_callback": [boom, mark("fail")], "on_success_callback": mark("ok"), "on_skipped_callback": [mark("skip")]},
         on_failure_callback=dag_cb, on_success_callback=dag_cb):
    b = BranchPythonOperator(task_id="branch", python_callable=lambda: "left")
    left = EmptyOperator(task_id="left")
    right = EmptyOperator(task_id="right")
    bash_fail = BashOperator(task_id="bash_fail", bash_command="exit 3")
    bash_skip = BashOperator(task_id="bash_skip", bash_command="exit 99")
    timeout = BashOperator(task_id="bash_timeout", bash_command="sleep 5", execution_timeout=timedelta(seconds=1))
    b >> [left, right]
    [left, right, bash_fail, bash_skip, timeout] >> read()
