from __future__ import annotations
from datetime import datetime, timedelta, timezone
from airflow.sdk import DAG, TaskGroup, task
from airflow.providers.standard.operators.empty import EmptyOperator

with DAG("h14_group_defaults_tr", schedule=None, start_date=datetime(2024, 1, 1, tzinfo=timezone.utc), catchup=False, default_args={"retries": 0}):
    @task
    def fail_once_always():
        raise RuntimeError("source down")

    @task
    def fine():
        return "fine"

    src = fail_once_always()
    with TaskGroup("cleanup", default_args={"trigger_rule": "all_done", "retries": 1,
                                            "retry_delay": timedelta(seconds=1)}) as cleanup:
        c1 = EmptyOperator(task_id="c1")

        @task
        def c2():
            return "c2"

        with TaskGroup("inner", default_args={"trigger_rule": "one_failed"}) as inner:
            i1 = EmptyOperator(task_id="i1")
            i2 = EmptyOperator(task_id="i2", trigger_rule="all_success")

        c2_t = c2()
        c1 >> inner
    src >> cleanup
    fine() >> cleanup
    after = EmptyOperator(task_id="after")
    cleanup >> after
