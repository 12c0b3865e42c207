"""Classic DAG built only from the legacy import paths that Airflow 3.2 still accepts."""

from __future__ import annotations

import datetime

from airflow import DAG as TopLevelDAG  # noqa: F401  (the oldest spelling, still importable)
from airflow.models import DAG, BaseOperator, Param, Variable  # noqa: F401
from airflow.operators.bash import BashOperator
from airflow.operators.empty import EmptyOperator
from airflow.operators.python import BranchPythonOperator, PythonOperator, ShortCircuitOperator
from airflow.utils.trigger_rule import TriggerRule


def _extract(**context):
    # Variable is read at run time, never at parse time.
    return Variable.get("legacy_source", default_var="s3://bucket/raw")


def _choose(**context):
    return "transform"


def _keep_going():
    return True


with DAG(
    dag_id="fid_legacy_models_imports",
    start_date=datetime.datetime(2024, 1, 1),
    schedule="@daily",
    catchup=False,
    params={"limit": Param(10, type="integer", minimum=1)},
    tags=["legacy", "fidelity"],
) as dag:
    start = EmptyOperator(task_id="start")
    extract = PythonOperator(task_id="extract", python_callable=_extract)
    choose = BranchPythonOperator(task_id="choose", python_callable=_choose)
    transform = BashOperator(task_id="transform", bash_command="echo limit={{ params.limit }}")
    skip_me = EmptyOperator(task_id="skip_me")
    gate = ShortCircuitOperator(task_id="gate", python_callable=_keep_going)
    done = EmptyOperator(task_id="done", trigger_rule=TriggerRule.NONE_FAILED_MIN_ONE_SUCCESS)

    start >> extract >> choose >> [transform, skip_me]
    transform >> gate >> done
    skip_me >> done
