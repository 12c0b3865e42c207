"""Every trigger rule, given as enum members, as strings and through default_args."""

from __future__ import annotations

import pendulum

from airflow.sdk import DAG, TriggerRule
from airflow.providers.standard.operators.empty import EmptyOperator
from airflow.providers.standard.operators.bash import BashOperator

with DAG(
    dag_id="fid_trigger_rules_all",
    start_date=pendulum.datetime(2024, 1, 1, tz="UTC"),
    schedule=None,
    default_args={"trigger_rule": "all_done"},
) as dag:
    ok = EmptyOperator(task_id="ok", trigger_rule=TriggerRule.ALL_SUCCESS)
    boom = BashOperator(task_id="boom", bash_command="exit 1", trigger_rule="all_success")
    inherits = EmptyOperator(task_id="inherits_default_all_done")
    rules = [
        TriggerRule.ALL_SUCCESS,
        TriggerRule.ALL_FAILED,
        TriggerRule.ALL_DONE,
        TriggerRule.ALL_DONE_MIN_ONE_SUCCESS,
        TriggerRule.ALL_DONE_SETUP_SUCCESS,
        TriggerRule.ONE_SUCCESS,
        TriggerRule.ONE_FAILED,
        TriggerRule.ONE_DONE,
        TriggerRule.NONE_FAILED,
        TriggerRule.NONE_SKIPPED,
        TriggerRule.ALWAYS,
        TriggerRule.NONE_FAILED_MIN_ONE_SUCCESS,
        TriggerRule.ALL_SKIPPED,
    ]
    for rule in rules:
        enum_task = EmptyOperator(task_id=f"enum_{rule.value}", trigger_rule=rule)
        str_task = EmptyOperator(task_id=f"str_{rule.value}", trigger_rule=rule.value)
        [ok, boom] >> enum_task
        [ok, boom] >> str_task
    [ok, boom] >> inherits
