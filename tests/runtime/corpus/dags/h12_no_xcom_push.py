from __future__ import annotations
from datetime import datetime, timedelta, timezone
START = datetime(2024, 1, 1, tzinfo=timezone.utc)

from airflow.sdk import DAG, task
from airflow.providers.standard.operators.bash import BashOperator
from airflow.providers.standard.operators.python import PythonOperator

with DAG("h12_no_xcom_push", schedule=None, start_date=START, catchup=False):
    b = BashOperator(task_id="b", bash_command="echo hi", do_xcom_push=False)
    p = PythonOperator(task_id="p", python_callable=lambda: {"a": 1}, do_xcom_push=False)

    @task(do_xcom_push=False)
    def t():
        return 5

    @task(do_xcom_push=False, multiple_outputs=True)
    def mo():
        return {"a": 1, "b": 2}

    @task.bash(do_xcom_push=False)
    def tb():
        return "echo bashdec"

    @task(trigger_rule="all_done")
    def pull(**context):
        ti = context["ti"]
        return [ti.xcom_pull(task_ids=x) for x in ["b", "p", "t", "mo", "tb"]] + [ti.xcom_pull(task_ids="mo", key="a")]

    tt, mm, bb = t(), mo(), tb()
    [b, p, tt, mm, bb] >> pull()

    @task
    def consume(v):
        return ["got", v]
    consume(tt)
    consume.override(task_id="consume_b")(b.output)
