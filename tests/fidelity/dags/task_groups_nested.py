"""Nested task groups: prefix_group_id=False, tooltips, default_args per group, group-to-group edges."""

from __future__ import annotations

import datetime

import pendulum

from airflow.sdk import DAG, TaskGroup, task_group
from airflow.providers.standard.operators.empty import EmptyOperator
from airflow.providers.standard.operators.bash import BashOperator

with DAG(
    dag_id="fid_task_groups_nested",
    start_date=pendulum.datetime(2024, 1, 1, tz="UTC"),
    schedule="@daily",
    default_args={"retries": 1},
) as dag:
    start = EmptyOperator(task_id="start")

    with TaskGroup("outer", tooltip="The outer group", default_args={"retries": 3}) as outer:
        first = EmptyOperator(task_id="first")
        with TaskGroup("flat", prefix_group_id=False, tooltip="No prefix on these ids") as flat:
            f1 = EmptyOperator(task_id="flat_one")
            f2 = BashOperator(task_id="flat_two", bash_command="echo 2", retries=0)
            with TaskGroup("deep") as deep:
                d1 = EmptyOperator(task_id="leaf")
            f1 >> f2 >> deep
        with TaskGroup("prefixed", ui_color="#ffcc00", ui_fgcolor="#000000") as prefixed:
            p1 = EmptyOperator(task_id="one")
            p2 = EmptyOperator(task_id="two")
        first >> [flat, prefixed]

    @task_group(
        group_id="decorated",
        prefix_group_id=False,
        default_args={"execution_timeout": datetime.timedelta(minutes=5)},
    )
    def decorated():
        @task_group(group_id="decorated_inner")
        def decorated_inner():
            EmptyOperator(task_id="deep_leaf")

        EmptyOperator(task_id="dec_head") >> decorated_inner()

    with TaskGroup("empty_group") as empty_group:
        pass

    end = EmptyOperator(task_id="end")
    start >> outer >> decorated() >> end
    start >> empty_group
