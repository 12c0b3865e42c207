from datetime import datetime, timezone
from airflow.sdk import DAG
from airflow.providers.standard.operators.smooth import SmoothOperator
from airflow.providers.standard.operators.empty import EmptyOperator
from airflow.providers.standard.operators.python import PythonOperator

with DAG("h10_smooth_misc", schedule=None, start_date=datetime(2024, 1, 1, tzinfo=timezone.utc), catchup=False):
    s = SmoothOperator(task_id="smooth")
    e = EmptyOperator(task_id="empty", do_xcom_push=True)
    p = PythonOperator(task_id="py", python_callable=lambda: "done", show_return_value_in_logs=False)
    s >> e >> p
