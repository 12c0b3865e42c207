"""BashOperator partial/expand with templates: a templated bash_command in partial() expanded over
env (the template sees params and ti.map_index), a list of templated commands in expand(), a
map_index_template naming the index from the expanded env, and one index whose command template
has an undefined name (that index fails, with retries=1 on try 2)."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from airflow.providers.standard.operators.bash import BashOperator
from airflow.sdk import DAG

with DAG(
    dag_id="rt_tm_map_bash_templated",
    schedule=None,
    start_date=datetime(2024, 1, 1, tzinfo=timezone.utc),
    catchup=False,
    params={"prefix": "p"},
    tags=["leoflow-corpus", "mapping", "templates"],
):
    BashOperator.partial(
        task_id="by_env",
        bash_command="echo {{ params.prefix }}-$CITY-{{ ti.map_index }}",
        map_index_template="{{ task.env['CITY'] }}",
    ).expand(env=[{"CITY": "oslo"}, {"CITY": "lima"}])
    BashOperator.partial(task_id="commands", retries=1, retry_delay=timedelta(seconds=1)).expand(
        bash_command=[
            "echo {{ ds_nodash }}",
            "echo {{ task.task_id }}:{{ ti.map_index }}",
            "echo {{ undefined_thing }}",
        ]
    )
