"""Dynamic task mapping: one `square` task instance per input, then a sum over all of them."""

import pendulum

from airflow.sdk import DAG, task

with DAG(
    dag_id="mapped",
    schedule=None,
    start_date=pendulum.datetime(2025, 1, 1, tz="UTC"),
    catchup=False,
    tags=["starter"],
):

    @task
    def numbers() -> list[int]:
        return [1, 2, 3, 4]

    @task
    def square(x: int) -> int:
        return x * x

    @task
    def total(values: list[int]) -> None:
        print(f"sum of squares: {sum(values)}")

    total(square.expand(x=numbers()))
