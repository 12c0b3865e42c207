from __future__ import annotations
from datetime import datetime, timezone
from airflow.sdk import DAG, task

with DAG("tf_ctx_name_param", schedule=None, start_date=datetime(2024, 1, 1, tzinfo=timezone.utc), catchup=False):
    @task
    def pos_ctx(params, x):
        return [type(params).__name__ == "dict" or hasattr(params, "keys"), x]

    @task
    def explicit(ds):
        return ds

    pos_ctx.expand(x=[1, 2])
    explicit.override(task_id="explicit_pass")("given")
    explicit.override(task_id="explicit_none")()
