"""`task` and `dag` in the templates of an operator run without its DAG file (BashOperator)
hold the objects' attribute values as Airflow 3.2.1 renders them (measured with the run oracle:
corpus `rt_rw_task_dag_attrs_templates` and its README notes)."""

from __future__ import annotations

from conftest import NOW

RUN = f"manual__{NOW}"

DAG_SRC = """
import datetime as dt

with DAG("d", schedule=None, start_date=dt.datetime(2024, 1, 1, tzinfo=dt.timezone.utc)):
    BashOperator(
        task_id="attrs",
        bash_command=(
            "echo '{{ task.retry_delay }}|{{ task.execution_timeout }}|{{ task.trigger_rule }}"
            "|{{ dag.start_date }}|{{ task.email_on_failure }}|{{ task.retries }}'"
        ),
        retry_delay=dt.timedelta(seconds=1),
        execution_timeout=dt.timedelta(minutes=5),
    )
"""

AIRFLOW = "0:00:01|0:05:00|TriggerRule.ALL_SUCCESS|2024-01-01 00:00:00+00:00|True|0"


def test_attributes_render_as_airflow_renders_them(server, run_agent, compiled_ti, dag_file):
    path = dag_file(DAG_SRC)
    out = run_agent(compiled_ti(path, "attrs"), dag_file=path)
    assert out.state == "success", out.text()
    assert server.xcoms[("d", RUN, "attrs", "return_value", -1)] == AIRFLOW


TOP_LEVEL_SRC = """
import os

os.environ["LEOFLOW_TOP_LEVEL"] = "set-at-parse"

with DAG("d", schedule=None, start_date=START):
    BashOperator(task_id="echo", bash_command="echo ${LEOFLOW_TOP_LEVEL:-unset}")
"""


def test_a_native_try_runs_the_dag_files_top_level(server, run_agent, compiled_ti, dag_file):
    """Airflow's task runner parses the DAG file in every task process: a BashOperator sees
    what the file's top level put in os.environ, though Leoflow runs it from dag.json."""
    path = dag_file(TOP_LEVEL_SRC)
    out = run_agent(compiled_ti(path, "echo"), dag_file=path)
    assert out.state == "success", out.text()
    assert server.xcoms[("d", RUN, "echo", "return_value", -1)] == "set-at-parse"
