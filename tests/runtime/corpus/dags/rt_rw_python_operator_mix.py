"""PythonOperator next to TaskFlow: show_return_value_in_logs=False with a dict return feeding a
@task, op_kwargs holding a @task's XComArg and a nested XComArg in a list, op_args from a
classic operator's .output, templates_dict with an XCom pulled in a template, a
BranchPythonOperator whose op_args is an XComArg, and a ShortCircuitOperator given an XComArg."""

from __future__ import annotations

from datetime import datetime, timezone

from airflow.providers.standard.operators.python import (
    BranchPythonOperator,
    PythonOperator,
    ShortCircuitOperator,
)
from airflow.sdk import DAG, task


def secret_config():
    return {"token": "abc", "batch": 4}


@task
def batches(cfg):
    return list(range(cfg["batch"]))


def sizes(items, extra, tag):
    return {"n": len(items), "extra": extra, "tag": tag}


def echo_args(*args):
    return list(args)


def use_templates(templates_dict=None):
    return templates_dict


def nonempty(items):
    return len(items) > 0


def choose(n):
    return "big" if n > 3 else "small"


@task
def big():
    return "big"


@task
def small():
    return "small"


@task
def after_gate():
    return "gate passed"


with DAG(
    dag_id="rt_rw_python_operator_mix",
    schedule=None,
    start_date=datetime(2024, 1, 1, tzinfo=timezone.utc),
    catchup=False,
    tags=["leoflow-corpus", "python"],
):
    cfg = PythonOperator(
        task_id="secret_config", python_callable=secret_config, show_return_value_in_logs=False
    )
    b = batches(cfg.output)
    PythonOperator(
        task_id="sizes",
        python_callable=sizes,
        op_kwargs={"items": b, "extra": [b, "lit"], "tag": "{{ ds_nodash }}"},
    )
    PythonOperator(task_id="echo_args", python_callable=echo_args, op_args=[cfg.output, 1])
    (
        PythonOperator(
            task_id="templates",
            python_callable=use_templates,
            templates_dict={"batch": "{{ ti.xcom_pull(task_ids='secret_config')['batch'] }}"},
        )
        << cfg
    )
    count = PythonOperator(task_id="count", python_callable=len, op_args=[b])
    branch = BranchPythonOperator(task_id="branch", python_callable=choose, op_args=[count.output])
    branch >> [big(), small()]
    gate = ShortCircuitOperator(task_id="gate", python_callable=nonempty, op_args=[b])
    gate >> after_gate()
