"""The keys of Airflow 3.2.1's task template context (`RuntimeTaskInstance
.get_template_context()` in airflow/sdk/execution_time/task_runner.py, for a run with a logical
date): what a task, a template and a DAG callback see."""

from __future__ import annotations

CONTEXT_KEYS = [
    "conn",
    "dag",
    "dag_run",
    "data_interval_end",
    "data_interval_start",
    "ds",
    "ds_nodash",
    "inlet_events",
    "inlets",
    "logical_date",
    "macros",
    "map_index_template",
    "outlet_events",
    "outlets",
    "params",
    "prev_data_interval_end_success",
    "prev_data_interval_start_success",
    "prev_end_date_success",
    "prev_start_date_success",
    "run_id",
    "task",
    "task_instance",
    "task_instance_key_str",
    "task_reschedule_count",
    "ti",
    "triggering_asset_events",
    "ts",
    "ts_nodash",
    "ts_nodash_with_tz",
    "var",
]
