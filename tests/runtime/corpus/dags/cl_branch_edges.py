from __future__ import annotations

from datetime import datetime, timezone

from airflow.providers.standard.operators.empty import EmptyOperator
from airflow.providers.standard.operators.python import BranchPythonOperator
from airflow.sdk import DAG, TaskGroup

with DAG(
    dag_id="cl_branch_edges",
    schedule=None,
    start_date=datetime(2024, 1, 1, tzinfo=timezone.utc),
    catchup=False,
    params={"pick": "b1_x"},
):
    # returns a tuple
    b1 = BranchPythonOperator(task_id="b1", python_callable=lambda: ("b1_x", "b1_y"))
    b1 >> [EmptyOperator(task_id="b1_x"), EmptyOperator(task_id="b1_y"), EmptyOperator(task_id="b1_z")]
    # returns a set with duplicates collapsed
    b2 = BranchPythonOperator(task_id="b2", python_callable=lambda: {"b2_x"})
    b2_x = EmptyOperator(task_id="b2_x")
    b2_y = EmptyOperator(task_id="b2_y")
    b2 >> [b2_x, b2_y]
    [b2_x, b2_y] >> EmptyOperator(task_id="b2_join_one_success", trigger_rule="one_success")
    [b2_x, b2_y] >> EmptyOperator(task_id="b2_join_none_failed_min", trigger_rule="none_failed_min_one_success")
    [b2_x, b2_y] >> EmptyOperator(task_id="b2_join_all_success")
    # returns an int: invalid
    b3 = BranchPythonOperator(task_id="b3_int", python_callable=lambda: 5)
    b3 >> EmptyOperator(task_id="b3_child")
    # branch to a task not in the dag
    b4 = BranchPythonOperator(task_id="b4_missing", python_callable=lambda: "nope")
    b4 >> EmptyOperator(task_id="b4_child")
    # branch to an existing but unrelated task
    b5 = BranchPythonOperator(task_id="b5_unrelated", python_callable=lambda: "b1_x")
    b5 >> [EmptyOperator(task_id="b5_a"), EmptyOperator(task_id="b5_b")]
    # branch from params via templated op_args
    b6 = BranchPythonOperator(task_id="b6_param", python_callable=lambda p: p.replace("b1", "b6"),
                              op_args=["{{ params.pick }}"])
    b6 >> [EmptyOperator(task_id="b6_x"), EmptyOperator(task_id="b6_y")]
    # branch into a group id and into a task in the same group
    b7 = BranchPythonOperator(task_id="b7_group", python_callable=lambda: ["g7", "b7_plain"])
    with TaskGroup("g7") as g7:
        g_a = EmptyOperator(task_id="a")
        g_b = EmptyOperator(task_id="b")
        g_a >> g_b
    with TaskGroup("h7") as h7:
        EmptyOperator(task_id="a")
    b7 >> [g7, h7, EmptyOperator(task_id="b7_plain")]
    # empty list: skip all
    b8 = BranchPythonOperator(task_id="b8_empty", python_callable=lambda: [])
    b8_c = EmptyOperator(task_id="b8_child")
    b8 >> b8_c >> EmptyOperator(task_id="b8_grandchild_all_done", trigger_rule="all_done")
    b8 >> EmptyOperator(task_id="b8_child_none_failed", trigger_rule="none_failed")
    b8 >> EmptyOperator(task_id="b8_child_always", trigger_rule="always")
