from datetime import datetime, timezone
from airflow.sdk import DAG, task
from airflow.providers.standard.operators.bash import BashOperator

with DAG(dag_id="k3_skip_dict_int_params", schedule=None, start_date=datetime(2024, 1, 1, tzinfo=timezone.utc), params={1: "one", "x": 2}):
    b = BashOperator(task_id="b", bash_command="echo $FOO", env={"FOO": "{{ ds }}"})
    s = BashOperator(task_id="s", bash_command="exit 3", skip_on_exit_code={3: "x"})
    @task
    def p(**context):
        return sorted(str(k) for k in context["params"])
    b >> s >> p()
