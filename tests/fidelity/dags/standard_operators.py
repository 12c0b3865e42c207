"""Every operator of apache-airflow-providers-standard, through its provider import path."""

from __future__ import annotations

import datetime

import pendulum

from airflow.sdk import DAG
from airflow.providers.standard.operators.bash import BashOperator
from airflow.providers.standard.operators.datetime import BranchDateTimeOperator
from airflow.providers.standard.operators.empty import EmptyOperator
from airflow.providers.standard.operators.latest_only import LatestOnlyOperator
from airflow.providers.standard.operators.python import (
    BranchExternalPythonOperator,
    BranchPythonOperator,
    BranchPythonVirtualenvOperator,
    ExternalPythonOperator,
    PythonOperator,
    PythonVirtualenvOperator,
    ShortCircuitOperator,
)
from airflow.providers.standard.operators.smooth import SmoothOperator
from airflow.providers.standard.operators.trigger_dagrun import TriggerDagRunOperator
from airflow.providers.standard.operators.weekday import BranchDayOfWeekOperator
from airflow.providers.standard.utils.weekday import WeekDay


def _callable(a, b=2, **context):
    return a + b


def _in_venv():
    import requests  # noqa: F401

    return "ok"


def _branch():
    return "bash"


with DAG(
    dag_id="fid_standard_operators",
    start_date=pendulum.datetime(2024, 1, 1, tz="UTC"),
    schedule="@daily",
    catchup=False,
) as dag:
    latest = LatestOnlyOperator(task_id="latest_only")
    bash = BashOperator(
        task_id="bash",
        bash_command="echo $GREETING {{ ds }}",
        env={"GREETING": "hi"},
        append_env=True,
        cwd="/tmp",
        skip_on_exit_code=[99, 100],
        output_encoding="utf-8",
    )
    empty = EmptyOperator(task_id="empty")
    python = PythonOperator(
        task_id="python",
        python_callable=_callable,
        op_args=[1],
        op_kwargs={"b": "{{ params.get('b', 3) }}"},
        templates_dict={"day": "{{ ds }}"},
        show_return_value_in_logs=False,
    )
    branch = BranchPythonOperator(task_id="branch", python_callable=_branch)
    short = ShortCircuitOperator(
        task_id="short", python_callable=lambda: True, ignore_downstream_trigger_rules=False
    )
    venv = PythonVirtualenvOperator(
        task_id="venv",
        python_callable=_in_venv,
        requirements=["requests==2.32.3"],
        system_site_packages=False,
        python_version="3.11",
        pip_install_options=["--no-cache-dir"],
        index_urls=["https://pypi.org/simple"],
        venv_cache_path="/tmp/venvs",
    )
    branch_venv = BranchPythonVirtualenvOperator(
        task_id="branch_venv", python_callable=_branch, requirements=[]
    )
    external = ExternalPythonOperator(
        task_id="external", python="/opt/py311/bin/python", python_callable=_in_venv,
        expect_airflow=False,
    )
    branch_external = BranchExternalPythonOperator(
        task_id="branch_external", python="/opt/py311/bin/python", python_callable=_branch
    )
    by_time = BranchDateTimeOperator(
        task_id="by_time",
        follow_task_ids_if_true=["empty"],
        follow_task_ids_if_false=["smooth"],
        target_lower=datetime.time(8, 0),
        target_upper=datetime.time(18, 0),
        use_task_logical_date=True,
    )
    by_day = BranchDayOfWeekOperator(
        task_id="by_day",
        follow_task_ids_if_true="empty",
        follow_task_ids_if_false=["smooth"],
        week_day={WeekDay.SATURDAY, WeekDay.SUNDAY},
    )
    smooth = SmoothOperator(task_id="smooth")
    trigger = TriggerDagRunOperator(
        task_id="trigger",
        trigger_dag_id="fid_trigger_target",
        trigger_run_id="triggered__{{ ts_nodash }}",
        conf={"source": "{{ dag.dag_id }}", "day": "{{ ds }}"},
        logical_date="{{ logical_date }}",
        reset_dag_run=True,
        wait_for_completion=True,
        poke_interval=30,
        allowed_states=["success"],
        failed_states=["failed"],
        skip_when_already_exists=True,
    )

    latest >> [bash, python, branch, short, venv, external]
    branch >> [bash, empty]
    [branch_venv, branch_external] >> by_time >> [empty, smooth]
    by_day >> [empty, smooth]
    smooth >> trigger

with DAG(dag_id="fid_trigger_target", start_date=pendulum.datetime(2024, 1, 1, tz="UTC"), schedule=None):
    EmptyOperator(task_id="target")
