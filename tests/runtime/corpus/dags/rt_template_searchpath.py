"""Jinja environment options: template_searchpath (a .sh file found through it by name),
jinja_environment_kwargs (trim_blocks/lstrip_blocks shape a multi-line command), a
user_defined_macros function and value used in @task op arguments through templates, and a
template with a for loop and a filter."""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

from airflow.providers.standard.operators.bash import BashOperator
from airflow.providers.standard.operators.python import PythonOperator
from airflow.sdk import DAG

HERE = Path(__file__).parent

with DAG(
    dag_id="rt_template_searchpath",
    schedule=None,
    start_date=datetime(2024, 1, 1, tzinfo=timezone.utc),
    catchup=False,
    template_searchpath=[str(HERE / "rt_template_searchpath_files")],
    jinja_environment_kwargs={"trim_blocks": True, "lstrip_blocks": True},
    user_defined_macros={"env_name": "prod", "shout": lambda s: s.upper() + "!"},
    user_defined_filters={"twice": lambda s: s + s},
    tags=["leoflow-corpus", "templates"],
):
    BashOperator(task_id="from_searchpath", bash_command="searched.sh")
    BashOperator(
        task_id="loop",
        bash_command=(
            "{% for x in ['a', 'b', 'c'] %}\n"
            "    echo -n {{ x | twice }}\n"
            "{% endfor %}\n"
            "echo {{ shout(env_name) }}"
        ),
    )
    PythonOperator(
        task_id="py_macro",
        python_callable=lambda v, w: [v, w],
        op_args=["{{ shout(env_name) }}", "{{ ds | twice }}"],
    )
