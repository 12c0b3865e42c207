from datetime import datetime, timezone
from airflow.sdk import DAG
from airflow.providers.standard.operators.empty import EmptyOperator

with DAG("h10_trigger_target", schedule=None, start_date=datetime(2024, 1, 1, tzinfo=timezone.utc), catchup=False):
    EmptyOperator(task_id="noop")
