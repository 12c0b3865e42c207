from __future__ import annotations
from datetime import datetime, timedelta, timezone
import json
from airflow.sdk import dag, task
from airflow.providers.standard.operators.bash import BashOperator


@dag(schedule=None, start_date=datetime(2024, 1, 1, tzinfo=timezone.utc), catchup=False, tags=["example"])
def h14_tf_docs_etl():
    @task()
    def extract():
        data_string = '{"1001": 301.27, "1002": 433.21, "1003": 502.22}'
        return json.loads(data_string)

    @task(multiple_outputs=True)
    def transform(order_data_dict: dict):
        total_order_value = 0
        for value in order_data_dict.values():
            total_order_value += value
        return {"total_order_value": round(total_order_value, 2), "count": len(order_data_dict)}

    @task()
    def transform_typed(order_data_dict: dict) -> dict[str, float]:
        return {"max": max(order_data_dict.values()), "min": min(order_data_dict.values())}

    @task()
    def load(total_order_value: float, count: int, mx: float):
        return f"Total order value is: {total_order_value:.2f} over {count}, max {mx}"

    get_date = BashOperator(task_id="get_date", bash_command="echo 2024-01-01")

    @task()
    def use_date(d: str):
        return d.replace("-", "")

    order_data = extract()
    order_summary = transform(order_data)
    typed = transform_typed(order_data)
    load(order_summary["total_order_value"], order_summary["count"], typed["max"])
    use_date(get_date.output)


h14_tf_docs_etl()
