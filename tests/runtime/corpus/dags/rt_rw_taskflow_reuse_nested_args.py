"""Everyday TaskFlow wiring: one @task called three times without override (ids get __1, __2
suffixes), XComArgs nested inside dict and list arguments of a @task, XComArg.concat feeding
expand, a mapped classic operator's .output received by a @task as a list, and a
BashOperator whose env dict holds an XComArg of a list (an env value must be a string: the task
fails)."""

from __future__ import annotations

from datetime import datetime, timezone

from airflow.providers.standard.operators.bash import BashOperator
from airflow.sdk import DAG, task


@task
def fetch(source):
    return [f"{source}-a", f"{source}-b"]


@task
def bundle(spec):
    return {"first": spec["first"], "all": [len(x) for x in spec["lists"]], "tag": spec["tag"]}


@task
def upper(item):
    return item.upper()


@task
def count(values):
    return {"n": len(values), "values": sorted(values)}


with DAG(
    dag_id="rt_rw_taskflow_reuse_nested_args",
    schedule=None,
    start_date=datetime(2024, 1, 1, tzinfo=timezone.utc),
    catchup=False,
    tags=["leoflow-corpus", "xcom"],
):
    a = fetch("crm")
    b = fetch("erp")
    c = fetch("web")
    bundle({"first": a, "lists": [a, b, c], "tag": "t"})
    count(upper.expand(item=a.concat(b, c)))
    echoes = BashOperator.partial(task_id="echo").expand(bash_command=["echo x", "echo yy"])
    count.override(task_id="count_echo")(echoes.output)
    BashOperator(task_id="env_xcom", bash_command='echo "$FIRST"', env={"FIRST": b})
