from __future__ import annotations

from datetime import datetime, timedelta, timezone

from airflow.providers.standard.operators.bash import BashOperator
from airflow.providers.standard.operators.empty import EmptyOperator
from airflow.providers.standard.operators.python import PythonOperator
from airflow.sdk import DAG


def need(n, t):
    if int(t) < int(n):
        raise ValueError(f"try {t} < {n}")
    return f"ok at {t}"


with DAG(
    dag_id="cl_retry_templates",
    schedule=None,
    start_date=datetime(2024, 1, 1, tzinfo=timezone.utc),
    catchup=False,
    default_args={"retry_delay": timedelta(seconds=1)},
):
    a = BashOperator(task_id="bash_try3", bash_command="echo t{{ ti.try_number }}; exit $(( {{ ti.try_number }} < 3 ))", retries=3)
    b = BashOperator(task_id="bash_skip_on_try2", bash_command="exit $(( {{ ti.try_number }} == 1 ? 1 : 99 ))", retries=2)
    c = PythonOperator(task_id="py_try2", python_callable=need, op_args=[2, "{{ ti.try_number }}"], retries=1)
    d = PythonOperator(task_id="py_never", python_callable=need, op_args=[5, "{{ ti.try_number }}"], retries=1,
                       retry_exponential_backoff=True, max_retry_delay=timedelta(seconds=2))
    e = BashOperator(task_id="env_try", bash_command='[ "$T" = "2" ] && echo "env $T" || exit 1', env={"T": "{{ task_instance.try_number }}"}, retries=1)
    f = BashOperator(task_id="max_tries", bash_command="echo {{ ti.max_tries }}-{{ task.retries }}", retries=4)
    a >> b
    [c, d] >> EmptyOperator(task_id="one_failed_after", trigger_rule="one_failed")
    [a, b, c, d, e, f] >> EmptyOperator(task_id="end", trigger_rule="all_done")
