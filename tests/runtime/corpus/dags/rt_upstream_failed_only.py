"""Trigger rules whose only upstreams are upstream_failed (reached through a failed task and an
all_success middle task): one_failed and all_failed run, one_success is upstream_failed,
none_skipped runs, all_skipped is skipped."""

from __future__ import annotations

from datetime import datetime, timezone

from airflow.providers.standard.operators.empty import EmptyOperator
from airflow.providers.standard.operators.python import PythonOperator
from airflow.sdk import DAG


def _fail():
    raise RuntimeError("source down")


with DAG(
    dag_id="rt_upstream_failed_only",
    schedule=None,
    start_date=datetime(2024, 1, 1, tzinfo=timezone.utc),
    catchup=False,
    tags=["leoflow-corpus", "trigger-rules"],
):
    source = PythonOperator(task_id="source", python_callable=_fail)
    mid_a = EmptyOperator(task_id="mid_a")
    mid_b = EmptyOperator(task_id="mid_b")
    source >> [mid_a, mid_b]
    for rule in ["one_failed", "all_failed", "one_success", "none_skipped", "all_skipped"]:
        [mid_a, mid_b] >> EmptyOperator(task_id=f"when_{rule}", trigger_rule=rule)
