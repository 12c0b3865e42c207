from __future__ import annotations
import os, json
from datetime import datetime, timedelta, timezone
from airflow.sdk import DAG, task, task_group, Param

from airflow.providers.standard.sensors.external_task import ExternalTaskSensor
from airflow.providers.standard.operators.empty import EmptyOperator
from airflow.sdk.exceptions import AirflowSkipException

@task
def good():
    return 1

@task
def bad():
    raise ValueError("bad")

@task
def skipper():
    raise AirflowSkipException("s")

D = "h11_ext_sensor_states"
with DAG(dag_id=D, schedule=None, start_date=datetime(2024, 1, 1, tzinfo=timezone.utc), catchup=False):
    g, b, s = good(), bad(), skipper()
    kw = dict(external_dag_id=D, poke_interval=1, timeout=3, mode="reschedule", trigger_rule="all_done")
    s1 = ExternalTaskSensor(task_id="on_failed_failed_states", external_task_id="bad", failed_states=["failed"], **kw)
    s2 = ExternalTaskSensor(task_id="on_failed_soft", external_task_id="bad", failed_states=["failed"], soft_fail=True, **kw)
    s3 = ExternalTaskSensor(task_id="on_skipped_allowed", external_task_id="skipper", allowed_states=["skipped"], **kw)
    s4 = ExternalTaskSensor(task_id="on_skipped_skipped_states", external_task_id="skipper", skipped_states=["skipped"], **kw)
    s5 = ExternalTaskSensor(task_id="on_list_mixed", external_task_ids=["good", "skipper"], allowed_states=["success", "skipped"], **kw)
    s6 = ExternalTaskSensor(task_id="on_failed_timeout", external_task_id="bad", **kw)
    s7 = ExternalTaskSensor(task_id="check_existence_missing", external_task_id="does_not_exist", check_existence=True, **kw)
    s8 = ExternalTaskSensor(task_id="whole_dag_self", external_task_id=None, poke_interval=1, timeout=2, mode="reschedule", soft_fail=True, external_dag_id=D)
    g >> [s5]
    b >> [s1, s2, s6]
    s >> [s3, s4, s5]
    after = EmptyOperator(task_id="after_soft", trigger_rule="none_failed")
    s2 >> after
