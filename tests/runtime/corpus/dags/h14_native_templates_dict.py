from __future__ import annotations
from datetime import datetime, timedelta, timezone
from airflow.sdk import DAG, task
from airflow.providers.standard.operators.python import PythonOperator
from airflow.providers.standard.operators.bash import BashOperator


def show(templates_dict, **_):
    return {k: [v, type(v).__name__] for k, v in sorted(templates_dict.items())}


with DAG("h14_native_templates_dict", schedule=None, start_date=datetime(2024, 1, 1, tzinfo=timezone.utc), catchup=False, render_template_as_native_obj=True,
         params={"n": 3, "names": ["a", "b"]}):
    PythonOperator(task_id="td", python_callable=show,
                   templates_dict={"n": "{{ params.n * 2 }}", "names": "{{ params.names }}",
                                   "txt": "value-{{ params.n }}", "tuple": "{{ (1, 2) }}",
                                   "none": "{{ None }}", "boolstr": "True", "num_str": "007"})
    BashOperator(task_id="bash_native", bash_command="echo {{ params.n + 1 }}")

    @task
    def args(*a):
        return [[x, type(x).__name__] for x in a]

    args("{{ params.n }}", "{{ '5' }}", "{{ [params.n] }}", "1.50")
