"""Macros and context in templates: ds_add with +3 / -3, ds_format, macros.datetime,
macros.timedelta, a user_defined_macros function and constant, user_defined_filters,
var.value.get / var.json.get with fallbacks for missing variables, dag / task attributes,
task_instance_key_str, ts_nodash_with_tz, data interval, prev_*_success (None in a first
run), dag_run.conf (empty) and params."""

from __future__ import annotations

from datetime import datetime, timezone

from airflow.providers.standard.operators.bash import BashOperator
from airflow.sdk import DAG


def _label(prefix, n):
    return f"{prefix}-{n * 2}"


with DAG(
    dag_id="rt_ctx_macros",
    schedule=None,
    start_date=datetime(2024, 1, 1, tzinfo=timezone.utc),
    catchup=False,
    user_defined_macros={"label": _label, "region": "eu-west"},
    user_defined_filters={"wrap": lambda s, ch="*": f"{ch}{s}{ch}", "double": lambda n: n * 2},
    params={"n": 4},
    tags=["leoflow-corpus", "templates"],
):
    BashOperator(
        task_id="ds_add",
        bash_command="echo {{ macros.ds_add(ds, 3) }} {{ macros.ds_add(ds, -3) }}",
    )
    BashOperator(
        task_id="datetime_macros",
        bash_command=(
            "echo {{ macros.datetime(2021, 3, 4).strftime('%A') }} "
            "{{ (macros.datetime(2021, 3, 4) + macros.timedelta(hours=30)).isoformat() }} "
            "{{ macros.ds_format('20250101', '%Y%m%d', '%b %d') | replace(' ', '_') }}"
        ),
    )
    BashOperator(
        task_id="user_macros",
        bash_command="echo '{{ label(region, params.n) }} {{ region | wrap }} {{ params.n | double }} {{ 'x' | wrap('#') }}'",
    )
    BashOperator(
        task_id="missing_variables",
        bash_command=(
            "echo '{{ var.value.get(\"rt_ctx_missing\", \"fallback\") }} "
            "{{ var.json.get(\"rt_ctx_missing_json\", {\"k\": 1}).k }}'"
        ),
    )
    BashOperator(
        task_id="context_values",
        bash_command=(
            "echo '{{ dag.dag_id }} {{ task.task_id }} {{ task_instance_key_str }} "
            "{{ ts_nodash_with_tz }} {{ data_interval_start }} {{ data_interval_end }} "
            "{{ prev_data_interval_start_success }} {{ prev_start_date_success }} "
            "{{ dag_run.conf }} {{ params }} {{ task.retries }} {{ ti.try_number }}'"
        ),
    )
