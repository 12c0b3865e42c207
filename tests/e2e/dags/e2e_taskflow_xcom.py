import pendulum
from airflow.sdk import dag, task


@dag(schedule=None, start_date=pendulum.datetime(2025, 1, 1, tz="UTC"))
def e2e_taskflow_xcom():
    @task
    def numbers():
        return [1, 2, 3]

    @task
    def add_one(x):
        return x + 1

    @task
    def total(values):
        if sum(values) != 9:
            raise ValueError(f"expected 9, got {sum(values)}")
        return sum(values)

    total(add_one.expand(x=numbers()))


e2e_taskflow_xcom()
