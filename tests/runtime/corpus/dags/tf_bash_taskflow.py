from __future__ import annotations
from datetime import datetime, timezone
from airflow.sdk import DAG, task

with DAG("tf_bash_taskflow", schedule=None, start_date=datetime(2024, 1, 1, tzinfo=timezone.utc), catchup=False):
    @task
    def words():
        return ["one", "two", "three"]

    @task.bash
    def echo(w):
        return "echo {{ ti.map_index }}-" + w

    @task.bash
    def templ(n):
        return "echo {{ ti.xcom_pull(task_ids='words')[" + str(n) + "] }} {{ params.x }}"

    @task.bash(params={"x": "PX"})
    def templ2():
        return "echo {{ params.x }} {{ task.task_id }}"

    @task.bash
    def code(c):
        return f"exit {c}"

    @task.bash
    def empty_cmd():
        return ""

    @task
    def collect(v):
        return list(v)

    w = words()
    e = echo.expand(w=w)
    collect(e)
    w >> templ(1)
    templ2()
    c = code.expand(c=[0, 99, 1])
    collect.override(task_id="after_codes", trigger_rule="all_done")(c)
    empty_cmd()
