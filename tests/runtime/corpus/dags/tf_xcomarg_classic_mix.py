from __future__ import annotations
from datetime import datetime, timezone
from airflow.sdk import DAG, task, chain
from airflow.providers.standard.operators.python import PythonOperator
from airflow.providers.standard.operators.bash import BashOperator

with DAG("tf_xcomarg_classic_mix", schedule=None, start_date=datetime(2024, 1, 1, tzinfo=timezone.utc), catchup=False):
    @task(multiple_outputs=True)
    def cfg():
        return {"cmd": "echo hi", "args": [1, 2], "n": 3}

    c = cfg()
    b = BashOperator(task_id="b", bash_command=c["cmd"])
    p = PythonOperator(task_id="p", python_callable=lambda *a: sum(a), op_args=c["args"])
    p2 = PythonOperator(task_id="p2", python_callable=lambda x, y: [x, y], op_args=[c["n"], b.output])

    @task
    def use(x, y):
        return {"x": x, "y": y}

    u = use(p.output, p2.output)
    @task
    def args_list(a):
        return a

    m = PythonOperator.partial(task_id="pm", python_callable=lambda v: v * 2).expand(op_args=args_list(c["args"]).map(lambda v: [v]))

    @task
    def total(vals):
        return sum(vals)

    t = total(m.output)
    chain(u, t)
    bm = BashOperator.partial(task_id="bm").expand(bash_command=m.output.map(lambda v: f"echo {v}"))
    total.override(task_id="total_bash")(bm.output.map(int))
