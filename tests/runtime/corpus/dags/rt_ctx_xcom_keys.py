"""XCom pulls beyond the default: custom keys pushed with ti.xcom_push (also by a task with
do_xcom_push=False, whose return value is then not pushed), xcom_pull with a list of task ids
(in Python and in a template), with a key, with map_indexes on an unmapped task, of a task that
pushed nothing, of a missing key, and with a default (not returned: a task that pushed
nothing gives None)."""

from __future__ import annotations

from datetime import datetime, timezone

from airflow.providers.standard.operators.bash import BashOperator
from airflow.sdk import DAG, task


@task
def first(ti=None):
    ti.xcom_push(key="shared", value="from-first")
    ti.xcom_push(key="n", value=1)
    return "one"


@task
def second(ti=None):
    ti.xcom_push(key="shared", value="from-second")
    return {"two": 2}


@task(do_xcom_push=False)
def silent(ti=None):
    ti.xcom_push(key="shared", value="from-silent")
    return "not pushed"


@task
def nothing():
    return None


@task
def pull(ti=None):
    return {
        "list": ti.xcom_pull(task_ids=["first", "second"]),
        "list_with_silent": ti.xcom_pull(task_ids=["first", "silent", "second"]),
        "list_with_nothing": ti.xcom_pull(task_ids=["first", "nothing"]),
        "shared_list": ti.xcom_pull(task_ids=["first", "second", "silent"], key="shared"),
        "shared_one": ti.xcom_pull(task_ids="silent", key="shared"),
        "silent_return": ti.xcom_pull(task_ids="silent"),
        "n": ti.xcom_pull(task_ids="first", key="n"),
        "missing_key": ti.xcom_pull(task_ids="first", key="nope"),
        "map_indexes": ti.xcom_pull(task_ids="first", map_indexes=-1),
        "map_indexes_list": ti.xcom_pull(task_ids="first", map_indexes=[-1]),
        "nothing": ti.xcom_pull(task_ids="nothing"),
        "default": ti.xcom_pull(task_ids="nothing", default="dflt"),
    }


with DAG(
    dag_id="rt_ctx_xcom_keys",
    schedule=None,
    start_date=datetime(2024, 1, 1, tzinfo=timezone.utc),
    catchup=False,
    tags=["leoflow-corpus", "xcom"],
):
    ups = [first(), second(), silent(), nothing()]
    tmpl = BashOperator(
        task_id="pull_in_template",
        bash_command=(
            "echo \"{{ ti.xcom_pull(task_ids=['first', 'second']) }} "
            "{{ ti.xcom_pull(task_ids=['first', 'second'], key='shared') }} "
            "{{ ti.xcom_pull(task_ids='silent') }}\""
        ),
    )
    p = pull()
    ups >> p
    ups >> tmpl
