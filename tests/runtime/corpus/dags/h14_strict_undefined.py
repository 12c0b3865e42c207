from __future__ import annotations
from datetime import datetime, timedelta, timezone
import jinja2
from airflow.sdk import DAG, task
from airflow.providers.standard.operators.bash import BashOperator

with DAG("h14_strict_undefined", schedule=None, start_date=datetime(2024, 1, 1, tzinfo=timezone.utc), catchup=False, template_undefined=jinja2.StrictUndefined, params={"a": 1}):
    BashOperator(task_id="ok", bash_command="echo {{ params.a }}")
    BashOperator(task_id="undefined_var", bash_command="echo {{ missing_var }}")
    BashOperator(task_id="undefined_default", bash_command="echo {{ missing_var | default('dflt') }}")
    BashOperator(task_id="params_missing", bash_command="echo {{ params.nope }}")

    @task
    def t(v):
        return v

    t.override(task_id="py_undef")("{{ dag_run.conf.missing }}")
    t.override(task_id="py_get")("{{ dag_run.conf.get('missing', 'fallback') }}")
