"""BashOperator env / append_env, cwd, output of the last line as XCom, @task.bash."""

from __future__ import annotations

from datetime import datetime, timezone

from airflow.providers.standard.operators.bash import BashOperator
from airflow.sdk import DAG, task


@task.bash(env={"WHO": "decorated"})
def bash_decorated(n):
    return f'echo "$WHO {n}"'


with DAG(
    dag_id="rt_bash_env",
    schedule=None,
    start_date=datetime(2024, 1, 1, tzinfo=timezone.utc),
    catchup=False,
    tags=["leoflow-corpus", "bash"],
):
    BashOperator(
        task_id="env_replaces",
        bash_command='echo "${FOO}-${PATH:+has_path}${PATH:-no_path}"',
        env={"FOO": "bar"},
    )
    BashOperator(
        task_id="env_appends",
        bash_command='echo "${FOO}-${PATH:+has_path}"',
        env={"FOO": "baz"},
        append_env=True,
    )
    BashOperator(
        task_id="templated_env",
        bash_command='echo "day=$DAY"',
        env={"DAY": "{{ ds }}"},
    )
    BashOperator(task_id="cwd", bash_command="pwd", cwd="/tmp")
    BashOperator(task_id="last_line", bash_command="echo first; echo second; echo last")
    BashOperator(task_id="no_output", bash_command="true")
    bash_decorated(3)
