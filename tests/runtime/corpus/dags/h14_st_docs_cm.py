from __future__ import annotations
from datetime import datetime, timedelta, timezone
from airflow.sdk import DAG, task, setup, teardown
from airflow.providers.standard.operators.bash import BashOperator

with DAG("h14_st_docs_cm", schedule=None, start_date=datetime(2024, 1, 1, tzinfo=timezone.utc), catchup=False):
    @setup
    def create_cluster():
        return "cluster-1"

    @teardown
    def delete_cluster(cluster_id):
        return f"deleted {cluster_id}"

    @task
    def run_query_one(cluster_id):
        return f"q1 on {cluster_id}"

    @task
    def run_query_two(cluster_id):
        raise RuntimeError("query two broke")

    @task
    def summarize():
        return "summary"

    c = create_cluster()
    with delete_cluster(c):
        q1 = run_query_one(c)
        q2 = run_query_two(c)
        s = summarize()
        [q1, q2] >> s

    after = BashOperator(task_id="after_teardown", bash_command="echo after", trigger_rule="all_done")
    s >> after
