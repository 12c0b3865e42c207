"""template_searchpath with .sql and .sh template files, user_defined_macros/filters,
render_template_as_native_obj."""

from __future__ import annotations

import os

import pendulum

from airflow.sdk import DAG, BaseOperator, task
from airflow.providers.standard.operators.bash import BashOperator
from airflow.providers.standard.operators.python import PythonOperator

TEMPLATES = os.path.join(os.path.dirname(os.path.abspath(__file__)), "templates")


def region_of(table: str) -> str:
    return table.split("_")[0]


class RunSqlOperator(BaseOperator):
    """A tiny SQL operator: `sql` may be inline SQL or a path to a .sql template file."""

    template_fields = ("sql",)
    template_ext = (".sql",)
    template_fields_renderers = {"sql": "sql"}

    def __init__(self, *, sql: str, conn_id: str = "warehouse", **kwargs):
        super().__init__(**kwargs)
        self.sql = sql
        self.conn_id = conn_id

    def execute(self, context):
        print(self.sql)


def _show(rows):
    print(type(rows), rows)


with DAG(
    dag_id="fid_templates_searchpath",
    start_date=pendulum.datetime(2024, 1, 1, tz="UTC"),
    schedule="@daily",
    template_searchpath=[TEMPLATES, "/opt/shared/sql"],
    user_defined_macros={"env_name": "staging", "region_of": region_of},
    user_defined_filters={"shout": lambda s: s.upper()},
    params={"table": "eu_orders"},
) as dag:
    report = RunSqlOperator(task_id="report", sql="report.sql")
    inline = RunSqlOperator(task_id="inline", sql="SELECT '{{ ds | shout }}'")
    cleanup = BashOperator(task_id="cleanup", bash_command="cleanup.sh")
    cleanup_no_template = BashOperator(task_id="cleanup_literal", bash_command="bash /opt/cleanup.sh ")
    report >> inline >> cleanup >> cleanup_no_template

with DAG(
    dag_id="fid_native_rendering",
    start_date=pendulum.datetime(2024, 1, 1, tz="UTC"),
    schedule=None,
    render_template_as_native_obj=True,
    template_searchpath=TEMPLATES,
    jinja_environment_kwargs={"keep_trailing_newline": True},
) as native_dag:
    PythonOperator(
        task_id="show",
        python_callable=_show,
        op_args=["{{ [1, 2, 3] }}"],
    )

    @task(templates_dict={"n": "{{ 40 + 2 }}"})
    def show_native(templates_dict=None):
        return templates_dict["n"]

    show_native()
