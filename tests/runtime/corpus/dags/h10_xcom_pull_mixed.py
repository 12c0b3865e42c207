from datetime import datetime, timezone
from airflow.sdk import dag, task


@dag(dag_id="h10_xcom_pull_mixed", schedule=None, start_date=datetime(2024, 1, 1, tzinfo=timezone.utc), catchup=False)
def d():
    @task
    def one(**context):
        context["ti"].xcom_push(key="k", value="one-k")
        return {"v": 1}

    @task
    def two():
        return [2, 2]

    @task
    def nothing():
        return None

    @task
    def m(x, **context):
        context["ti"].xcom_push(key="k", value=f"m-{x}")
        return x * 10

    @task
    def pull_list(**context):
        ti = context["ti"]
        return ti.xcom_pull(task_ids=["one", "two", "nothing"])

    @task
    def pull_key_list(**context):
        ti = context["ti"]
        return ti.xcom_pull(task_ids=["one", "two", "m"], key="k")

    @task
    def pull_default(**context):
        ti = context["ti"]
        return [
            ti.xcom_pull(task_ids="nothing", default="D1"),
            ti.xcom_pull(task_ids="nothing", map_indexes=-1, default="D2"),
            ti.xcom_pull(task_ids="one", key="missing", default="D3"),
            ti.xcom_pull(task_ids="one", key="missing", map_indexes=-1, default="D4"),
            ti.xcom_pull(task_ids=["one", "nothing"], map_indexes=-1, default="D5"),
        ]

    @task
    def pull_mapped(**context):
        ti = context["ti"]
        return {
            "all": ti.xcom_pull(task_ids="m"),
            "idx1": ti.xcom_pull(task_ids="m", map_indexes=1),
            "rev": ti.xcom_pull(task_ids="m", map_indexes=[2, 0]),
            "none": ti.xcom_pull(task_ids="m", map_indexes=None, default="ND"),
            "keys": ti.xcom_pull(task_ids="m", key="k"),
            "oob": ti.xcom_pull(task_ids="m", map_indexes=[0, 7], default=-1),
            "mixed": ti.xcom_pull(task_ids=["m", "two"]),
            "prior": ti.xcom_pull(task_ids="m", include_prior_dates=True),
        }

    @task
    def pull_self(**context):
        ti = context["ti"]
        ti.xcom_push(key="mine", value=[1, "a"])
        return [ti.xcom_pull(key="mine"), ti.xcom_pull(), ti.xcom_pull(key="mine", map_indexes=-1)]

    ups = [one(), two(), nothing(), m.expand(x=[1, 2, 3])]
    for t in (pull_list(), pull_key_list(), pull_default(), pull_mapped(), pull_self()):
        ups >> t


d()
