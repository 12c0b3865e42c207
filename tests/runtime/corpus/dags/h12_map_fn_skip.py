from __future__ import annotations
from datetime import datetime, timedelta, timezone
START = datetime(2024, 1, 1, tzinfo=timezone.utc)

from airflow.sdk import dag, task
from airflow.exceptions import AirflowSkipException

@dag(dag_id="h12_map_fn_skip", schedule=None, start_date=START, catchup=False)
def d():
    @task
    def list_files():
        return ["a.txt", "skip.txt", "c.txt", "d.txt"]

    def to_item(name):
        if name.startswith("skip"):
            raise AirflowSkipException(f"skipping {name}")
        return {"name": name, "len": len(name)}

    @task
    def process(item):
        return item["name"].upper()

    @task(trigger_rule="none_failed")
    def collect(values):
        return sorted(v for v in values if v is not None) if values is not None else "none"

    @task(trigger_rule="all_done")
    def collect_all(values):
        return list(values)

    @task
    def strict(values):
        return len(list(values))

    files = list_files()
    p = process.expand(item=files.map(to_item))
    collect(p)
    collect_all(p)
    strict(p)

    @task
    def second(v):
        return v + "!"
    s = second.expand(v=p)
    collect.override(task_id="collect_second")(s)
d()
