"""The task context has exactly the keys of Airflow 3.2.1's `get_template_context()`."""

from __future__ import annotations

from conftest import NOW

from tests.airflow_context import CONTEXT_KEYS

RUN = f"manual__{NOW}"

DAG_SRC = """
with DAG("d", schedule=None, start_date=START):
    @task
    def keys(**context):
        return sorted(context)

    @task
    def defaults(try_number=None, map_index="dflt", conf=None):
        return [try_number, map_index, conf]

    BashOperator(task_id="conf_in_template", bash_command="echo {{ conf }}")
    keys()
    defaults()
"""


def test_context_has_airflow_keys_only(server, run_agent, compiled_ti, dag_file):
    """No key Airflow 3 dropped or never had (`conf`, `try_number`, `map_index`, ...): a task
    parameter of such a name keeps its default, and a template naming one fails."""
    path = dag_file(DAG_SRC)
    out = run_agent(compiled_ti(path, "keys"), dag_file=path)
    assert out.state == "success", out.text()
    # PythonOperator.execute adds `templates_dict` (context_merge), in Airflow too
    keys = server.xcoms[("d", RUN, "keys", "return_value", -1)]
    assert keys == sorted([*CONTEXT_KEYS, "templates_dict"])
    out = run_agent(compiled_ti(path, "defaults"), dag_file=path)
    assert server.xcoms[("d", RUN, "defaults", "return_value", -1)] == [None, "dflt", None]
    out = run_agent(compiled_ti(path, "conf_in_template"), dag_file=path)
    assert out.state == "failed"
    assert "conf" in out.report["error"]
