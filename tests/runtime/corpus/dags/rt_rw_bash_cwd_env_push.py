"""BashOperator options in a small pipeline: an upstream @task creates a work directory, cwd
set to it (templated from its XCom), a cwd that does not exist (the task fails), append_env
with an env value templated from an XCom, env without append_env, do_xcom_push=False
(downstream pulls None), and a python task reading the pushed last lines."""

from __future__ import annotations

import os
from datetime import datetime, timezone

from airflow.providers.standard.operators.bash import BashOperator
from airflow.sdk import DAG, task


@task
def make_workdir():
    path = "/tmp/rt_rw_bash_cwd_env_push/work"
    os.makedirs(path, exist_ok=True)
    with open(os.path.join(path, "input.txt"), "w") as f:
        f.write("a\nb\nc\n")
    return path


@task(trigger_rule="all_done")
def gather(ti=None):
    return {
        t: ti.xcom_pull(task_ids=t)
        for t in ["count_lines", "env_appended", "env_only", "quiet", "missing_cwd"]
    }


with DAG(
    dag_id="rt_rw_bash_cwd_env_push",
    schedule=None,
    start_date=datetime(2024, 1, 1, tzinfo=timezone.utc),
    catchup=False,
    tags=["leoflow-corpus", "bash"],
):
    wd = make_workdir()
    count = BashOperator(
        task_id="count_lines",
        bash_command="wc -l < input.txt | tr -d ' '",
        cwd="{{ ti.xcom_pull(task_ids='make_workdir') }}",
    )
    appended = BashOperator(
        task_id="env_appended",
        bash_command='echo "$TARGET_DIR|$(basename "$TARGET_DIR")|${HOME:+home}"',
        env={"TARGET_DIR": "{{ ti.xcom_pull(task_ids='make_workdir') }}"},
        append_env=True,
    )
    env_only = BashOperator(
        task_id="env_only",
        bash_command='echo "${ONLY}-${HOME:-nohome}"',
        env={"ONLY": "yes"},
    )
    quiet = BashOperator(task_id="quiet", bash_command="echo not-pushed", do_xcom_push=False)
    missing = BashOperator(
        task_id="missing_cwd", bash_command="echo never", cwd="/tmp/rt_rw_no_such_dir"
    )
    wd >> [count, appended, env_only, quiet, missing] >> gather()
