"""Templates and code that rely on defaults because nothing is configured: dag_run.conf.get,
var.value / var.json with defaults, Variable.get(default=...), params overridden by task params,
and a BashOperator env built from templates."""

from __future__ import annotations

import json
import os
from datetime import datetime, timezone

from airflow.providers.standard.operators.bash import BashOperator
from airflow.providers.standard.operators.python import PythonOperator
from airflow.sdk import DAG, Param, Variable, task

BUCKET = Variable.get("bucket_name", default="local-bucket")
SETTINGS = Variable.get("pipeline_settings", default={"batch": 10, "mode": "full"}, deserialize_json=True)


def show(bucket, mode, templates_dict=None, params=None, **context):
    return {
        "bucket": bucket,
        "mode": mode,
        "td": templates_dict,
        "params": dict(sorted(params.items())),
        "conf": context["dag_run"].conf,
        "settings": SETTINGS,
    }


with DAG(
    dag_id="rwh_conf_defaults",
    schedule=None,
    start_date=datetime(2024, 1, 1, tzinfo=timezone.utc),
    catchup=False,
    params={"env": Param("dev", enum=["dev", "prod"]), "limit": 5},
) as dag:
    t1 = PythonOperator(
        task_id="show",
        python_callable=show,
        op_kwargs={"bucket": BUCKET, "mode": "{{ dag_run.conf.get('mode', 'incremental') }}"},
        templates_dict={
            "v": "{{ var.value.get('missing_var', 'fallback') }}",
            "j": "{{ var.json.get('missing_json', {'a': 1})['a'] }}",
            "limit": "{{ params.limit * 2 }}",
        },
        params={"limit": 50, "extra": True},
    )
    t2 = BashOperator(
        task_id="bash_env",
        bash_command='echo "$TARGET/$ENV_NAME/$LIMIT" && test "$LIMIT" = "5"',
        env={
            "TARGET": BUCKET,
            "ENV_NAME": "{{ params.env }}",
            "LIMIT": "{{ params.limit }}",
        },
        append_env=True,
    )

    @task
    def from_variable():
        v = Variable.get("runtime_var", default=None)
        j = Variable.get("runtime_json", default=[1, 2], deserialize_json=True)
        return {"v": v, "j": j, "home": os.environ.get("HOME") is not None}

    @task
    def missing_variable():
        return Variable.get("definitely_not_set")

    t1 >> t2 >> [from_variable(), missing_variable()]
