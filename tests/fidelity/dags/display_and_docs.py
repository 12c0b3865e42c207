"""dag_display_name, task_display_name, doc_md (DAG and task, set after creation too), other doc
flavours, owner_links, description and tags."""

from __future__ import annotations

import pendulum

from airflow.sdk import DAG, dag, task
from airflow.providers.standard.operators.bash import BashOperator
from airflow.providers.standard.operators.empty import EmptyOperator

with DAG(
    dag_id="fid_display_and_docs",
    dag_display_name="Ünïcode display name 🚀",
    description="A DAG that shows its documentation",
    doc_md="# Title\n\nSome **markdown** with a [link](https://airflow.apache.org).",
    start_date=pendulum.datetime(2024, 1, 1, tz="UTC"),
    schedule=None,
    tags=["docs", "display", "b-tag", "a-tag"],
    owner_links={"data-eng": "https://example.com/team", "ops": "mailto:ops@example.com"},
    default_args={"owner": "data-eng"},
) as the_dag:
    first = EmptyOperator(task_id="first", task_display_name="First step ✓", doc_md="Task **docs**")
    second = BashOperator(task_id="second", bash_command="echo 2", doc="plain doc")
    third = EmptyOperator(task_id="third", doc_json='{"a": 1}', owner="ops")
    fourth = EmptyOperator(task_id="fourth", doc_yaml="a: 1", doc_rst="Title\n=====")
    first.doc_md = "Replaced after creation"
    first >> second >> third >> fourth


@dag(
    dag_display_name="Decorated display",
    start_date=pendulum.datetime(2024, 1, 1, tz="UTC"),
    schedule=None,
    tags=["docs"],
)
def fid_display_decorated():
    """### Docstring as doc_md

    The @dag decorator uses the function docstring.
    """

    @task(task_display_name="Pretty {name}")
    def ugly_name():
        """Task docstring becomes doc_md."""
        return 1

    ugly_name()


fid_display_decorated()
