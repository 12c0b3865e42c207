from __future__ import annotations
import os, json
from datetime import datetime, timedelta, timezone
from airflow.sdk import DAG, task, task_group, Param


@task
def echo(dag_run=None):
    return dict(dag_run.conf)

with DAG(dag_id="h11_trigger_target", schedule=None, start_date=datetime(2024, 1, 1, tzinfo=timezone.utc), catchup=False):
    echo()
