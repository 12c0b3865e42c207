"""TaskFlow through the legacy ``airflow.decorators`` module."""

from __future__ import annotations

import pendulum

from airflow.decorators import dag, setup, task, task_group, teardown


@dag(
    dag_id="fid_legacy_decorators",
    start_date=pendulum.datetime(2024, 3, 1, tz="UTC"),
    schedule="0 6 * * 1-5",
    catchup=False,
    tags=["legacy"],
)
def legacy_decorators():
    @setup
    def create_cluster():
        return "cluster-1"

    @teardown
    def delete_cluster(name):
        print("deleting", name)

    @task
    def extract() -> list[int]:
        return [1, 2, 3]

    @task(multiple_outputs=True)
    def summarize(values: list[int]) -> dict:
        return {"total": sum(values), "count": len(values)}

    @task_group(group_id="reporting")
    def reporting(stats: dict):
        @task
        def render(total):
            return f"total={total}"

        @task.bash
        def publish(text: str) -> str:
            return f"echo {text}"

        publish(render(stats["total"]))

    cluster = create_cluster()
    values = extract()
    stats = summarize(values)
    cluster >> values
    reporting(stats) >> delete_cluster(cluster)


legacy_decorators()
