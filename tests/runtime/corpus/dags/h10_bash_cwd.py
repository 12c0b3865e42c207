from datetime import datetime, timezone
from airflow.sdk import DAG
from airflow.providers.standard.operators.bash import BashOperator

with DAG("h10_bash_cwd", schedule=None, start_date=datetime(2024, 1, 1, tzinfo=timezone.utc), catchup=False):
    mk = BashOperator(task_id="mk", bash_command="mkdir -p /tmp/h10_cwd_dir && echo content > /tmp/h10_cwd_dir/f.txt && echo ok")
    use = BashOperator(task_id="use", bash_command="pwd; cat f.txt", cwd="/tmp/h10_cwd_dir")
    missing = BashOperator(task_id="missing", bash_command="pwd", cwd="/tmp/h10_cwd_nope")
    isfile = BashOperator(task_id="isfile", bash_command="pwd", cwd="/tmp/h10_cwd_dir/f.txt")
    templ = BashOperator(task_id="templ", bash_command="basename $(pwd)", cwd="/tmp/{{ 'h10_cwd_dir' }}")
    mk >> [use, missing, isfile, templ]
