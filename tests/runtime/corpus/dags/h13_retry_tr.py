import os
from datetime import datetime, timedelta, timezone
from airflow.sdk import DAG, task
from airflow.exceptions import AirflowFailException, AirflowSkipException
from airflow.providers.standard.operators.empty import EmptyOperator

@task(retries=2, retry_delay=timedelta(seconds=1))
def skip_on_retry(ti=None):
    if ti.try_number == 1:
        raise ValueError("first")
    raise AirflowSkipException("now skip")

@task(retries=3, retry_delay=timedelta(seconds=1))
def fail_exc_on_retry(ti=None):
    if ti.try_number == 1:
        raise ValueError("first")
    raise AirflowFailException("stop")

@task(retries=1, retry_delay=timedelta(seconds=1), retry_exponential_backoff=True, max_retry_delay=timedelta(seconds=1))
def exp(ti=None):
    if ti.try_number == 1:
        raise ValueError("x")
    return ti.try_number

with DAG(dag_id="h13_retry_tr", schedule=None, start_date=datetime(2024,1,1,tzinfo=timezone.utc), catchup=False):
    a = skip_on_retry(); b = fail_exc_on_retry(); c = exp()
    EmptyOperator(task_id="od", trigger_rule="one_done").set_upstream([a, b])
    EmptyOperator(task_id="adm", trigger_rule="all_done_min_one_success").set_upstream([a, b, c])
    EmptyOperator(task_id="nfmos", trigger_rule="none_failed_min_one_success").set_upstream([a, c])
