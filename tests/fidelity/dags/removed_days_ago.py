"""``airflow.utils.dates.days_ago`` was removed in Airflow 3: an import error in Airflow 3.2."""

from __future__ import annotations

from airflow.providers.standard.operators.bash import BashOperator
from airflow.sdk import DAG
from airflow.utils.dates import days_ago

with DAG(dag_id="fid_removed_days_ago", start_date=days_ago(2), schedule="@daily"):
    BashOperator(task_id="hello", bash_command="echo hello")
