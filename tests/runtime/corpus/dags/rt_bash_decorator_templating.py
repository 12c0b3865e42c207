"""@task.bash: the returned command is rendered (ds, params, an XCom pulled in the template),
arguments from an upstream XComArg and a literal, env and append_env given to the decorator,
cwd, and a returned command with a Jinja expression in an argument value."""

from __future__ import annotations

from datetime import datetime, timezone

from airflow.sdk import DAG, task


@task
def word():
    return "upstream"


@task.bash
def templated(x, suffix="s"):
    return "echo {{ ds }}-{{ params.p }}-" + f"{x}{suffix}" + "-{{ ti.xcom_pull(task_ids='word') }}"


@task.bash(env={"V": "from-env"}, append_env=True)
def with_env():
    return 'echo "$V" && test -n "$PATH" && echo path-ok'


@task.bash(cwd="/")
def in_root():
    return "pwd"


@task.bash
def arg_with_jinja(expr):
    return f"echo {expr}"


with DAG(
    dag_id="rt_bash_decorator_templating",
    schedule=None,
    start_date=datetime(2024, 1, 1, tzinfo=timezone.utc),
    catchup=False,
    params={"p": "P"},
    tags=["leoflow-corpus", "bash"],
):
    w = word()
    templated(w)
    w >> templated.override(task_id="templated_lit")("lit", suffix="!")
    with_env()
    in_root()
    arg_with_jinja("{{ ds_nodash }}")
