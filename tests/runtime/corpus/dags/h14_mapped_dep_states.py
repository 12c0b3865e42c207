from __future__ import annotations
from datetime import datetime, timedelta, timezone
from airflow.sdk import DAG, task, task_group
from airflow.exceptions import AirflowSkipException

with DAG("h14_mapped_dep_states", schedule=None, start_date=datetime(2024, 1, 1, tzinfo=timezone.utc), catchup=False):
    @task
    def skipped_src():
        raise AirflowSkipException("no files today")

    @task
    def failed_src():
        raise ValueError("listing failed")

    @task
    def ok_src():
        return [1, 2]

    @task
    def skipped_other():
        raise AirflowSkipException("other")

    @task
    def proc(x, y=None):
        return x

    s, f, o, so = skipped_src(), failed_src(), ok_src(), skipped_other()
    proc.override(task_id="none_failed_over_skipped", trigger_rule="none_failed").expand(x=s)
    proc.override(task_id="all_done_over_failed", trigger_rule="all_done").expand(x=f)
    proc.override(task_id="one_failed_over_failed", trigger_rule="one_failed").expand(x=f)
    proc.override(task_id="all_skipped_over_skipped", trigger_rule="all_skipped").expand(x=s)
    proc.override(task_id="all_done_other_skipped", trigger_rule="all_done").partial(y=so).expand(x=o)

    @task_group
    def per_file(name):
        @task(trigger_rule="all_done")
        def parse(n):
            return n

        @task(trigger_rule="all_done")
        def audit():
            return "audit"

        parse(name) >> audit()

    per_file.expand(name=s)

    @task(trigger_rule="all_done")
    def end():
        return "end"

    end() << [o, s, f]
