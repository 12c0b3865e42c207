"""Human-in-the-loop operators of the standard provider."""

from __future__ import annotations

import datetime

import pendulum

from airflow.sdk import DAG, Param
from airflow.providers.standard.operators.empty import EmptyOperator
from airflow.providers.standard.operators.hitl import (
    ApprovalOperator,
    HITLBranchOperator,
    HITLEntryOperator,
    HITLOperator,
)

with DAG(
    dag_id="fid_hitl_operators",
    start_date=pendulum.datetime(2024, 1, 1, tz="UTC"),
    schedule=None,
) as dag:
    choose = HITLOperator(
        task_id="choose",
        subject="Which model should ship?",
        body="Validation loss: {{ ti.xcom_pull(task_ids='train') }}",
        options=["model_a", "model_b", "neither"],
        defaults=["neither"],
        multiple=False,
        response_timeout=datetime.timedelta(hours=4),
    )
    approve = ApprovalOperator(
        task_id="approve",
        subject="Approve the release?",
        defaults="Reject",
        fail_on_reject=False,
        ignore_downstream_trigger_rules=True,
    )
    entry = HITLEntryOperator(
        task_id="entry",
        subject="Release notes",
        params={"notes": Param("", type="string"), "version": Param("1.0.0", type="string")},
    )
    route = HITLBranchOperator(
        task_id="route",
        subject="Deploy where?",
        options=["Staging", "Production"],
        options_mapping={"Staging": "deploy_staging", "Production": "deploy_prod"},
        multiple=True,
    )
    deploy_staging = EmptyOperator(task_id="deploy_staging")
    deploy_prod = EmptyOperator(task_id="deploy_prod")
    choose >> approve >> entry >> route >> [deploy_staging, deploy_prod]
