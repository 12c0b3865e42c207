import pendulum
from airflow.sdk import DAG
from airflow.providers.standard.operators.bash import BashOperator

with DAG("e2e_bash_chain", schedule=None, start_date=pendulum.datetime(2025, 1, 1, tz="UTC")):
    a = BashOperator(task_id="a", bash_command="echo a")
    b = BashOperator(task_id="b", bash_command="echo {{ ds }}")
    c = BashOperator(task_id="c", bash_command="exit 99")
    a >> b >> c
