from datetime import datetime, timezone, date
from airflow.sdk import DAG, task
from airflow.providers.standard.operators.bash import BashOperator
from airflow.providers.standard.operators.python import PythonOperator


def show(**context):
    t = context["task"]
    return {
        "tf": list(t.template_fields),
        "ok": t.op_kwargs,
        "cls": type(t).__name__,
        "ext": list(t.template_ext),
    }


def bash_attrs(**context):
    return None


with DAG(dag_id="k4_op_kwargs_after_execute", schedule=None, start_date=datetime(2024, 1, 1, tzinfo=timezone.utc)):
    p = PythonOperator(task_id="p", python_callable=show, op_kwargs={"a": "{{ ds }}"})
    b = BashOperator(task_id="b", bash_command="echo $X", env={"X": "{{ ds }}", "Y": "plain"})

    @task
    def inspect_b(**context):
        t = context["dag"].get_task("b")
        return {"tf": list(t.template_fields), "env": t.env, "cmd": t.bash_command}

    @task
    def own(**context):
        t = context["task"]
        return {"tf": list(t.template_fields), "cls": type(t).__name__, "op_kwargs": t.op_kwargs, "op_args": list(t.op_args)}

    p >> b >> inspect_b() >> own()
