from __future__ import annotations
import os, json
from datetime import datetime, timedelta, timezone
from airflow.sdk import DAG, task, task_group, Param

from airflow.providers.standard.operators.bash import BashOperator
os.environ["AIRFLOW_CONN_H11_PRESENT"] = json.dumps({"conn_type": "http", "host": "example.invalid", "login": "u", "port": 8080, "schema": "https", "extra": {"k": "v"}})

with DAG(dag_id="h11_conn_missing", schedule=None, start_date=datetime(2024, 1, 1, tzinfo=timezone.utc), catchup=False):
    BashOperator(task_id="attr_missing", bash_command="echo {{ conn.h11_nope.host }}")
    BashOperator(task_id="get_missing", bash_command="echo '{{ conn.get(\"h11_nope\") }}'")
    BashOperator(task_id="present", bash_command="echo '{{ conn.h11_present.host }}|{{ conn.h11_present.login }}|{{ conn.h11_present.port }}|{{ conn.h11_present.schema }}|{{ conn.h11_present.extra_dejson.k }}|{{ conn.h11_present.conn_type }}|{{ conn.get(\"h11_present\").host }}'")
    BashOperator(task_id="present_missing_attr", bash_command="echo '{{ conn.h11_present.password }}|{{ conn.h11_present.description }}'")

    @task
    def hook_get():
        from airflow.sdk import BaseHook
        c = BaseHook.get_connection("h11_present")
        return [c.host, c.port, c.extra_dejson]

    @task
    def hook_missing():
        from airflow.sdk import BaseHook
        BaseHook.get_connection("h11_nope2")
        return "unreachable"

    hook_get()
    hook_missing()
