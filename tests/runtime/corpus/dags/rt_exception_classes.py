"""Exception classes of airflow.sdk.exceptions a task may raise: AirflowRescheduleException from
a plain task (up_for_reschedule, same try, then success), DownstreamTasksSkipped (success, the
named tasks skipped, what follows them by trigger rule), AirflowTaskTerminated (failed without
retry), AirflowTaskTimeout and AirflowRuntimeError raised by the task (failures that retry)."""

import os
from datetime import datetime, timedelta, timezone

from airflow.sdk import DAG, task
from airflow.sdk.exceptions import (
    AirflowRescheduleException,
    AirflowRuntimeError,
    AirflowTaskTerminated,
    AirflowTaskTimeout,
    DownstreamTasksSkipped,
)

MARK = "/tmp/rt_exception_classes_resched"

with DAG(
    "rt_exception_classes",
    schedule=None,
    start_date=datetime(2024, 1, 1, tzinfo=timezone.utc),
    catchup=False,
    tags=["leoflow-corpus"],
    default_args={"retry_delay": timedelta(seconds=1)},
):

    @task
    def resched():
        if not os.path.exists(MARK):
            open(MARK, "w").close()
            raise AirflowRescheduleException(datetime.now(timezone.utc) + timedelta(seconds=1))
        return "after reschedule"

    @task
    def skipper():
        raise DownstreamTasksSkipped(tasks=["skipped_one"])

    @task
    def skipped_one():
        return 1

    @task
    def after_skipped():
        return 2

    @task
    def not_skipped():
        return 3

    @task(retries=2)
    def terminated():
        raise AirflowTaskTerminated("stop")

    @task(retries=1)
    def timed_out():
        raise AirflowTaskTimeout("too slow")

    @task(retries=1)
    def runtime_error():
        raise AirflowRuntimeError(None)

    s = skipper()
    s >> skipped_one() >> after_skipped()
    s >> not_skipped()
    resched()
    terminated()
    timed_out()
    runtime_error()
