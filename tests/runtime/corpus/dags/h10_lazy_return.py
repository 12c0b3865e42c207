from datetime import datetime, timezone
from airflow.sdk import DAG, task

with DAG("h10_lazy_return", schedule=None, start_date=datetime(2024, 1, 1, tzinfo=timezone.utc), catchup=False):
    @task
    def one(x):
        return x * 2

    @task
    def direct(values):
        return values

    @task
    def nested(values):
        return {"all": values}

    @task
    def as_list(values):
        return list(values)

    @task
    def pulled(ti=None):
        return ti.xcom_pull(task_ids="one")

    @task
    def pulled_type(ti=None):
        v = ti.xcom_pull(task_ids="one")
        return type(v).__name__

    @task
    def arg_type(values):
        return [type(values).__name__, len(values), values[1], values[-1]]

    vals = one.expand(x=[1, 2, 3])
    direct(vals)
    nested(vals)
    as_list(vals)
    vals >> pulled()
    vals >> pulled_type()
    arg_type(vals)
