"""Bash, further: @task.bash returning the name of a .sh file next to the DAG (rendered from the
file), a Jinja `{% if %}` block in bash_command, env values from params, append_env=True
without env, @task.bash with skip_on_exit_code=None exiting 99 (failed), exit 99 from a
BashOperator whose downstream is all_done, and a multi-line command whose last line is blank
after a value."""

from __future__ import annotations

from datetime import datetime, timezone

from airflow.providers.standard.operators.bash import BashOperator
from airflow.sdk import DAG, task


@task.bash
def from_file():
    return "rt_ctx_script.sh"


@task.bash(skip_on_exit_code=None)
def exit_99_fails():
    return "exit 99"


@task(trigger_rule="all_done")
def after_all():
    return "after"


with DAG(
    dag_id="rt_ctx_bash_more",
    schedule=None,
    start_date=datetime(2024, 1, 1, tzinfo=timezone.utc),
    catchup=False,
    params={"who": "param-who", "loud": True},
    tags=["leoflow-corpus", "bash"],
):
    f = from_file()
    cond = BashOperator(
        task_id="jinja_if",
        bash_command="{% if params.loud %}echo LOUD {{ params.who | upper }}{% else %}echo quiet{% endif %}",
    )
    env = BashOperator(
        task_id="env_from_params",
        bash_command='echo "$WHO/$N"',
        env={"WHO": "{{ params.who }}", "N": "{{ 2 * 3 }}"},
    )
    append = BashOperator(task_id="append_no_env", bash_command='echo "${HOME:+home}"', append_env=True)
    e99 = exit_99_fails()
    skipped = BashOperator(task_id="exit_99", bash_command="exit 99")
    multi = BashOperator(task_id="multi_line", bash_command="echo a\necho b\nprintf 'c\\n\\n'")
    [f, cond, env, append, e99, skipped, multi] >> after_all()
