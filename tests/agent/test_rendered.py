"""The agent reports the rendered template fields as Airflow's task runner does (RTIF)."""

from __future__ import annotations

import json
import subprocess
import textwrap

from conftest import AGENT_ROOT, PYTHON, bash_task

TRUNCATE_PREFIX = "Truncated. You can change this behaviour in [core]max_templated_field_length. "

DAG_SRC = """
def show(a, b, c, templates_dict=None):
    return a
with DAG("d", schedule=None, start_date=START):
    PythonOperator(task_id="show", python_callable=show, op_args=[("{{ ds }}", 2)],
                   op_kwargs={"c": "{{ ds_nodash }}", "b": 1},
                   templates_dict={"token": "tok-abcdef", "z": "{{ ds }}"})
"""


def test_bash_fields_rendered_sorted_and_masked(server, run_agent):
    """bash_command, env and cwd are reported after rendering: env sorted by key, values under
    sensitive keys and fetched secrets `***`, unset fields null."""
    server.variables["api_key"] = "key-0123456789"
    task = bash_task(
        "b",
        "echo {{ ds }} {{ var.value.api_key }}",
        env={"Z_DS": "{{ ds }}", "API_TOKEN": "literal-token-1", "A": "x"},
    )
    ti = server.add_ti(task)
    out = run_agent(ti)
    assert out.state == "success", out.text()
    fields = server.tis[ti].rendered_fields
    assert fields == {
        "bash_command": "echo 2025-01-01 ***",
        "cwd": None,
        "env": {"A": "x", "API_TOKEN": "***", "Z_DS": "2025-01-01"},
    }
    assert list(fields["env"]) == ["A", "API_TOKEN", "Z_DS"]


def test_long_field_is_truncated_to_max_length(server, run_agent):
    """A rendered value longer than `[core] max_templated_field_length` (4096) is stored as
    Airflow's truncated string; a smaller limit comes from AIRFLOW__CORE__... ."""
    long_ti = server.add_ti(bash_task("long", "echo " + "x" * 5000))
    out = run_agent(long_ti)
    assert out.state == "success", out.text()
    value = server.tis[long_ti].rendered_fields["bash_command"]
    assert value.startswith(TRUNCATE_PREFIX + "echo xxx")
    assert value.endswith("...")
    assert len(value) == 4096

    small = server.add_ti(bash_task("small", "echo {{ ds }} " + "y" * 200))
    out = run_agent(small, env={"AIRFLOW__CORE__MAX_TEMPLATED_FIELD_LENGTH": "100"})
    assert out.state == "success", out.text()
    value = server.tis[small].rendered_fields["bash_command"]
    room = 100 - len(TRUNCATE_PREFIX) - len("...")
    assert value == TRUNCATE_PREFIX + ("echo 2025-01-01 " + "y" * 200)[:room] + "..."


def test_python_fields_from_the_live_task(server, run_agent, dag_file, compiled_ti):
    """PythonOperator's op_args (tuples as lists), op_kwargs and templates_dict (sorted, the
    sensitive key masked) are reported rendered."""
    path = dag_file(DAG_SRC)
    ti = compiled_ti(path, "show")
    out = run_agent(ti, dag_file=path)
    assert out.state == "success", out.text()
    assert server.tis[ti].rendered_fields == {
        "op_args": [["2025-01-01", 2]],
        "op_kwargs": {"b": 1, "c": "20250101"},
        "templates_dict": {"token": "***", "z": "2025-01-01"},
    }


def test_serialization_matches_airflow():
    """Non-JSON values become their JSON text (`to_dict`) or `str()`, empty values stay as
    they are, tuples become lists and renderer paths (`field.key`) are reported too."""
    script = textwrap.dedent(
        """
        import json
        from leoflow_agent import rendered
        class K:
            def to_dict(self): return {"k": 1}
        class S:
            def __str__(self): return "S!"
        values = {"k": K(), "s": S(), "e": "", "t": (), "n": None, "d": {"b": {"y": 1, "x": 2}}}
        print(json.dumps(rendered.serialize_rendered_fields(
            list(values), values.get, ["d.b", "missing.x", "d.nope"], max_length=4096)))
        """
    )
    proc = subprocess.run(
        [PYTHON, "-c", script],
        env={"PYTHONPATH": str(AGENT_ROOT), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=30,
        check=True,
    )
    assert json.loads(proc.stdout) == {
        "k": '{"k": 1}',
        "s": "S!",
        "e": "",
        "t": [],
        "n": None,
        "d": {"b": {"x": 2, "y": 1}},
        "d.b": {"x": 2, "y": 1},
    }
