"""A task that a mapped task expands over may push at most core.max_map_length (1,024) items;
a longer value fails the try with the error Airflow's task process gets from the execution API:
AirflowRuntimeError "API_SERVER_ERROR: ..." (corpus rt_map_too_long has the run's outcome)."""

from __future__ import annotations

from conftest import NOW, python_task

RUN = f"manual__{NOW}"

DAG_SRC = """
def items(n):
    return list(range(n))
with DAG("d", schedule=None, start_date=START):
    PythonOperator(task_id="long", python_callable=items, op_args=[1025])
    PythonOperator(task_id="max", python_callable=items, op_args=[1024])
"""


def test_more_than_max_map_length_items_fail_with_airflows_error(server, run_agent, dag_file):
    """1,025 items: failed (retried while tries are left, as any AirflowRuntimeError), nothing
    pushed, the log names Airflow's exception type; 1,024 items: pushed."""
    path = dag_file(DAG_SRC)
    task = python_task("long", op_args=[1025])
    out = run_agent(server.add_ti(task, maps_downstream=True, max_tries=1), dag_file=path)
    assert out.state == "up_for_retry", out.text()
    assert out.report["error"] == (
        "AirflowRuntimeError: API_SERVER_ERROR: {'status_code': 400, 'message': 'Server "
        "returned error', 'detail': {'detail': {'reason': 'unmappable_return_value_length', "
        "'message': \"pushed value is too large to map as a downstream's dependency\"}}}"
    )
    assert "AirflowRuntimeError" in out.text()
    assert ("d", RUN, "long", "return_value", -1) not in server.xcoms
    out = run_agent(
        server.add_ti(python_task("max", op_args=[1024]), maps_downstream=True), dag_file=path
    )
    assert out.state == "success", out.text()
    assert server.xcoms[("d", RUN, "max", "return_value", -1)] == list(range(1024))
