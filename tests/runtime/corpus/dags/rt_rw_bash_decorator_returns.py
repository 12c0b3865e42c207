"""@task.bash return values beyond a string: returning an int (refused: the task fails),
returning None (fails), returning a command whose output is turned by output_processor into a
dict, an output_processor splitting lines into a list, do_xcom_push=False on @task.bash, and
cwd plus env with append_env on the decorator; downstream tasks receive the processed values."""

from __future__ import annotations

import json
from datetime import datetime, timezone

from airflow.sdk import DAG, task


@task.bash
def returns_int():
    return 5


@task.bash
def returns_none():
    return None


@task.bash(output_processor=json.loads)
def as_json():
    return """echo '{"rows": 3, "ok": true}'"""


@task.bash(output_processor=lambda out: out.split(","))
def as_list():
    return "echo a,b,c"


@task.bash(do_xcom_push=False)
def no_push():
    return "echo invisible"


@task.bash(cwd="/", env={"STAGE": "prod"}, append_env=True)
def where():
    return 'echo "$(pwd):$STAGE:${PATH:+has-path}"'


@task
def use(doc, items):
    return {"rows": doc["rows"], "items": items, "n": len(items)}


@task(trigger_rule="all_done")
def check(ti=None):
    return ti.xcom_pull(task_ids="no_push")


with DAG(
    dag_id="rt_rw_bash_decorator_returns",
    schedule=None,
    start_date=datetime(2024, 1, 1, tzinfo=timezone.utc),
    catchup=False,
    tags=["leoflow-corpus", "bash"],
):
    returns_int()
    returns_none()
    use(as_json(), as_list())
    no_push() >> check()
    where()
