from __future__ import annotations
import os, json
from datetime import datetime, timedelta, timezone
from airflow.sdk import DAG, task, task_group, Param

from airflow.providers.standard.operators.trigger_dagrun import TriggerDagRunOperator

with DAG(dag_id="h11_trigger_variants", schedule=None, start_date=datetime(2024, 1, 1, tzinfo=timezone.utc), catchup=False):
    TriggerDagRunOperator(task_id="t_templated", trigger_dag_id="h11_trigger_target",
        trigger_run_id="h11_{{ ds_nodash }}_{{ ti.task_id }}", conf={"src": "{{ dag.dag_id }}", "n": "{{ 1 + 2 }}", "ld": "{{ ds }}"},
        wait_for_completion=False)
    TriggerDagRunOperator(task_id="t_missing_dag", trigger_dag_id="h11_no_such_dag", wait_for_completion=False)
    TriggerDagRunOperator(task_id="t_logical_date", trigger_dag_id="h11_trigger_target",
        trigger_run_id="h11_ld", logical_date="{{ macros.ds_add(ds, 1) }}T00:00:00+00:00", wait_for_completion=False)
    TriggerDagRunOperator(task_id="t_templated_dag_id", trigger_dag_id="{{ 'h11_trigger' + '_target' }}",
        trigger_run_id="h11_tid", wait_for_completion=False)
