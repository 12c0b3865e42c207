"""
### TaskFlow API Tutorial Documentation
This is a simple data pipeline example which demonstrates the use of
the TaskFlow API using three simple tasks for Extract, Transform, and Load.
"""

from __future__ import annotations

import json

import pendulum

from airflow.sdk import dag, task


@dag(
    schedule=None,
    start_date=pendulum.datetime(2024, 1, 1, tz="UTC"),
    catchup=False,
    tags=["example"],
)
def rwh_taskflow_etl():
    """
    ### TaskFlow API Tutorial Documentation
    Documentation for the DAG itself lives in its docstring.
    """

    @task()
    def extract():
        """
        #### Extract task
        A simple Extract task to get data ready for the rest of the data
        pipeline.
        """
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
    def load(total_order_value: float, count: int):
        print(f"Total order value is: {total_order_value:.2f}")
        return f"{count} orders, {total_order_value:.2f}"

    order_data = extract()
    order_summary = transform(order_data)
    load(order_summary["total_order_value"], order_summary["count"])


rwh_taskflow_etl()
