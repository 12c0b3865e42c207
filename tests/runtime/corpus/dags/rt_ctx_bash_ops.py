"""BashOperator further: output_processor (JSON parsed into the XCom), skip_on_exit_code=[1, 2]
with exit 2 (skipped) and exit 3 (failed), env with append_env=True keeping the worker's
environment next to a templated value, cwd templated, output on stderr only (the XCom is the
last stdout line: empty), trailing blank lines, do_xcom_push=False; @task.bash returning a
command built from its arguments, returning an empty string (fails), with output_processor."""

from __future__ import annotations

import json
from datetime import datetime, timezone

from airflow.providers.standard.operators.bash import BashOperator
from airflow.sdk import DAG, task


@task.bash
def build(n):
    return f"echo built-{n}; echo $(( {n} * 2 ))"


@task.bash
def empty_command():
    return ""


@task.bash(output_processor=lambda out: out.split(","))
def split_output():
    return "echo a,b,c"


with DAG(
    dag_id="rt_ctx_bash_ops",
    schedule=None,
    start_date=datetime(2024, 1, 1, tzinfo=timezone.utc),
    catchup=False,
    tags=["leoflow-corpus", "bash"],
):
    BashOperator(
        task_id="output_processor",
        bash_command="""echo '{"rows": 3, "ok": true}'""",
        output_processor=json.loads,
    )
    BashOperator(task_id="exit_2_skipped", bash_command="exit 2", skip_on_exit_code=[1, 2])
    BashOperator(task_id="exit_3_failed", bash_command="exit 3", skip_on_exit_code=[1, 2])
    BashOperator(
        task_id="append_env",
        bash_command='echo "${DAY}-${HOME:+home}-${PATH:+path}"',
        env={"DAY": "{{ ds_nodash }}"},
        append_env=True,
    )
    BashOperator(task_id="cwd_templated", bash_command="pwd", cwd="{{ '/t' + 'mp' }}")
    BashOperator(task_id="stderr_only", bash_command="echo oops >&2")
    BashOperator(task_id="trailing_blank", bash_command="echo value; echo; echo")
    BashOperator(task_id="no_push", bash_command="echo hidden", do_xcom_push=False)
    build(4)
    empty_command()
    split_output()
