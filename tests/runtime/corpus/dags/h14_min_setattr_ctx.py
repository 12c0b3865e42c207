from __future__ import annotations
from datetime import datetime, timezone
from airflow.sdk import DAG, BaseOperator


class SnapshotOperator(BaseOperator):
    template_fields = ("payload",)

    def __init__(self, payload=None, **kwargs):
        super().__init__(**kwargs)
        self.payload = payload

    def execute(self, context):
        self.payload = {"ctx": dict(context), "n": 1}
        return sorted(k for k in self.payload["ctx"] if k in ("ti", "task", "params"))


with DAG("h14_min_setattr_ctx", schedule=None, start_date=datetime(2024, 1, 1, tzinfo=timezone.utc), catchup=False):
    SnapshotOperator(task_id="snap", payload="{{ ds }}")
