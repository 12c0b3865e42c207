from __future__ import annotations

from datetime import datetime, timedelta, timezone
import os

from airflow.sdk import DAG, task, setup, teardown, task_group, TaskGroup, chain
from airflow.providers.standard.operators.empty import EmptyOperator
from airflow.providers.standard.operators.bash import BashOperator
from airflow.providers.standard.operators.python import PythonOperator
from airflow.sdk.exceptions import AirflowFailException, AirflowSkipException

START = datetime(2024, 1, 1, tzinfo=timezone.utc)
import sys
from airflow.sdk.exceptions import (AirflowException, AirflowRescheduleException, AirflowSensorTimeout,
                                    AirflowTaskTerminated, AirflowTaskTimeout, DownstreamTasksSkipped,
                                    AirflowRuntimeError)

with DAG(dag_id="hf_exception_zoo", schedule=None, start_date=START, catchup=False):

    @task(retries=1, retry_delay=timedelta(seconds=0.2))
    def raiser(kind):
        if kind == "sensor_timeout":
            raise AirflowSensorTimeout("st")
        if kind == "task_timeout":
            raise AirflowTaskTimeout("tt")
        if kind == "terminated":
            raise AirflowTaskTerminated("term")
        if kind == "exit0":
            sys.exit(0)
        if kind == "exit_msg":
            sys.exit("bye")
        if kind == "airflow_exc":
            raise AirflowException("ae")
        if kind == "runtime_err":
            raise AirflowRuntimeError("re")
        if kind == "resched":
            if not os.path.exists("/tmp/zoo_resched"):
                open("/tmp/zoo_resched", "w").close()
                raise AirflowRescheduleException(datetime.now(timezone.utc) + timedelta(seconds=0.3))
            return "after reschedule"
        return kind

    @task
    def skip_some():
        raise DownstreamTasksSkipped(tasks=["d1"])

    kinds = ["sensor_timeout", "task_timeout", "terminated", "exit0", "exit_msg", "airflow_exc",
             "runtime_err", "resched", "fine"]
    raiser.expand(kind=kinds)
    s = skip_some()
    s >> [EmptyOperator(task_id="d1"), EmptyOperator(task_id="d2")]
