from datetime import datetime, timezone
from airflow.sdk import dag, task
from airflow.providers.standard.operators.empty import EmptyOperator


@dag(dag_id="h10_branch_odd_returns", schedule=None, start_date=datetime(2024, 1, 1, tzinfo=timezone.utc), catchup=False)
def d():
    @task.branch
    def tup():
        return ("a1", "a2")

    @task.branch
    def st():
        return {"b1"}

    @task.branch
    def bogus():
        return "does_not_exist"

    @task.branch
    def empty_list():
        return []

    @task.branch
    def intval():
        return 5

    t = tup()
    t >> [EmptyOperator(task_id="a1"), EmptyOperator(task_id="a2"), EmptyOperator(task_id="a3")]
    s = st()
    s >> [EmptyOperator(task_id="b1"), EmptyOperator(task_id="b2")]
    bg = bogus()
    bg >> [EmptyOperator(task_id="c1"), EmptyOperator(task_id="c2")]
    el = empty_list()
    el >> [EmptyOperator(task_id="d1"), EmptyOperator(task_id="d2", trigger_rule="none_failed")]
    iv = intval()
    iv >> [EmptyOperator(task_id="e1")]


d()
