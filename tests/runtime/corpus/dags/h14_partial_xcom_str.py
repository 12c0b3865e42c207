from __future__ import annotations
from datetime import datetime, timedelta, timezone
from airflow.sdk import DAG, task, task_group
from airflow.providers.standard.operators.bash import BashOperator

with DAG("h14_partial_xcom_str", schedule=None, start_date=datetime(2024, 1, 1, tzinfo=timezone.utc), catchup=False):
    @task
    def bucket():
        return "s3://bucket/raw"

    @task
    def prefix():
        return "echo"

    @task
    def upload(path, base):
        return f"{base}/{path}"

    @task_group
    def per_table(table, base):
        @task
        def copy(t, b):
            return f"{b}:{t}"
        return copy(table, base)

    b = bucket()
    upload.partial(base=b).expand(path=["a.csv", "b.csv"])
    per_table.partial(base=b).expand(table=["t1", "t2"])
    BashOperator.partial(task_id="bash_partial", env={"P": prefix()}).expand(
        bash_command=["echo one", "echo two"]
    )

    @task
    def total(v):
        return sorted(v)

    total(per_table.partial(base=bucket.override(task_id="bucket2")()).expand(table=["x"]))
