"""Adapted from example_skip_dag and example_short_circuit_operator: a custom operator that always
skips, trigger rules after it, and ShortCircuitOperator with ignore_downstream_trigger_rules."""

from __future__ import annotations

import datetime

import pendulum

from airflow.providers.standard.operators.empty import EmptyOperator
from airflow.providers.standard.operators.python import ShortCircuitOperator
from airflow.sdk import DAG, BaseOperator, chain
from airflow.sdk.exceptions import AirflowSkipException
from airflow.sdk import TriggerRule

args = {"owner": "airflow"}


class EmptySkipOperator(BaseOperator):
    """Empty operator which always skips the task."""

    ui_color = "#e8b7e4"

    def execute(self, context):
        raise AirflowSkipException


def create_test_pipeline(suffix, trigger_rule):
    skip_operator = EmptySkipOperator(task_id=f"skip_operator_{suffix}")
    always_true = EmptyOperator(task_id=f"always_true_{suffix}")
    join = EmptyOperator(task_id=trigger_rule, trigger_rule=trigger_rule)
    final = EmptyOperator(task_id=f"final_{suffix}")

    skip_operator >> join
    always_true >> join
    join >> final


with DAG(
    dag_id="rwh_skip_dag",
    start_date=datetime.datetime(2024, 1, 1, tzinfo=datetime.timezone.utc),
    schedule=None,
    catchup=False,
    tags=["example"],
    default_args=args,
) as dag:
    create_test_pipeline("1", TriggerRule.ALL_SUCCESS)
    create_test_pipeline("2", TriggerRule.ONE_SUCCESS)
    create_test_pipeline("3", TriggerRule.NONE_FAILED_MIN_ONE_SUCCESS)
    create_test_pipeline("4", TriggerRule.ALL_SKIPPED)

    cond_true = ShortCircuitOperator(task_id="condition_is_True", python_callable=lambda: True)
    cond_false = ShortCircuitOperator(task_id="condition_is_False", python_callable=lambda: False)
    ds_true = [EmptyOperator(task_id=f"true_{i}") for i in [1, 2]]
    ds_false = [EmptyOperator(task_id=f"false_{i}") for i in [1, 2]]
    chain(cond_true, *ds_true)
    chain(cond_false, *ds_false)

    [task_1, task_2, task_3, task_4, task_5, task_6] = [
        EmptyOperator(task_id=f"task_{i}") for i in range(1, 7)
    ]
    task_7 = EmptyOperator(task_id="task_7", trigger_rule=TriggerRule.ALL_DONE)
    short_circuit = ShortCircuitOperator(
        task_id="short_circuit", ignore_downstream_trigger_rules=False, python_callable=lambda: False
    )
    chain(task_1, [task_2, short_circuit], [task_3, task_4], [task_5, task_6], task_7)
