from __future__ import annotations
from datetime import datetime, timezone
from airflow.sdk import DAG, task

with DAG("tf_typed_multi_outputs", schedule=None, start_date=datetime(2024, 1, 1, tzinfo=timezone.utc), catchup=False):
    @task
    def typed() -> dict[str, int]:
        return {"a": 1, "b": 2}

    @task(multiple_outputs=False)
    def typed_off() -> dict[str, int]:
        return {"a": 10, "b": 20}

    @task(multiple_outputs=True)
    def explicit():
        return {"x": [1, 2], "y": {"z": None}}

    @task(multiple_outputs=True)
    def bad_keys():
        return {1: "one"}

    @task(multiple_outputs=True)
    def not_a_dict():
        return [1, 2]

    @task
    def add(x, y):
        return x + y

    @task
    def show(v):
        return v

    t = typed()
    add.override(task_id="add_ab")(t["a"], t["b"])
    show.override(task_id="show_whole")(t)
    o = typed_off()
    show.override(task_id="show_off_key")(o["a"])
    show.override(task_id="show_off_whole")(o)
    e = explicit()
    show.override(task_id="show_x")(e["x"])
    show.override(task_id="show_y")(e["y"])
    show.override(task_id="show_missing")(e["nope"])
    bk = bad_keys()
    show.override(task_id="after_bad", trigger_rule="all_done")(bk)
    nd = not_a_dict()
    show.override(task_id="after_nd", trigger_rule="all_done")(nd)
