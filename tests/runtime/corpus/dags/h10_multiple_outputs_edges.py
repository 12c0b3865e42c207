from datetime import datetime, timezone
from airflow.sdk import dag, task


@dag(dag_id="h10_multiple_outputs_edges", schedule=None, start_date=datetime(2024, 1, 1, tzinfo=timezone.utc), catchup=False)
def d():
    @task(multiple_outputs=True)
    def int_keys():
        return {1: "a", 2: "b"}

    @task(multiple_outputs=True)
    def returns_none():
        return None

    @task(multiple_outputs=True)
    def returns_list():
        return [1, 2]

    @task(multiple_outputs=True)
    def empty():
        return {}

    @task(multiple_outputs=True)
    def dotted():
        return {"a.b": 1, "return_value": 5, "c": None}

    @task
    def use(x, y, **context):
        return [x, y, context["ti"].xcom_pull(task_ids="dotted", key="c", default="DC")]

    int_keys()
    returns_none()
    returns_list()
    empty()
    r = dotted()
    use(r["a.b"], r["return_value"])


d()
