"""Trigger rules given as the TriggerRule enum (airflow.sdk's and the legacy
airflow.utils.trigger_rule import real DAGs still use) instead of strings, in a task, in an
operator and in default_args, after a failure and a skip."""

from __future__ import annotations

from datetime import datetime, timezone

from airflow.providers.standard.operators.empty import EmptyOperator
from airflow.sdk import DAG, TriggerRule, task
from airflow.sdk.exceptions import AirflowSkipException
from airflow.utils.trigger_rule import TriggerRule as LegacyTriggerRule


@task
def boom():
    raise ValueError("x")


@task
def skip():
    raise AirflowSkipException("s")


@task(trigger_rule=TriggerRule.ONE_FAILED)
def on_fail():
    return "one_failed"


@task(trigger_rule=LegacyTriggerRule.NONE_FAILED_MIN_ONE_SUCCESS)
def nf():
    return "nfmos"


@task
def by_default():
    return "default_args"


with DAG(
    dag_id="rt_trigger_rule_enum",
    schedule=None,
    start_date=datetime(2024, 1, 1, tzinfo=timezone.utc),
    catchup=False,
    default_args={"trigger_rule": TriggerRule.ALL_DONE},
    tags=["leoflow-corpus"],
):
    f = boom.override(trigger_rule=TriggerRule.ALL_SUCCESS)()
    s = skip.override(trigger_rule="all_success")()
    ok = EmptyOperator(task_id="ok", trigger_rule=TriggerRule.ALL_SUCCESS)
    f >> on_fail()
    [s, ok] >> nf()
    [f, s] >> by_default()
    f >> EmptyOperator(task_id="all_failed", trigger_rule=TriggerRule.ALL_FAILED)
    s >> EmptyOperator(task_id="none_skipped", trigger_rule=LegacyTriggerRule.NONE_SKIPPED)
