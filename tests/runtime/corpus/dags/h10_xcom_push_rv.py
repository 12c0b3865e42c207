from datetime import datetime, timezone
from airflow.sdk import dag, task


@dag(dag_id="h10_xcom_push_rv", schedule=None, start_date=datetime(2024, 1, 1, tzinfo=timezone.utc), catchup=False)
def d():
    @task
    def manual_then_none(**context):
        context["ti"].xcom_push(key="return_value", value="manual")
        return None

    @task
    def manual_then_value(**context):
        context["ti"].xcom_push(key="return_value", value="manual")
        return "returned"

    @task
    def push_none(**context):
        context["ti"].xcom_push(key="return_value", value=None)

    @task(do_xcom_push=False)
    def manual_no_push(**context):
        context["ti"].xcom_push(key="return_value", value="manual2")
        return "ignored"

    @task
    def read(a, b, **context):
        ti = context["ti"]
        return [a, b, ti.xcom_pull(task_ids="push_none", default="dflt"), ti.xcom_pull(task_ids="manual_no_push")]

    a = manual_then_none()
    b = manual_then_value()
    c = push_none()
    e = manual_no_push()
    r = read(a, b)
    [c, e] >> r


d()
