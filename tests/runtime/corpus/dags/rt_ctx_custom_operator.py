"""A BaseOperator subclass defined in the DAG file: its own template_fields (a string, a nested
dict and list, a field that is not templated), template_ext with a string that is not a file
name, a pre_execute / post_execute hook, execute returning the rendered values, and
self.log; a second custom operator that raises AirflowSkipException from execute."""

from __future__ import annotations

from datetime import datetime, timezone

from airflow.sdk import DAG, BaseOperator
from airflow.sdk.exceptions import AirflowSkipException


class Render(BaseOperator):
    template_fields = ("message", "payload")
    template_ext = (".txt",)

    def __init__(self, *, message, payload, note, **kwargs):
        super().__init__(**kwargs)
        self.message = message
        self.payload = payload
        self.note = note
        self.calls = []

    def pre_execute(self, context):
        self.calls.append("pre")

    def execute(self, context):
        self.calls.append("execute")
        self.log.info("rendering %s", self.message)
        return {
            "message": self.message,
            "payload": self.payload,
            "note": self.note,
            "calls": list(self.calls),
            "try": context["ti"].try_number,
        }


class SkipIt(BaseOperator):
    def execute(self, context):
        raise AirflowSkipException("custom skip")


with DAG(
    dag_id="rt_ctx_custom_operator",
    schedule=None,
    start_date=datetime(2024, 1, 1, tzinfo=timezone.utc),
    catchup=False,
    params={"who": "world"},
    tags=["leoflow-corpus", "templates"],
):
    r = Render(
        task_id="render",
        message="hello {{ params.who }} on {{ ds }}",
        payload={"list": ["{{ ds_nodash }}", 1], "nested": {"k": "{{ task.task_id }}"}},
        note="{{ not rendered }}",
    )
    s = SkipIt(task_id="skip_it")
    r >> s
