from __future__ import annotations
import os, json
from datetime import datetime, timedelta, timezone
from airflow.sdk import DAG, task, task_group, Param


@task.bash(env={"H11_A": "{{ ds }}", "H11_B": "lit"}, append_env=False)
def env_only():
    return 'echo "$H11_A|$H11_B|${HOME:-nohome}"'

@task.bash(cwd="/tmp")
def in_tmp():
    return "pwd"

@task.bash
def templated_return(x):
    return "echo '{{ ds_nodash }}-" + str(x) + "-{{ task.task_id }}'"

@task.bash
def returns_int():
    return 5

@task.bash
def returns_blank():
    return "   "

@task.bash(skip_on_exit_code=[3])
def skip_code():
    return "exit 3"

@task.bash(output_processor=lambda out: out.split(","))
def processed():
    return "echo a,b,c"

@task.bash
def multi_line():
    return "echo one\necho two\n"

@task.bash(cwd="/tmp/h11_definitely_missing_dir")
def bad_cwd():
    return "pwd"

@task
def val():
    return 42

with DAG(dag_id="h11_bash_decorator_more", schedule=None, start_date=datetime(2024, 1, 1, tzinfo=timezone.utc), catchup=False):
    env_only(); in_tmp(); templated_return(val()); returns_int(); returns_blank(); skip_code(); processed(); multi_line(); bad_cwd()
