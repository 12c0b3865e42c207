from __future__ import annotations
from datetime import datetime, timezone
from airflow.sdk import DAG, task

with DAG("tf_zip_tuple_items", schedule=None, start_date=datetime(2024, 1, 1, tzinfo=timezone.utc), catchup=False):
    @task
    def a():
        return [1, 2]

    @task
    def b():
        return ["x", "y", "z"]

    @task
    def ident(v):
        return v

    @task
    def kind(v):
        return [type(v).__name__, list(v)]

    @task
    def whole(v):
        return [type(i).__name__ for i in v]

    z = a().zip(b(), fillvalue=0)
    ident.override(task_id="zip_item").expand(v=z)
    kind.override(task_id="zip_kind").expand(v=z)
    whole.override(task_id="zip_whole")(z)
    ident.override(task_id="lit_tuple").expand(v=[(1, 2), (3, 4)])
    kind.override(task_id="lit_dict_item").expand(v={"k": 1})
