from __future__ import annotations
from datetime import datetime, timezone
from airflow.sdk import DAG, task

with DAG("tf_ctx_pendulum_methods", schedule=None, start_date=datetime(2024, 1, 1, tzinfo=timezone.utc), catchup=False):
    @task
    def types(**context):
        return [type(context[k]).__module__ + "." + type(context[k]).__name__
                for k in ("logical_date", "data_interval_start", "data_interval_end")]

    @task
    def pend_methods(**context):
        return context["logical_date"].add(days=1).to_date_string()

    @task
    def tz_name(**context):
        return context["data_interval_start"].tzinfo.name

    types()
    pend_methods()
    tz_name()
