"""Callbacks on DAGs and tasks: single callables, lists, lambdas, partials, notifier classes."""

from __future__ import annotations

import functools

import pendulum

from airflow.sdk import DAG, BaseNotifier, task
from airflow.providers.standard.operators.bash import BashOperator
from airflow.providers.standard.operators.empty import EmptyOperator


def dag_success(context):
    print("dag ok")


def dag_failure(context):
    print("dag failed")


def task_event(context, event="?"):
    print(event, context["ti"].task_id)


class PrintNotifier(BaseNotifier):
    template_fields = ("message",)

    def __init__(self, message: str):
        super().__init__()
        self.message = message

    def notify(self, context):
        print(self.message)


with DAG(
    dag_id="fid_callbacks",
    start_date=pendulum.datetime(2024, 1, 1, tz="UTC"),
    schedule=None,
    on_success_callback=dag_success,
    on_failure_callback=[dag_failure, PrintNotifier("dag {{ dag.dag_id }} failed")],
) as dag:
    every = BashOperator(
        task_id="every",
        bash_command="echo hi",
        on_execute_callback=functools.partial(task_event, event="execute"),
        on_failure_callback=[functools.partial(task_event, event="failure")],
        on_success_callback=lambda ctx: print("success"),
        on_retry_callback=PrintNotifier("retrying {{ ti.task_id }}"),
        on_skipped_callback=[task_event],
    )
    none = EmptyOperator(task_id="none")

    @task(on_failure_callback=dag_failure, on_success_callback=[dag_success, dag_success])
    def decorated():
        return 1

    every >> none >> decorated()

with DAG(
    dag_id="fid_callbacks_default_args",
    start_date=pendulum.datetime(2024, 1, 1, tz="UTC"),
    schedule=None,
    default_args={"on_failure_callback": dag_failure, "on_retry_callback": [task_event]},
):
    EmptyOperator(task_id="inherits")
    EmptyOperator(task_id="overrides", on_failure_callback=None)
