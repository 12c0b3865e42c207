from __future__ import annotations

from datetime import datetime, timedelta, timezone
import os

from airflow.sdk import DAG, task, setup, teardown, task_group, TaskGroup, chain
from airflow.providers.standard.operators.empty import EmptyOperator
from airflow.providers.standard.operators.bash import BashOperator
from airflow.providers.standard.operators.python import PythonOperator
from airflow.sdk.exceptions import AirflowFailException, AirflowSkipException

START = datetime(2024, 1, 1, tzinfo=timezone.utc)
from airflow.sdk import PokeReturnValue


def _bump(p):
    n = int(open(p).read()) if os.path.exists(p) else 0
    open(p, "w").write(str(n + 1))
    return n + 1


with DAG(dag_id="hf_sensor_decorator_variants", schedule=None, start_date=START, catchup=False):

    @task.sensor(poke_interval=0.2, timeout=600, mode="reschedule")
    def resched_value():
        n = _bump("/tmp/rv")
        return PokeReturnValue(is_done=n >= 3, xcom_value={"pokes": n})

    @task.sensor(poke_interval=0.1, timeout=5, mode="poke", exponential_backoff=True)
    def poke_backoff():
        n = _bump("/tmp/pb")
        return PokeReturnValue(is_done=n >= 3, xcom_value=n)

    @task.sensor(poke_interval=0.2, timeout=1, soft_fail=True)
    def never_done():
        return PokeReturnValue(is_done=False, xcom_value="never")

    @task.sensor(poke_interval=0.2, timeout=3, never_fail=True)
    def raises_never_fail():
        raise ValueError("poke broke")

    @task.sensor(poke_interval=0.2, timeout=3, soft_fail=True)
    def raises_fail_exc_soft():
        raise AirflowFailException("hard fail")

    @task.sensor(poke_interval=0.2, timeout=3)
    def raises_skip():
        raise AirflowSkipException("skip sensor")

    @task.sensor(poke_interval=0.2, timeout=1, silent_fail=True)
    def silent():
        n = _bump("/tmp/sil")
        if n == 1:
            raise ValueError("transient")
        return n >= 2

    @task.sensor(poke_interval=0.2, timeout=1, silent_fail=True, retries=1, retry_delay=timedelta(seconds=0.2))
    def silent_never():
        raise ValueError("always")

    @task
    def consume(a, b):
        return [a, b]

    consume(resched_value(), poke_backoff())
    never_done() >> EmptyOperator(task_id="after_never_done")
    raises_never_fail() >> EmptyOperator(task_id="after_never_fail", trigger_rule="none_failed")
    raises_fail_exc_soft()
    raises_skip() >> EmptyOperator(task_id="after_raises_skip")
    silent() >> EmptyOperator(task_id="after_silent")
    silent_never()
