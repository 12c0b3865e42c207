"""all_skipped after upstreams that all succeed: the condition can never hold.  (Airflow does
not deadlock here: with flag_upstream_failed it marks the task skipped.)  A downstream with
all_success follows."""

from __future__ import annotations

from datetime import datetime, timezone

from airflow.providers.standard.operators.empty import EmptyOperator
from airflow.providers.standard.operators.python import PythonOperator
from airflow.sdk import DAG

with DAG(
    dag_id="rt_deadlock_all_skipped",
    schedule=None,
    start_date=datetime(2024, 1, 1, tzinfo=timezone.utc),
    catchup=False,
    tags=["leoflow-corpus"],
):
    a = PythonOperator(task_id="a", python_callable=lambda: "a")
    b = PythonOperator(task_id="b", python_callable=lambda: "b")
    only_if_skipped = EmptyOperator(task_id="only_if_all_skipped", trigger_rule="all_skipped")
    after = EmptyOperator(task_id="after", trigger_rule="none_failed_min_one_success")
    [a, b] >> only_if_skipped >> after
