from datetime import datetime, timezone
from airflow.sdk import dag, task


@dag(dag_id="h10_expand_unmappable", schedule=None, start_date=datetime(2024, 1, 1, tzinfo=timezone.utc), catchup=False)
def d():
    @task
    def gives_none():
        return None

    @task
    def gives_int():
        return 7

    @task
    def gives_tuple():
        return (1, 2)

    @task
    def gives_nested():
        return [[1, 2], [], [3]]

    @task
    def echo(v):
        return v

    @task
    def after(v):
        return v

    n = echo.override(task_id="on_none").expand(v=gives_none())
    after.override(task_id="after_none", trigger_rule="all_done")(n)
    echo.override(task_id="on_int").expand(v=gives_int())
    echo.override(task_id="on_tuple").expand(v=gives_tuple())
    nn = echo.override(task_id="on_nested").expand(v=gives_nested())
    after.override(task_id="after_nested")(nn)


d()
