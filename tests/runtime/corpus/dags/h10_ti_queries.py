from datetime import datetime, timezone
from airflow.sdk import dag, task


@dag(dag_id="h10_ti_queries", schedule=None, start_date=datetime(2024, 1, 1, tzinfo=timezone.utc), catchup=False)
def d():
    @task
    def a():
        return 1

    @task
    def b():
        return 2

    @task
    def ti_count(**context):
        ti = context["ti"]
        return ti.get_ti_count(dag_id="h10_ti_queries", task_ids=["a", "b"], states=["success"])

    @task
    def task_states(**context):
        ti = context["ti"]
        res = ti.get_task_states(dag_id="h10_ti_queries", task_ids=["a", "b"])
        return {("RUN" if k == ti.run_id else k): v for k, v in res.items()}

    @task
    def dr_count(**context):
        return context["ti"].get_dr_count(dag_id="h10_ti_queries")

    @task
    def dr_state(**context):
        ti = context["ti"]
        return str(ti.get_dagrun_state(dag_id="h10_ti_queries", run_id=ti.run_id))

    x, y = a(), b()
    for t in (ti_count(), task_states(), dr_count(), dr_state()):
        [x, y] >> t


d()
