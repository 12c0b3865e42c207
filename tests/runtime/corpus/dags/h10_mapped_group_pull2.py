from datetime import datetime, timezone
from airflow.sdk import dag, task, task_group


@dag(dag_id="h10_mapped_group_pull2", schedule=None, start_date=datetime(2024, 1, 1, tzinfo=timezone.utc), catchup=False)
def d():
    @task
    def plain():
        return "p"

    @task
    def m(x):
        return x + 100

    @task_group(group_id="g")
    def g(v):
        @task
        def inner(v):
            return v * 2

        return inner(v)

    @task
    def outside(**context):
        ti = context["ti"]
        return {
            "grp_then_plain": ti.xcom_pull(task_ids=["g.inner", "plain"]),
            "plain_then_grp": ti.xcom_pull(task_ids=["plain", "g.inner"]),
            "mapped_and_grp": ti.xcom_pull(task_ids=["m", "g.inner"]),
            "grp_single": ti.xcom_pull(task_ids="g.inner"),
            "grp_idx_list": ti.xcom_pull(task_ids=["g.inner"], map_indexes=[0, 1]),
        }

    @task
    def single_index_group(**context):
        return context["ti"].xcom_pull(task_ids="g1.inner")

    @task_group(group_id="g1")
    def g1(v):
        @task
        def inner(v):
            return v

        return inner(v)

    p = plain()
    mm = m.expand(x=[1, 2])
    gg = g.expand(v=[1, 2, 3])
    one = g1.expand(v=["only"])
    [p, mm, gg] >> outside()
    one >> single_index_group()


d()
