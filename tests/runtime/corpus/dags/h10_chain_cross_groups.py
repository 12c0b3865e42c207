from datetime import datetime, timezone
from airflow.sdk import DAG, TaskGroup, chain, cross_downstream, chain_linear
from airflow.providers.standard.operators.bash import BashOperator
from airflow.providers.standard.operators.empty import EmptyOperator

with DAG("h10_chain_cross_groups", schedule=None, start_date=datetime(2024, 1, 1, tzinfo=timezone.utc), catchup=False):
    s = EmptyOperator(task_id="s")
    with TaskGroup("g1", prefix_group_id=False) as g1:
        with TaskGroup("inner", prefix_group_id=False) as inner:
            x = BashOperator(task_id="x", bash_command="echo x")
            y = BashOperator(task_id="y", bash_command="exit 1")
    with TaskGroup("g2") as g2:
        p = EmptyOperator(task_id="p", trigger_rule="one_success")
        q = EmptyOperator(task_id="q", trigger_rule="all_failed")
    r1 = EmptyOperator(task_id="r1", trigger_rule="none_skipped")
    r2 = EmptyOperator(task_id="r2", trigger_rule="one_done")
    z1 = EmptyOperator(task_id="z1", trigger_rule="all_done_min_one_success")
    z2 = EmptyOperator(task_id="z2", trigger_rule="always")
    chain(s, g1, g2)
    cross_downstream([g2], [r1, r2])
    chain_linear([r1, r2], [z1, z2])
