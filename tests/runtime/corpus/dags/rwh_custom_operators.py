"""Custom operators defined in the DAG file, as in Astronomer's "Create custom operators" guide:
template_fields, template_ext, render of nested structures, an operator that pushes extra XComs,
and a custom sensor."""

from __future__ import annotations

import json
import logging
import os
from datetime import datetime, timedelta, timezone
from pathlib import Path

from airflow.providers.standard.operators.empty import EmptyOperator
from airflow.sdk import DAG, BaseOperator, BaseSensorOperator, Label
from airflow.sdk.exceptions import AirflowSkipException

logger = logging.getLogger(__name__)

OUT_DIR = "/tmp/reports"


class HelloOperator(BaseOperator):
    template_fields = ("name", "greeting")
    ui_color = "#e8f7e4"

    def __init__(self, name: str, greeting: str = "Hello", **kwargs) -> None:
        super().__init__(**kwargs)
        self.name = name
        self.greeting = greeting

    def execute(self, context):
        message = f"{self.greeting} {self.name}!"
        logger.info(message)
        return message


class WriteReportOperator(BaseOperator):
    """Writes a JSON report; `payload` is a templated dict."""

    template_fields = ("payload", "filename")

    def __init__(self, *, payload: dict, filename: str, **kwargs):
        super().__init__(**kwargs)
        self.payload = payload
        self.filename = filename

    def execute(self, context):
        os.makedirs(OUT_DIR, exist_ok=True)
        path = Path(OUT_DIR) / self.filename
        path.write_text(json.dumps(self.payload, sort_keys=True))
        context["ti"].xcom_push(key="report_path", value=str(path))
        return {"path": str(path), "size": path.stat().st_size, "keys": sorted(self.payload)}


class ReportExistsSensor(BaseSensorOperator):
    template_fields = ("filepath",)

    def __init__(self, filepath: str, **kwargs):
        super().__init__(**kwargs)
        self.filepath = filepath

    def poke(self, context) -> bool:
        logger.info("Poking for %s", self.filepath)
        return os.path.exists(self.filepath)


class ThresholdOperator(BaseOperator):
    template_fields = ("value",)

    def __init__(self, value, threshold: int, **kwargs):
        super().__init__(**kwargs)
        self.value = value
        self.threshold = threshold

    def execute(self, context):
        value = int(self.value)
        if value < self.threshold:
            raise AirflowSkipException(f"{value} below {self.threshold}")
        return value


default_args = {
    "owner": "data-eng",
    "retries": 0,
    "retry_delay": timedelta(seconds=1),
}

with DAG(
    dag_id="rwh_custom_operators",
    default_args=default_args,
    schedule=None,
    start_date=datetime(2024, 1, 1, tzinfo=timezone.utc),
    catchup=False,
    params={"who": "world"},
    doc_md=__doc__,
) as dag:
    start = EmptyOperator(task_id="start")
    hello = HelloOperator(task_id="hello", name="{{ params.who }}", greeting="Hi on {{ ds }}")
    report = WriteReportOperator(
        task_id="write_report",
        payload={
            "greeting": "{{ ti.xcom_pull(task_ids='hello') }}",
            "run": "{{ run_id }}",
            "nested": {"date": "{{ ds_nodash }}", "items": ["{{ dag.dag_id }}", 3]},
        },
        filename="report_{{ ds_nodash }}.json",
    )
    wait = ReportExistsSensor(
        task_id="wait_for_report",
        filepath="{{ ti.xcom_pull(task_ids='write_report', key='report_path') }}",
        poke_interval=1,
        timeout=10,
    )
    big = ThresholdOperator(
        task_id="check_big", value="{{ ti.xcom_pull(task_ids='write_report')['size'] }}", threshold=10_000
    )
    small = ThresholdOperator(
        task_id="check_small", value="{{ ti.xcom_pull(task_ids='write_report')['size'] }}", threshold=10
    )
    end = EmptyOperator(task_id="end", trigger_rule="none_failed_min_one_success")

    start >> hello >> report >> wait
    wait >> Label("large report") >> big >> end
    wait >> Label("any report") >> small >> end
