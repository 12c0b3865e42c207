from __future__ import annotations
from datetime import datetime, timedelta, timezone
from airflow.sdk import DAG, task
from airflow.providers.standard.operators.trigger_dagrun import TriggerDagRunOperator

with DAG(dag_id="h11_trigger_conf_bad", schedule=None, start_date=datetime(2024, 1, 1, tzinfo=timezone.utc), catchup=False):
    TriggerDagRunOperator(task_id="conf_datetime", trigger_dag_id="h11_trigger_target", conf={"d": datetime(2024, 1, 1)}, trigger_run_id="h11_bad_conf")
    TriggerDagRunOperator(task_id="conf_set", trigger_dag_id="h11_trigger_target", conf={"s": {1, 2}}, trigger_run_id="h11_bad_conf2")
    TriggerDagRunOperator(task_id="conf_nested_template", trigger_dag_id="h11_trigger_target", conf={"l": ["{{ ds }}", {"x": "{{ ti.task_id }}"}]}, trigger_run_id="h11_nested_conf")

    @task
    def push_unserializable(ti=None):
        ti.xcom_push(key="obj", value=object())
        return "never"
    push_unserializable()
