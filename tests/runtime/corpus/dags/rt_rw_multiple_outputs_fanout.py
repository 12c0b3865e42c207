"""A multiple_outputs @task whose keys fan out to different consumers: a key into a @task, a key
into a BashOperator's bash_command and env, a key read by a mapped task's partial() while it
maps over another task's list, a key the task did not return (its consumer gets None: a
multiple_outputs upstream makes a missing key None) and the whole dict pulled by a template."""

from __future__ import annotations

from datetime import datetime, timezone

from airflow.providers.standard.operators.bash import BashOperator
from airflow.sdk import DAG, task


@task(multiple_outputs=True)
def config():
    return {"schema": "stage", "limit": 3, "owners": ["ana", "bo"]}


@task
def items():
    return ["x", "y"]


@task
def qualify(schema, name):
    return f"{schema}.{name}"


@task
def owners_count(owners):
    return len(owners)


@task
def use_missing(value):
    return value


@task
def after_missing():
    return "unreachable"


with DAG(
    dag_id="rt_rw_multiple_outputs_fanout",
    schedule=None,
    start_date=datetime(2024, 1, 1, tzinfo=timezone.utc),
    catchup=False,
    tags=["leoflow-corpus", "xcom"],
):
    cfg = config()
    owners_count(cfg["owners"])
    qualify.partial(schema=cfg["schema"]).expand(name=items())
    BashOperator(
        task_id="bash_limit",
        bash_command=f'echo "limit={cfg["limit"]} schema=$SCHEMA"',
        env={"SCHEMA": cfg["schema"]},
    )
    (
        BashOperator(
            task_id="whole_dict",
            bash_command="echo {{ ti.xcom_pull(task_ids='config')['owners'] | join('/') }}",
        )
        << cfg
    )
    use_missing(cfg["nope"]) >> after_missing()
