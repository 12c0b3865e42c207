from __future__ import annotations
import datetime as dt
from datetime import datetime, timezone
from airflow.sdk import DAG, task

with DAG("tf_return_types", schedule=None, start_date=datetime(2024, 1, 1, tzinfo=timezone.utc), catchup=False):
    @task
    def r_none():
        return None

    @task
    def r_tuple():
        return (1, "a", (2, 3))

    @task
    def r_set():
        return {3}

    @task
    def r_dt():
        return datetime(2024, 5, 6, 7, 8, 9, tzinfo=timezone.utc)

    @task
    def r_date():
        return dt.date(2024, 5, 6)

    @task
    def r_td():
        return dt.timedelta(seconds=90)

    @task
    def r_nested():
        return {"l": [1, {"t": (1, 2)}], "n": None, "f": 1.5, "b": False}

    @task
    def r_float():
        return float("1e300")

    @task
    def r_empty():
        return ""

    @task
    def r_frozen():
        return frozenset([7])

    @task
    def r_bytes():
        return b"abc"

    @task
    def echo(v):
        return repr(v)

    for f in (r_none, r_tuple, r_set, r_dt, r_date, r_td, r_nested, r_float, r_empty, r_frozen, r_bytes):
        x = f()
        echo.override(task_id=f"echo_{f.function.__name__}", trigger_rule="all_done")(x)
