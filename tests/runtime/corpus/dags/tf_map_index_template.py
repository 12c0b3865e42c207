from __future__ import annotations
from datetime import datetime, timezone
from airflow.sdk import DAG, task, get_current_context
from airflow.providers.standard.operators.bash import BashOperator

with DAG("tf_map_index_template", schedule=None, start_date=datetime(2024, 1, 1, tzinfo=timezone.utc), catchup=False):
    @task(map_index_template="{{ my_name }}")
    def named(n):
        ctx = get_current_context()
        ctx["my_name"] = f"n-{n}"
        return n

    @task(map_index_template="{{ task.op_kwargs['n'] }}")
    def fromkw(n):
        return n * 2

    @task(map_index_template="{{ undefined_thing }}")
    def undef(n):
        if n == 2:
            raise RuntimeError("x")
        return n

    @task(trigger_rule="all_done")
    def collect(v):
        return list(v)

    named.expand(n=[1, 2])
    fromkw.expand(n=[3, 4])
    collect(undef.expand(n=[1, 2, 3]))
    BashOperator.partial(task_id="bash", map_index_template="{{ task.bash_command }}").expand(
        bash_command=["echo a", "echo b"])
