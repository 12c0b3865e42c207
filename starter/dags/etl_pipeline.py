"""Extract with bash, transform and load with @task functions; values travel through XCom."""

import pendulum

from airflow.providers.standard.operators.bash import BashOperator
from airflow.sdk import DAG, task

with DAG(
    dag_id="etl_pipeline",
    schedule="@daily",
    start_date=pendulum.datetime(2025, 1, 1, tz="UTC"),
    catchup=False,
    tags=["starter"],
):
    extract = BashOperator(
        task_id="extract",
        bash_command='echo \'{"orders": [3, 5, 8]}\'',  # the last line of stdout is the XCom
    )

    @task
    def transform(raw: str) -> dict:
        import json

        orders = json.loads(raw)["orders"]
        return {"count": len(orders), "total": sum(orders)}

    @task
    def load(summary: dict) -> None:
        print(f"loaded {summary['count']} orders worth {summary['total']}")

    load(transform(extract.output))
