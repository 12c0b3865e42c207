from __future__ import annotations
from datetime import datetime, timedelta, timezone
from airflow.sdk import DAG, task
from airflow.exceptions import AirflowSkipException
from airflow.providers.standard.operators.empty import EmptyOperator

with DAG("h14_tr_combos", schedule=None, start_date=datetime(2024, 1, 1, tzinfo=timezone.utc), catchup=False):
    @task
    def ok():
        return 1

    @task
    def boom():
        raise ValueError("bad data")

    @task
    def skipper():
        raise AirflowSkipException("nothing today")

    o, b, s = ok(), boom(), skipper()
    downstream_of_fail = EmptyOperator(task_id="downstream_of_fail")
    b >> downstream_of_fail

    rules = ["none_skipped", "all_failed", "one_failed", "all_done_min_one_success",
             "none_failed", "one_done", "all_skipped", "none_failed_min_one_success"]
    for r in rules:
        EmptyOperator(task_id=f"ok_skip_{r}", trigger_rule=r).set_upstream([o, s])
        EmptyOperator(task_id=f"fail_uf_{r}", trigger_rule=r).set_upstream([b, downstream_of_fail])
        EmptyOperator(task_id=f"skip_uf_{r}", trigger_rule=r).set_upstream([s, downstream_of_fail])
