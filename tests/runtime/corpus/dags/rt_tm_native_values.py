"""render_template_as_native_obj=True, edge cases: a dict pulled with ti.xcom_pull (stays a
dict), "True" / "None" / "007" / "1e3" / "[1, 2" texts, two templates concatenated into one
number, a templated key of a nested op_kwargs dict (keys are not rendered), and a BashOperator
env value rendered to an int (the task fails: env values must be strings)."""

from __future__ import annotations

from datetime import datetime, timezone

from airflow.providers.standard.operators.bash import BashOperator
from airflow.providers.standard.operators.python import PythonOperator
from airflow.sdk import DAG, task


def _describe(
    pulled, pulled_key, true_text, none_text, zero_padded, exp, broken_list, concat, nested
):
    values = dict(locals())
    return {k: [type(v).__name__, v] for k, v in sorted(values.items())}


@task
def config():
    return {"rows": 3, "names": ["a", "b"], "nested": {"ok": True}}


with DAG(
    dag_id="rt_tm_native_values",
    schedule=None,
    start_date=datetime(2024, 1, 1, tzinfo=timezone.utc),
    catchup=False,
    render_template_as_native_obj=True,
    params={"n": 2},
    tags=["leoflow-corpus", "templates"],
):
    cfg = config()
    typed = PythonOperator(
        task_id="typed",
        python_callable=_describe,
        op_kwargs={
            "pulled": "{{ ti.xcom_pull(task_ids='config') }}",
            "pulled_key": "{{ ti.xcom_pull(task_ids='config')['names'] }}",
            "true_text": "{{ 'True' }}",
            "none_text": "{{ None }}",
            "zero_padded": "{{ '007' }}",
            "exp": "{{ '1e3' }}",
            "broken_list": "{{ '[1, 2' }}",
            "concat": "{{ params.n }}{{ params.n }}",
            "nested": {"{{ ds }}": ["{{ params.n * 10 }}", {"k": "{{ params.n > 1 }}"}]},
        },
    )
    cfg >> typed
    BashOperator(task_id="env_int", bash_command="echo $N", env={"N": "{{ params.n }}"})
    BashOperator(task_id="env_text", bash_command="echo $D", env={"D": "day-{{ ds }}"})
