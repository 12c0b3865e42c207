"""Context keys that Airflow 3 removed (prev_ds, next_ds, execution_date, yesterday_ds,
tomorrow_ds, conf.get) under the DAG's default StrictUndefined: each template fails its task;
`is defined` and `| default(...)` work on them, and a task after the failures with all_done
runs."""

from __future__ import annotations

from datetime import datetime, timezone

from airflow.providers.standard.operators.bash import BashOperator
from airflow.sdk import DAG

with DAG(
    dag_id="rt_tm_removed_context_keys",
    schedule=None,
    start_date=datetime(2024, 1, 1, tzinfo=timezone.utc),
    catchup=False,
    tags=["leoflow-corpus", "templates"],
):
    removed = [
        BashOperator(task_id=f"use_{key}", bash_command=f"echo {{{{ {key} }}}}")
        for key in ("prev_ds", "next_ds", "execution_date", "yesterday_ds", "tomorrow_ds")
    ]
    guarded = BashOperator(
        task_id="guarded",
        bash_command=(
            "echo {{ prev_ds is defined }} {{ next_ds | default('none') }} "
            "{{ execution_date is undefined }} {{ prev_execution_date | default(ds, true) }}"
        ),
    )
    still_there = BashOperator(
        task_id="still_there",
        bash_command=(
            "echo {{ ds }} {{ ts_nodash }} {{ logical_date.year }} {{ run_id }} "
            "{{ prev_data_interval_end_success is none }} {{ outlets | length }}"
        ),
    )
    BashOperator(task_id="after", bash_command="echo done", trigger_rule="all_done").set_upstream(
        [*removed, guarded, still_there]
    )
