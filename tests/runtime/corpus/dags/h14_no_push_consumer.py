from __future__ import annotations
from datetime import datetime, timedelta, timezone
from airflow.sdk import DAG, task
from airflow.providers.standard.operators.bash import BashOperator

with DAG("h14_no_push_consumer", schedule=None, start_date=datetime(2024, 1, 1, tzinfo=timezone.utc), catchup=False):
    @task(do_xcom_push=False)
    def quiet():
        return {"secret": 1}

    @task
    def consume(v):
        return ["got", v]

    b = BashOperator(task_id="bash_quiet", bash_command="echo hi", do_xcom_push=False)

    consume(quiet())
    consume.override(task_id="consume_bash")(b.output)
