from datetime import datetime, timezone
from airflow.sdk import DAG
from airflow.providers.standard.operators.python import PythonOperator


def star(*args, **kwargs):
    return {"args": list(args), "td": kwargs.get("templates_dict"), "p": kwargs.get("params", {}).get("a")}


with DAG("h10_python_op_templated", schedule=None, start_date=datetime(2024, 1, 1, tzinfo=timezone.utc), catchup=False,
         params={"a": "pa"}):
    src = PythonOperator(task_id="src", python_callable=lambda: {"k": [1, 2]})
    use = PythonOperator(
        task_id="use",
        python_callable=star,
        op_args=["{{ ds }}", ["{{ params.a }}", {"n": "{{ ti.xcom_pull('src')['k'] | sum }}"}], 7, None],
        templates_dict={"x": "{{ ti.xcom_pull(task_ids='src') }}", "y": ["{{ task.task_id }}"], "z": 3},
        params={"a": "task_level"},
    )
    single = PythonOperator(task_id="single", python_callable=lambda x: x, op_args=["{{ dag.dag_id }}"])
    kw_only = PythonOperator(task_id="kw_only", python_callable=lambda *, ds, params: [ds, params["a"]])
    src >> use
