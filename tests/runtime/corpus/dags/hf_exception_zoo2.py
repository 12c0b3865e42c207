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
from airflow.sdk.exceptions import AirflowException, AirflowRescheduleException, AirflowSensorTimeout

with DAG(dag_id="hf_exception_zoo2", schedule=None, start_date=START, catchup=False):

    @task(retries=1, retry_delay=timedelta(seconds=0.2))
    def raiser(kind):
        if kind == "sensor_timeout":
            raise AirflowSensorTimeout("st")
        if kind == "exit0":
            sys.exit(0)
        if kind == "exit_msg":
            sys.exit("bye")
        if kind == "airflow_exc":
            raise AirflowException("ae")
        if kind == "resched":
            if not os.path.exists("/tmp/zoo2_resched"):
                open("/tmp/zoo2_resched", "w").close()
                raise AirflowRescheduleException(datetime.now(timezone.utc) + timedelta(seconds=0.3))
            return "after reschedule"
        return kind

    raiser.expand(kind=["sensor_timeout", "exit0", "exit_msg", "airflow_exc", "resched", "fine"])

    @task(retries=2, retry_delay=timedelta(seconds=0.2))
    def resched_then_fail():
        if not os.path.exists("/tmp/zoo2_rf"):
            open("/tmp/zoo2_rf", "w").close()
            raise AirflowRescheduleException(datetime.now(timezone.utc) + timedelta(seconds=0.3))
        raise AirflowSensorTimeout("after reschedule")

    resched_then_fail() >> EmptyOperator(task_id="after_rf", trigger_rule="one_failed")
