from __future__ import annotations
from datetime import datetime, timedelta, timezone
from airflow.sdk import DAG, task, XComArg
from airflow.providers.standard.operators.python import PythonOperator


def produce(ti):
    ti.xcom_push(key="file_path", value="/data/out.csv")
    ti.xcom_push(key="row_count", value=42)
    return "produced"


with DAG("h14_output_keyed", schedule=None, start_date=datetime(2024, 1, 1, tzinfo=timezone.utc), catchup=False):
    p = PythonOperator(task_id="produce", python_callable=produce)

    @task
    def use(path, rows, rv):
        return [path, rows, rv]

    @task
    def missing(v):
        return v

    use(p.output["file_path"], XComArg(p, key="row_count"), p.output)
    missing(p.output["not_there"])
