from __future__ import annotations

from datetime import datetime, timedelta, timezone
import os

from airflow.sdk import DAG, task, setup, teardown, task_group, TaskGroup, chain
from airflow.providers.standard.operators.empty import EmptyOperator
from airflow.providers.standard.operators.bash import BashOperator
from airflow.providers.standard.operators.python import PythonOperator
from airflow.sdk.exceptions import AirflowFailException, AirflowSkipException

START = datetime(2024, 1, 1, tzinfo=timezone.utc)

with DAG(dag_id="hf_tr_mixed_upstreams", schedule=None, start_date=START, catchup=False):
    ok = EmptyOperator(task_id="ok")
    bad = BashOperator(task_id="bad", bash_command="exit 1")
    sk = BashOperator(task_id="sk", bash_command="exit 99")
    uf = EmptyOperator(task_id="uf")
    bad >> uf
    mixes = {
        "skip_uf": [sk, uf],
        "all4": [ok, bad, sk, uf],
        "uf_only": [uf],
    }
    rules = ["one_failed", "one_done", "all_skipped", "none_skipped", "none_failed_min_one_success",
             "all_done_min_one_success", "all_failed"]
    for name, ups in mixes.items():
        for r in rules:
            ups >> EmptyOperator(task_id=f"{name}__{r}", trigger_rule=r)
