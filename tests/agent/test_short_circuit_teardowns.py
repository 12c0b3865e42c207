"""A falsy short circuit never skips a teardown: with only teardowns to skip, Airflow's
SkipMixin.skip has nothing to do, so the result is pushed as the return value and no
skipmixin_key is written (corpus rt_short_circuit_only_teardowns)."""

from __future__ import annotations

from conftest import NOW

RUN = f"manual__{NOW}"

DAG_SRC = """
with DAG("d", schedule=None, start_date=START):
    setup = PythonOperator(task_id="setup", python_callable=lambda: "s")
    only_td = ShortCircuitOperator(task_id="only_td", python_callable=lambda: False)
    td = PythonOperator(task_id="td", python_callable=lambda: "t")
    setup >> only_td >> td.as_teardown(setups=setup)

    setup2 = PythonOperator(task_id="setup2", python_callable=lambda: "s")
    td_then = ShortCircuitOperator(task_id="td_then", python_callable=lambda: 0)
    td2 = PythonOperator(task_id="td2", python_callable=lambda: "t")
    setup2 >> td_then >> td2.as_teardown(setups=setup2)
    td2 >> EmptyOperator(task_id="after")
"""


def test_falsy_short_circuit_before_only_teardowns_pushes_its_result(
    server, run_agent, compiled_ti, dag_file
):
    """Only a teardown downstream: success, `False` pushed, nothing skipped. A teardown with a
    task after it: that task is skipped (skipmixin_key lists it, not the teardown) and, as for
    any unmapped skip, no return value is pushed."""
    path = dag_file(DAG_SRC)
    out = run_agent(compiled_ti(path, "only_td"), dag_file=path)
    assert out.state == "success", out.text()
    assert server.xcoms[("d", RUN, "only_td", "return_value", -1)] is False
    assert ("d", RUN, "only_td", "skipmixin_key", -1) not in server.xcoms
    assert "next_branch" not in out.report

    out = run_agent(compiled_ti(path, "td_then"), dag_file=path)
    assert out.state == "success", out.text()
    assert server.xcoms[("d", RUN, "td_then", "skipmixin_key", -1)] == {"skipped": ["after"]}
    assert ("d", RUN, "td_then", "return_value", -1) not in server.xcoms
    assert out.report["next_branch"] == []
    assert out.report["skip_descendants"] is True
