"""BashOperator output handling: multi-line output (the last line is pushed), output with
trailing blank lines, no output at all, stderr only, output_encoding, cwd (pwd is pushed),
env without append_env (PATH is gone: a builtin still works), env with append_env (PATH kept),
a templated env value, output_processor, and `set -e` with a failing middle command."""

from __future__ import annotations

from datetime import datetime, timezone

from airflow.providers.standard.operators.bash import BashOperator
from airflow.sdk import DAG

with DAG(
    dag_id="rt_bash_output_options",
    schedule=None,
    start_date=datetime(2024, 1, 1, tzinfo=timezone.utc),
    catchup=False,
    tags=["leoflow-corpus", "bash"],
):
    BashOperator(task_id="multi", bash_command="echo one; echo two; echo three")
    BashOperator(task_id="trailing_blank", bash_command="echo last; echo; echo ''")
    BashOperator(task_id="silent", bash_command="true")
    BashOperator(task_id="stderr_only", bash_command="echo to-stderr >&2")
    BashOperator(task_id="latin1", bash_command="printf 'caf\\xe9\\n'", output_encoding="latin-1")
    BashOperator(task_id="cwd", bash_command="pwd", cwd="/")
    BashOperator(
        task_id="env_only", bash_command='echo "${FOO}-${PATH:-nopath}"', env={"FOO": "bar"}
    )
    BashOperator(
        task_id="env_append",
        bash_command='echo "${FOO}" && command -v ls >/dev/null && echo has-path',
        env={"FOO": "baz"},
        append_env=True,
    )
    BashOperator(
        task_id="env_templated",
        bash_command='echo "$DS_VALUE"',
        env={"DS_VALUE": "{{ ds }}-{{ task.task_id }}"},
    )
    BashOperator(
        task_id="processor",
        bash_command="echo '{\"a\": [1, 2]}'",
        output_processor=lambda out: __import__("json").loads(out)["a"],
    )
    BashOperator(task_id="set_e", bash_command="set -e; echo before; false; echo after")
