from __future__ import annotations

from datetime import datetime, timedelta, timezone

from airflow.providers.standard.operators.bash import BashOperator
from airflow.providers.standard.operators.empty import EmptyOperator
from airflow.providers.standard.operators.python import PythonOperator
from airflow.sdk import DAG


def ret(*a):
    return list(a)


with DAG(
    dag_id="cl_jinja_errors_rules",
    schedule=None,
    start_date=datetime(2024, 1, 1, tzinfo=timezone.utc),
    catchup=False,
    default_args={"retry_delay": timedelta(seconds=1)},
):
    undefined = BashOperator(task_id="undefined_var", bash_command="echo {{ nope }}", retries=1)
    syntax = PythonOperator(task_id="syntax_error", python_callable=ret, op_args=["{{ 1 + }}"])
    zero = PythonOperator(task_id="zero_div", python_callable=ret, op_args=["{{ 1 / 0 }}"], retries=2)
    attr = PythonOperator(task_id="undefined_attr_ok", python_callable=ret, op_args=["{{ dag_run.conf.missing is defined }}"])
    getdef = PythonOperator(task_id="conf_get_default", python_callable=ret, op_args=["{{ dag_run.conf.get('k', 'dflt') }}"])
    dunder = PythonOperator(task_id="sandbox_dunder", python_callable=ret, op_args=["{{ ''.__class__ }}"])
    priv = PythonOperator(task_id="raise_in_template", python_callable=ret, op_args=["{{ params['absent'] }}"])
    env_err = BashOperator(task_id="env_value_error", bash_command="echo x", env={"A": "{{ ti.nope.deeper }}"})
    ok = BashOperator(task_id="ok", bash_command="echo fine")

    one_failed = EmptyOperator(task_id="one_failed", trigger_rule="one_failed")
    all_failed = EmptyOperator(task_id="all_failed", trigger_rule="all_failed")
    none_failed = EmptyOperator(task_id="none_failed", trigger_rule="none_failed")
    all_done_min = EmptyOperator(task_id="all_done_min_one_success", trigger_rule="all_done_min_one_success")
    [undefined, syntax, zero] >> all_failed
    [undefined, ok] >> one_failed
    [attr, getdef] >> none_failed
    [dunder, priv, env_err, ok] >> all_done_min
    after_uf = EmptyOperator(task_id="after_upstream_failed")
    all_failed >> after_uf
    [one_failed, after_uf] >> EmptyOperator(task_id="one_success", trigger_rule="one_success")
