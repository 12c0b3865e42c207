from __future__ import annotations
from datetime import datetime, timedelta, timezone
from airflow.sdk import DAG, task
from airflow.providers.standard.operators.bash import BashOperator
from airflow.providers.standard.operators.python import PythonOperator

with DAG("h14_map_classic_output", schedule=None, start_date=datetime(2024, 1, 1, tzinfo=timezone.utc), catchup=False):
    gen = PythonOperator(task_id="gen", python_callable=lambda: [{"name": "a", "n": 1}, {"name": "b", "n": 2}])
    run = BashOperator.partial(task_id="run", bash_command='echo "$NAME $N"', append_env=True).expand(
        env=gen.output.map(lambda d: {"NAME": d["name"], "N": str(d["n"])})
    )
    py = PythonOperator.partial(task_id="py", python_callable=lambda a, b: a * b).expand(
        op_args=[[1, 2], [3, 4], [5, 6]]
    )

    @task
    def gather(bash_out, py_out):
        return {"bash": list(bash_out), "py": list(py_out)}

    gather(run.output, py.output)
