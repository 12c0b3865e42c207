"""DAGs of tests/store/test_pastruns_airflow.py (and its oracle, tests/store/pastdeps_oracle.py):
depends_on_past, wait_for_downstream, ignore_first_depends_on_past and a task start_date, with
and without catchup."""

from datetime import datetime

from airflow.providers.standard.operators.bash import BashOperator
from airflow.sdk import DAG

for dag_id, catchup in (("pd_catchup", True), ("pd_latest", False)):
    with DAG(dag_id, schedule="0 0 * * *", start_date=datetime(2025, 1, 1), catchup=catchup):
        a = BashOperator(task_id="a", bash_command="true", wait_for_downstream=True)
        b = BashOperator(task_id="b", bash_command="true", depends_on_past=True)
        c = BashOperator(
            task_id="c",
            bash_command="true",
            depends_on_past=True,
            ignore_first_depends_on_past=True,
        )
        late = BashOperator(
            task_id="late",
            bash_command="true",
            depends_on_past=True,
            start_date=datetime(2025, 1, 3),
        )
        free = BashOperator(task_id="free", bash_command="true")
        a >> b >> free
