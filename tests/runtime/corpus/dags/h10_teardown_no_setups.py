from datetime import datetime, timezone
from airflow.sdk import DAG
from airflow.providers.standard.operators.bash import BashOperator
from airflow.providers.standard.operators.empty import EmptyOperator

with DAG("h10_teardown_no_setups", schedule=None, start_date=datetime(2024, 1, 1, tzinfo=timezone.utc), catchup=False):
    work = BashOperator(task_id="work", bash_command="exit 1")
    td = BashOperator(task_id="td", bash_command="echo td").as_teardown()
    work >> td
    s = BashOperator(task_id="lonely_setup", bash_command="exit 1").as_setup()
    after_s = EmptyOperator(task_id="after_setup")
    s >> after_s
    s2 = BashOperator(task_id="setup_ok", bash_command="echo s2").as_setup()
    w2 = BashOperator(task_id="w2", bash_command="echo w2")
    t2 = BashOperator(task_id="t2", bash_command="exit 2").as_teardown(setups=s2)
    tail = EmptyOperator(task_id="tail")
    s2 >> w2 >> t2 >> tail
