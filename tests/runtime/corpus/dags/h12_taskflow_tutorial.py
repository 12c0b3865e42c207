from __future__ import annotations
from datetime import datetime, timedelta, timezone
START = datetime(2024, 1, 1, tzinfo=timezone.utc)

import json
from airflow.sdk import dag, task
from airflow.providers.standard.operators.bash import BashOperator

@dag(dag_id="h12_taskflow_tutorial", schedule=None, start_date=START, catchup=False, tags=["example"])
def tutorial_taskflow_api():
    @task()
    def extract():
        data_string = '{"1001": 301.27, "1002": 433.21, "1003": 502.22}'
        order_data_dict = json.loads(data_string)
        return order_data_dict

    @task(multiple_outputs=True)
    def transform(order_data_dict: dict):
        total_order_value = 0
        for value in order_data_dict.values():
            total_order_value += value
        return {"total_order_value": round(total_order_value, 2), "count": len(order_data_dict)}

    @task()
    def load(total_order_value: float, count):
        return f"Total order value is: {total_order_value:.2f} over {count}"

    order_data = extract()
    order_summary = transform(order_data)
    l = load(order_summary["total_order_value"], order_summary["count"])
    b = BashOperator(task_id="report", bash_command="echo total={{ ti.xcom_pull(task_ids='transform', key='total_order_value') }} all={{ ti.xcom_pull(task_ids='transform') }} n={{ task_instance.xcom_pull('transform', key='count') }}")
    b2 = BashOperator(task_id="report2", bash_command="echo count=$COUNT", env={"COUNT": "{{ ti.xcom_pull('transform', key='count') }}"}, append_env=True)
    l >> b

    @task
    def final(a, b, c):
        return [a, b, c]
    final(l, b.output, b2.output)

tutorial_taskflow_api()
