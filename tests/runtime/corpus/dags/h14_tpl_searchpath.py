from __future__ import annotations
from datetime import datetime, timedelta, timezone
import os
from airflow.sdk import DAG, task
from airflow.providers.standard.operators.bash import BashOperator
from airflow.providers.standard.operators.python import PythonOperator

HERE = os.path.dirname(os.path.abspath(__file__))


def show_query(templates_dict, **context):
    return templates_dict["query"].strip()


with DAG("h14_tpl_searchpath", schedule=None, start_date=datetime(2024, 1, 1, tzinfo=timezone.utc), catchup=False,
         template_searchpath=[os.path.join(HERE, "h14_sql")],
         params={"region": "emea", "limit": 5}):
    PythonOperator(task_id="render_sql", python_callable=show_query,
                   templates_dict={"query": "report.sql", "literal": "{{ params.limit }}"},
                   templates_exts=[".sql"])
    BashOperator(task_id="run_script", bash_command="run_report.sh")

    @task.bash
    def bash_file():
        return "run_report.sh"

    bash_file()
