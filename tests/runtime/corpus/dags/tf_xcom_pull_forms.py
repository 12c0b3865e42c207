from __future__ import annotations
from datetime import datetime, timezone
from airflow.sdk import DAG, task

with DAG("tf_xcom_pull_forms", schedule=None, start_date=datetime(2024, 1, 1, tzinfo=timezone.utc), catchup=False):
    @task
    def a():
        return "A"

    @task
    def b(ti=None):
        ti.xcom_push(key="extra", value={"e": 1})
        return None

    @task
    def m(x, ti=None):
        ti.xcom_push(key="sq", value=x * x)
        return x + 1

    @task
    def pull(ti=None):
        out = {}
        out["list"] = ti.xcom_pull(task_ids=["a", "b"])
        out["single"] = ti.xcom_pull(task_ids="a")
        out["key"] = ti.xcom_pull(task_ids="b", key="extra")
        out["key_list"] = ti.xcom_pull(task_ids=["b", "a"], key="extra")
        out["mapped_all"] = list(ti.xcom_pull(task_ids="m"))
        out["mapped_one"] = ti.xcom_pull(task_ids="m", map_indexes=1)
        out["mapped_some"] = ti.xcom_pull(task_ids="m", map_indexes=[2, 0])
        out["mapped_key"] = list(ti.xcom_pull(task_ids="m", key="sq"))
        out["missing_default"] = ti.xcom_pull(task_ids="a", key="nokey", default="DEF")
        out["none_ret"] = ti.xcom_pull(task_ids="b")
        out["none_task"] = ti.xcom_pull(key="extra")
        out["mapped_list_ids"] = ti.xcom_pull(task_ids=["m", "a"])
        return out

    @task
    def pull_type(ti=None):
        v = ti.xcom_pull(task_ids="m")
        return [type(v).__name__ in ("list", "LazyXComSequence", "LazySelectSequence"), len(v), v[0], v[-1]]

    mm = m.expand(x=[1, 2, 3])
    [a(), b(), mm] >> pull()
    mm >> pull_type()
