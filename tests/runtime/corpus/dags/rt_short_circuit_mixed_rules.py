"""ShortCircuitOperator (falsy, ignore_downstream_trigger_rules=False) whose direct downstream
tasks have all_done and none_failed rules (they are skipped anyway), followed by tasks with
all_skipped, none_failed_min_one_success, one_success and none_failed, one of which also has an
unaffected upstream."""

from __future__ import annotations

from datetime import datetime, timezone

from airflow.providers.standard.operators.empty import EmptyOperator
from airflow.providers.standard.operators.python import ShortCircuitOperator
from airflow.sdk import DAG

with DAG(
    dag_id="rt_short_circuit_mixed_rules",
    schedule=None,
    start_date=datetime(2024, 1, 1, tzinfo=timezone.utc),
    catchup=False,
    tags=["leoflow-corpus", "short-circuit", "trigger-rules"],
):
    check = ShortCircuitOperator(
        task_id="check",
        python_callable=lambda: 0,
        ignore_downstream_trigger_rules=False,
    )
    direct_all_done = EmptyOperator(task_id="direct_all_done", trigger_rule="all_done")
    direct_none_failed = EmptyOperator(task_id="direct_none_failed", trigger_rule="none_failed")
    other = EmptyOperator(task_id="other")
    check >> [direct_all_done, direct_none_failed]
    both = [direct_all_done, direct_none_failed]
    both >> EmptyOperator(task_id="next_all_skipped", trigger_rule="all_skipped")
    both >> EmptyOperator(task_id="next_nfmos", trigger_rule="none_failed_min_one_success")
    both >> EmptyOperator(task_id="next_none_failed", trigger_rule="none_failed")
    [direct_all_done, other] >> EmptyOperator(
        task_id="next_one_success", trigger_rule="one_success"
    )
