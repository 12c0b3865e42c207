"""DAG objects used without a context manager: dag= arguments, add_task, set_* methods, lists."""

from __future__ import annotations

import pendulum

from airflow.sdk import DAG
from airflow.providers.standard.operators.bash import BashOperator
from airflow.providers.standard.operators.empty import EmptyOperator

dag = DAG(
    "fid_classic_without_context",
    schedule="0 0 * * *",
    start_date=pendulum.datetime(2024, 1, 1, tz="UTC"),
    description="positional dag_id, dag= on every operator",
    catchup=False,
)

start = EmptyOperator(task_id="start", dag=dag)
steps = [BashOperator(task_id=f"step_{i}", bash_command=f"echo {i}", dag=dag) for i in range(3)]
end = EmptyOperator(task_id="end", dag=dag)
start.set_downstream(steps)
end.set_upstream(steps)

late = EmptyOperator(task_id="late_added")
dag.add_task(late)
end >> late

other = DAG(dag_id="fid_classic_second", schedule=None, start_date=pendulum.datetime(2024, 1, 1))
a = EmptyOperator(task_id="a", dag=other)
b = EmptyOperator(task_id="b", dag=other)
c = EmptyOperator(task_id="c", dag=other)
a >> [b, c]
[b, c] >> EmptyOperator(task_id="d", dag=other)

if __name__ == "__main__":
    dag.test()
