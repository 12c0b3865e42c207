"""Mapped task groups: expand, expand_kwargs, partial on a group, nesting a plain group inside."""

from __future__ import annotations

import pendulum

from airflow.sdk import DAG, TaskGroup, task, task_group
from airflow.providers.standard.operators.bash import BashOperator
from airflow.providers.standard.operators.empty import EmptyOperator

with DAG(
    dag_id="fid_mapped_task_groups",
    start_date=pendulum.datetime(2024, 1, 1, tz="UTC"),
    schedule=None,
) as dag:

    @task
    def regions() -> list[str]:
        return ["eu", "us", "apac"]

    @task
    def double(n: int) -> int:
        return n * 2

    @task
    def label(n: int, prefix: str) -> str:
        return f"{prefix}{n}"

    @task_group
    def per_number(n: int, prefix: str = "n"):
        d = double(n)
        return label(d, prefix)

    @task_group(group_id="per_region", tooltip="One branch per region")
    def per_region(region: str):
        @task
        def extract(r: str) -> str:
            return r

        echo = BashOperator(task_id="echo", bash_command="echo {{ params.tag }}", params={"tag": "x"})
        with TaskGroup("inner") as inner:
            EmptyOperator(task_id="validate")
        extract(region) >> echo >> inner

    @task
    def collect(values) -> list:
        return list(values)

    numbers = per_number.partial(prefix="v").expand(n=[1, 2, 3])
    collect(numbers)
    per_number.expand_kwargs([{"n": 5, "prefix": "a"}, {"n": 6}])
    per_region.expand(region=regions())
