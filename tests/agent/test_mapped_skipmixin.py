"""A mapped branch or short circuit skips nothing itself and pushes its return value, as in
Airflow (SkipMixin raises DownstreamTasksSkipped only for map index -1)."""

from __future__ import annotations

from conftest import python_task

RUN = "manual__2025-01-01T00:00:00+00:00"
BRANCH = "airflow.providers.standard.operators.python.BranchPythonOperator"
SHORT = "airflow.providers.standard.operators.python.ShortCircuitOperator"

DAG_SRC = """
def choose():
    return "right"
def falsy():
    return 0
with DAG("d", schedule=None, start_date=START):
    branch = BranchPythonOperator(task_id="branch", python_callable=choose)
    short = ShortCircuitOperator(task_id="short", python_callable=falsy)
    left, right = EmptyOperator(task_id="left"), EmptyOperator(task_id="right")
    branch >> [left, right]
    short >> left
"""


def test_mapped_branch_pushes_its_choice_as_return_value(server, run_agent, dag_file):
    """Map index 1 of a branch: skipmixin_key and the return value are both pushed."""
    task = python_task("branch", cls=BRANCH)
    task["downstream_task_ids"] = ["left", "right"]
    dag = {"task_ids": ["branch", "short", "left", "right"]}
    out = run_agent(server.add_ti(task, dag=dag, map_index=1), dag_file=dag_file(DAG_SRC))
    assert out.state == "success", out.text()
    assert server.xcoms[("d", RUN, "branch", "skipmixin_key", 1)] == {"followed": ["right"]}
    assert server.xcoms[("d", RUN, "branch", "return_value", 1)] == "right"
    out = run_agent(server.add_ti(task, dag=dag), dag_file=dag_file(DAG_SRC))
    assert out.state == "success", out.text()
    assert ("d", RUN, "branch", "return_value", -1) not in server.xcoms


def test_mapped_falsy_short_circuit_pushes_its_value(server, run_agent, dag_file):
    """Map index 0 of a falsy short circuit pushes 0; the unmapped one pushes nothing."""
    task = python_task("short", cls=SHORT)
    task["downstream_task_ids"] = ["left"]
    out = run_agent(server.add_ti(task, map_index=0), dag_file=dag_file(DAG_SRC))
    assert out.state == "success", out.text()
    assert server.xcoms[("d", RUN, "short", "skipmixin_key", 0)] == {"skipped": ["left"]}
    assert server.xcoms[("d", RUN, "short", "return_value", 0)] == 0
    out = run_agent(server.add_ti(task), dag_file=dag_file(DAG_SRC))
    assert out.state == "success", out.text()
    assert ("d", RUN, "short", "return_value", -1) not in server.xcoms
