"""Adapted from example_xcom / example_xcom_args_with_operators: classic operators pushing and
pulling XComs with keys, lists of task_ids, templates and output attributes."""

from __future__ import annotations

import json
from datetime import datetime, timezone

from airflow.providers.standard.operators.bash import BashOperator
from airflow.providers.standard.operators.python import PythonOperator
from airflow.sdk import DAG

value_1 = [1, 2, 3]
value_2 = {"a": "b"}


def push(ti=None):
    """Pushes an XCom without a specific target"""
    ti.xcom_push(key="value from pusher 1", value=value_1)


def push_by_returning():
    """Pushes an XCom without a specific target, just by returning it"""
    return value_2


def _compare_values(pulled_value, check_value):
    if pulled_value != check_value:
        raise ValueError(f"The two values differ {pulled_value} and {check_value}")


def puller(pulled_value_2, ti=None):
    """Pull all previously pushed XComs and check if the pushed values match the pulled values."""
    pulled_value_1 = ti.xcom_pull(task_ids="push", key="value from pusher 1")
    _compare_values(pulled_value_1, value_1)
    _compare_values(pulled_value_2, value_2)
    return [pulled_value_1, pulled_value_2]


def pull_value_from_bash_push(ti=None):
    bash_pushed_via_return_value = ti.xcom_pull(key="return_value", task_ids="bash_push")
    bash_manually_pushed_value = ti.xcom_pull(key="manually_pushed_value", task_ids="bash_push")
    both = ti.xcom_pull(task_ids=["bash_push", "push_by_returning"])
    return {
        "ret": bash_pushed_via_return_value,
        "manual": bash_manually_pushed_value,
        "both": both,
    }


def to_json(data):
    return json.dumps(data, sort_keys=True)


with DAG(
    "rwh_classic_xcom",
    start_date=datetime(2024, 1, 1, tzinfo=timezone.utc),
    schedule=None,
    catchup=False,
    tags=["example"],
    user_defined_filters={"to_json": to_json},
) as dag:
    push1 = PythonOperator(task_id="push", python_callable=push)
    push2 = PythonOperator(task_id="push_by_returning", python_callable=push_by_returning)
    pull = PythonOperator(
        task_id="puller",
        python_callable=puller,
        op_kwargs={"pulled_value_2": push2.output},
    )
    push1 >> pull

    bash_push = BashOperator(
        task_id="bash_push",
        bash_command='echo "bash_push demo"  && '
        'echo "Manually set xcom value '
        '{{ ti.xcom_push(key="manually_pushed_value", value="manually_pushed_value") }}" && '
        'echo "value_by_return"',
    )

    bash_pull = BashOperator(
        task_id="bash_pull",
        bash_command='echo "bash pull demo" && '
        f'echo "The xcom pushed manually is {bash_push.output["manually_pushed_value"]}" && '
        f'echo "The returned_value xcom is {bash_push.output}" && '
        'echo \'{{ ti.xcom_pull(task_ids="puller") | to_json }}\' && '
        'echo "finished"',
        do_xcom_push=False,
    )

    python_pull_from_bash = PythonOperator(
        task_id="python_pull_from_bash", python_callable=pull_value_from_bash_push
    )

    [bash_pull, python_pull_from_bash] << bash_push
    push2 >> python_pull_from_bash

    last = BashOperator(
        task_id="last",
        bash_command="echo {{ ti.xcom_pull(task_ids='python_pull_from_bash')['manual'] | upper }}",
    )
    python_pull_from_bash >> last
