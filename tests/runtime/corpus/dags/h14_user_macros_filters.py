from __future__ import annotations
from datetime import datetime, timedelta, timezone
import os
from airflow.sdk import DAG, task
from airflow.providers.standard.operators.bash import BashOperator
from airflow.providers.standard.operators.python import PythonOperator

HERE = os.path.dirname(os.path.abspath(__file__))


def shout(s):
    return s.upper() + "!"


def render(q, **context):
    return q.strip()


with DAG("h14_user_macros_filters", schedule=None, start_date=datetime(2024, 1, 1, tzinfo=timezone.utc), catchup=False,
         template_searchpath=os.path.join(HERE, "h14_sql"),
         user_defined_macros={"shout": shout, "env_name": "prod", "limits": {"max": 9}},
         user_defined_filters={"reverse_str": lambda s: s[::-1], "double": lambda x: x * 2},
         params={"region": "apac"}):
    BashOperator(task_id="bash_macros",
                 bash_command="echo {{ shout(env_name) }} {{ limits.max | double }} {{ 'abc' | reverse_str }}")
    PythonOperator(task_id="py_sql_file", python_callable=render,
                   op_kwargs={"q": "{{ shout(params.region) }}-{{ params.region | reverse_str }}"})
    PythonOperator(task_id="py_templates_dict",
                   python_callable=lambda templates_dict: templates_dict,
                   templates_dict={"a": "{{ env_name }}", "b": "{{ limits.max | double }}",
                                   "c": "macro_helpers.sql"},
                   templates_exts=[".sql"])

    @task
    def in_task(x, y):
        return [x, y]

    in_task("{{ shout('x') }}", "{{ [1,2] | double }}")
