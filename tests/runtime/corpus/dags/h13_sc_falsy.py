from datetime import datetime, timezone
from airflow.sdk import DAG, task
from airflow.providers.standard.operators.empty import EmptyOperator

with DAG(dag_id="h13_sc_falsy", schedule=None, start_date=datetime(2024,1,1,tzinfo=timezone.utc), catchup=False):
    for name, val in [("empty_str", ""), ("zero", 0), ("empty_list", []), ("none", None), ("empty_dict", {}), ("nonempty", "x"), ("one_list", [0])]:
        @task.short_circuit(task_id="sc_" + name)
        def sc(v=val):
            return v
        s = sc()
        d = EmptyOperator(task_id="down_" + name)
        s >> d
    @task.short_circuit(ignore_downstream_trigger_rules=False)
    def sc_respect():
        return 0
    x = sc_respect()
    d1 = EmptyOperator(task_id="resp_d1")
    d2 = EmptyOperator(task_id="resp_d2", trigger_rule="all_done")
    x >> d1 >> d2
