"""pre_execute= / post_execute= hooks and @task.run_if / @task.skip_if: a pre hook that skips a
BashOperator, one that lets a @task run, a post hook that fails a task after execute (its
return value is then not pushed), conditions returning (bool, message), and run_if stacked on
skip_if; downstream all_success tasks follow."""

from __future__ import annotations

from datetime import datetime, timezone

from airflow.exceptions import AirflowSkipException
from airflow.providers.standard.operators.bash import BashOperator
from airflow.sdk import DAG, task


def _skip(context):
    raise AirflowSkipException("not today")


def _note(context):
    context["ti"].xcom_push(key="pre", value=context["ti"].task_id)


def _check_result(context, result):
    if result != "ok":
        raise ValueError(f"unexpected result {result!r}")


with DAG(
    dag_id="rt_execute_hooks",
    schedule=None,
    start_date=datetime(2024, 1, 1, tzinfo=timezone.utc),
    catchup=False,
    tags=["leoflow-corpus", "hooks"],
):
    skipped_bash = BashOperator(task_id="skipped_bash", bash_command="echo hi", pre_execute=_skip)
    after_skip = BashOperator(task_id="after_skip", bash_command="echo after")
    skipped_bash >> after_skip

    @task(pre_execute=_note, post_execute=_check_result)
    def fine():
        return "ok"

    @task(post_execute=_check_result)
    def bad_result():
        return "nope"

    @task.run_if(lambda context: context["ti"].task_id.startswith("run"))
    @task
    def run_yes():
        return 1

    @task.run_if(lambda context: (False, "custom reason"))
    @task
    def run_no():
        return 2

    @task.skip_if(lambda context: True)
    @task
    def skip_yes():
        return 3

    @task.run_if(lambda context: True)
    @task.skip_if(lambda context: False)
    @task
    def stacked():
        return 4

    fine() >> bad_result()
    run_yes()
    run_no() >> BashOperator(task_id="after_run_no", bash_command="echo x")
    skip_yes()
    stacked()
