from __future__ import annotations
from datetime import datetime, timedelta, timezone
from airflow.sdk import DAG
from airflow.providers.standard.operators.bash import BashOperator
from airflow.providers.standard.operators.python import PythonOperator

with DAG("h14_st_as_teardown_setups", schedule=None, start_date=datetime(2024, 1, 1, tzinfo=timezone.utc), catchup=False):
    create_bucket = BashOperator(task_id="create_bucket", bash_command="echo bucket")
    create_db = PythonOperator(task_id="create_db", python_callable=lambda: "db")
    load = PythonOperator(task_id="load", python_callable=lambda: "loaded")
    cleanup = BashOperator(task_id="cleanup", bash_command="echo cleanup; exit 1")
    create_bucket >> create_db >> load >> cleanup.as_teardown(setups=[create_bucket, create_db])
    report = PythonOperator(task_id="report", python_callable=lambda: "report")
    load >> report
