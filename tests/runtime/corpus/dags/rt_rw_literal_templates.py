"""airflow.sdk.literal() keeps a template field's value as it is: a BashOperator command holding
Jinja-like text for another tool, a PythonOperator op_kwargs value wrapped in literal next to a
rendered one, a literal dict with templates inside, a @task argument wrapped in literal, and a
literal in a templates_dict."""

from __future__ import annotations

from datetime import datetime, timezone

from airflow.providers.standard.operators.bash import BashOperator
from airflow.providers.standard.operators.python import PythonOperator
from airflow.sdk import DAG, literal, task


def show(raw, rendered, nested, templates_dict=None):
    return {"raw": raw, "rendered": rendered, "nested": nested, "td": templates_dict}


@task
def pair(kept, rendered):
    return [kept, rendered]


with DAG(
    dag_id="rt_rw_literal_templates",
    schedule=None,
    start_date=datetime(2024, 1, 1, tzinfo=timezone.utc),
    catchup=False,
    tags=["leoflow-corpus", "templating"],
):
    BashOperator(
        task_id="helm_values",
        bash_command=literal("echo 'image: {{ .Values.image }}'"),
    )
    PythonOperator(
        task_id="python_kwargs",
        python_callable=show,
        op_kwargs={
            "raw": literal("{{ ds }}"),
            "rendered": "{{ ds }}",
            "nested": literal({"sql": "SELECT '{{ ds }}'", "n": 1}),
        },
        templates_dict={"kept": literal("{{ ts }}"), "ds": "{{ ds_nodash }}"},
    )
    pair(literal("{{ run_id }}"), "{{ run_id }}")
