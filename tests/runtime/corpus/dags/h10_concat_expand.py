from datetime import datetime, timezone
from airflow.sdk import dag, task


@dag(dag_id="h10_concat_expand", schedule=None, start_date=datetime(2024, 1, 1, tzinfo=timezone.utc), catchup=False)
def d():
    @task
    def left():
        return [1, 2]

    @task
    def right():
        return ["x"]

    @task
    def empty():
        return []

    @task
    def show(v):
        return f"<{v}>"

    @task
    def total(vals):
        return [len(vals), list(vals)]

    a, b, e = left(), right(), empty()
    c1 = show.override(task_id="c1").expand(v=a.concat(b))
    c2 = show.override(task_id="c2").expand(v=a.concat(e, b))
    c3 = show.override(task_id="c3").expand(v=a.map(lambda x: x * 100).concat(b))
    c4 = show.override(task_id="c4").expand(v=e.concat(e))
    total.override(task_id="t1")(c1)
    total.override(task_id="t3")(c3)
    total.override(task_id="t4", trigger_rule="all_done")(c4)
    show.override(task_id="c5").expand(v=a.zip(b.concat(a)))


d()
