"""What Airflow's task runner checks around mapping: a task a mapped task expands over must push
a list or a dict; an XComArg of a mapped upstream resolves to its values, maybe none."""

from __future__ import annotations

from conftest import python_task

RUN = "manual__2025-01-01T00:00:00+00:00"

DAG_SRC = """
def a_string():
    return "abc"
def a_none():
    return None
def a_list():
    return [1, 2]
def collect(values):
    return ["got", list(values)]
with DAG("d", schedule=None, start_date=START):
    for tid, fn in [("a_string", a_string), ("a_none", a_none), ("a_list", a_list),
                    ("collect", collect)]:
        PythonOperator(task_id=tid, python_callable=fn)
"""
REF = {"__type": "xcomarg", "key": "return_value", "kind": "PlainXComArg", "task_id": "use"}


def test_unmappable_return_value_fails_a_task_that_is_mapped_over(server, run_agent, dag_file):
    """A string or None fails the try with Airflow's errors; a list is pushed; without
    `maps_downstream` a string is an ordinary return value."""
    path = dag_file(DAG_SRC)
    out = run_agent(server.add_ti(python_task("a_string"), maps_downstream=True), dag_file=path)
    assert out.state == "failed"
    assert out.report["error"] == "UnmappableXComTypePushed: unmappable return type 'str'"
    out = run_agent(server.add_ti(python_task("a_none"), maps_downstream=True), dag_file=path)
    assert out.state == "failed"
    assert out.report["error"] == "XComForMappingNotPushed: did not push XCom for task mapping"
    out = run_agent(server.add_ti(python_task("a_list"), maps_downstream=True), dag_file=path)
    assert out.state == "success", out.text()
    assert server.xcoms[("d", RUN, "a_list", "return_value", -1)] == [1, 2]
    out = run_agent(server.add_ti(python_task("a_string")), dag_file=path)
    assert out.state == "success", out.text()
    assert server.xcoms[("d", RUN, "a_string", "return_value", -1)] == "abc"


def test_xcomarg_of_a_mapped_upstream_without_values_is_an_empty_list(server, run_agent, dag_file):
    """Airflow resolves a mapped upstream's XComArg lazily: no value at all is `[]`, while an
    unmapped upstream without a return value gives None (PlainXComArg.resolve; corpus
    rt_ctx_xcom_errors), which `list()` here refuses."""
    path = dag_file(DAG_SRC)
    task = python_task("collect", op_args=[REF])
    out = run_agent(server.add_ti(task, mapped_upstreams=["use"]), dag_file=path)
    assert out.state == "success", out.text()
    assert server.xcoms[("d", RUN, "collect", "return_value", -1)] == ["got", []]
    out = run_agent(server.add_ti(task), dag_file=path)
    assert out.state == "failed"
    assert out.report["error"] == "TypeError: 'NoneType' object is not iterable"
