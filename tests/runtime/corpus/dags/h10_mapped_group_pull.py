from datetime import datetime, timezone
from airflow.sdk import dag, task, task_group


@dag(dag_id="h10_mapped_group_pull", schedule=None, start_date=datetime(2024, 1, 1, tzinfo=timezone.utc), catchup=False)
def d():
    @task
    def plain():
        return "p"

    @task_group(group_id="g")
    def g(v):
        @task
        def inner(v):
            return v * 2

        @task
        def inner2(w, **context):
            ti = context["ti"]
            return [w, ti.map_index, ti.xcom_pull(task_ids="g.inner"), ti.xcom_pull(task_ids="g.inner", map_indexes=ti.map_index)]

        return inner2(inner(v))

    @task
    def outside(res, **context):
        ti = context["ti"]
        return {
            "res": list(res),
            "inner_all": ti.xcom_pull(task_ids="g.inner"),
            "multi": ti.xcom_pull(task_ids=["g.inner", "plain"]),
            "idx": ti.xcom_pull(task_ids="g.inner", map_indexes=[1]),
        }

    p = plain()
    out = g.expand(v=[1, 2, 3])
    p >> out
    outside(out)


d()
