"""Operators subclassing standard ones in the DAG file, as real repositories do: a BashOperator
subclass with its own template_fields and an __init__ building bash_command, a PythonOperator
subclass that wraps execute (calls super().execute and changes the result), an EmptyOperator
subclass, and a BaseOperator subclass whose execute calls a BashOperator's execute inline."""

from __future__ import annotations

from datetime import datetime, timezone

from airflow.providers.standard.operators.bash import BashOperator
from airflow.providers.standard.operators.empty import EmptyOperator
from airflow.providers.standard.operators.python import PythonOperator
from airflow.sdk import DAG, BaseOperator


class GreetBash(BashOperator):
    template_fields = (*BashOperator.template_fields, "who")

    def __init__(self, *, who: str, **kwargs):
        super().__init__(bash_command="echo hello {{ task.who }}", **kwargs)
        self.who = who


class DoublingPython(PythonOperator):
    def execute(self, context):
        return super().execute(context) * 2


class Marker(EmptyOperator):
    ui_color = "#123456"


class InlineBash(BaseOperator):
    def execute(self, context):
        return BashOperator(task_id="inner", bash_command="echo inline").execute(context)


with DAG(
    dag_id="rt_subclass_standard_ops",
    schedule=None,
    start_date=datetime(2024, 1, 1, tzinfo=timezone.utc),
    catchup=False,
    tags=["leoflow-corpus"],
):
    g = GreetBash(task_id="greet", who="{{ ds }}")
    d = DoublingPython(task_id="double", python_callable=lambda: 21)
    m = Marker(task_id="marker")
    i = InlineBash(task_id="inline")
    g >> d >> m >> i
