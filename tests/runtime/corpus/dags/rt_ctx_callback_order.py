"""Order of a custom operator's hooks and on_execute_callback: Airflow's task runner calls
pre_execute, then on_execute_callback, then execute (each appends its name to a file in /tmp;
execute returns the names in order). A mapped custom operator keeps the same order."""

from __future__ import annotations

import os
from datetime import datetime, timezone

from airflow.sdk import DAG, BaseOperator


def _append(context, name):
    ti = context["ti"]
    path = f"/tmp/rt_ctx_callback_order_{ti.task_id}_{ti.map_index}"
    with open(path, "a") as f:
        f.write(name + "\n")
    return path


def on_execute(context):
    _append(context, "on_execute_callback")


class Ordered(BaseOperator):
    def __init__(self, *, word: str = "", **kwargs):
        super().__init__(**kwargs)
        self.word = word

    def pre_execute(self, context):
        _append(context, "pre_execute")

    def execute(self, context):
        path = _append(context, "execute")
        with open(path) as f:
            names = f.read().split()
        os.remove(path)
        return [self.word, *names]


with DAG(
    dag_id="rt_ctx_callback_order",
    schedule=None,
    start_date=datetime(2024, 1, 1, tzinfo=timezone.utc),
    catchup=False,
    tags=["leoflow-corpus", "callbacks"],
):
    Ordered(task_id="ordered", word="one", on_execute_callback=on_execute)
    Ordered.partial(task_id="ordered_mapped", on_execute_callback=on_execute).expand(
        word=["x", "y"]
    )
