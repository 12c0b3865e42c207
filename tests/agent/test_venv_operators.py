"""PythonVirtualenvOperator, ExternalPythonOperator and @task.virtualenv run natively: the
callable runs in another Python with pickled arguments, as Airflow's standard provider runs it."""

from __future__ import annotations

RUN = "manual__2025-01-01T00:00:00+00:00"

SRC = """
import sys
from airflow.providers.standard.operators.python import (
    BranchPythonVirtualenvOperator, ExternalPythonOperator, PythonVirtualenvOperator)

def where(a, b=None, ds=None):
    import sys
    return {"a": a, "b": b, "ds": ds, "venv": sys.prefix != sys.base_prefix, "exe": sys.executable}

def fails():
    raise ValueError("inside the venv")

def exits():
    import sys
    sys.exit(3)

def wants_dag_run(dag_run):
    return 1

def pick():
    return "left"

@task.virtualenv(system_site_packages=False)
def decorated(x, y=2):
    return [x, y, virtualenv_string_args]

with DAG("d", schedule=None, start_date=START):
    PythonVirtualenvOperator(task_id="venv", python_callable=where, op_args=[1],
                             op_kwargs={"b": "{{ ds_nodash }}"}, system_site_packages=False)
    ExternalPythonOperator(task_id="external", python=sys.executable, python_callable=where,
                           op_args=["x"])
    PythonVirtualenvOperator(task_id="fails", python_callable=fails, system_site_packages=False)
    PythonVirtualenvOperator(task_id="exits", python_callable=exits, skip_on_exit_code=3,
                             system_site_packages=False)
    PythonVirtualenvOperator(task_id="wants_dag_run", python_callable=wants_dag_run)
    BranchPythonVirtualenvOperator(task_id="branch", python_callable=pick,
                                   system_site_packages=False) >> [
        EmptyOperator(task_id="left"), EmptyOperator(task_id="right")]
    decorated.override(string_args=["s1"])(5)
"""


def _xcom(server, task_id):
    return server.xcoms.get(("d", RUN, task_id, "return_value", -1))


def test_virtualenv_and_external_python_push_the_return_value(
    server, run_agent, compiled_ti, dag_file
):
    """The callable runs in a new venv (and in the given Python), gets its rendered arguments and
    the serializable context keys it names, and its return value is pushed."""
    path = dag_file(SRC)
    out = run_agent(compiled_ti(path, "venv"), dag_file=path)
    assert out.state == "success", out.text()
    got = _xcom(server, "venv")
    assert (got["a"], got["b"], got["ds"], got["venv"]) == (1, "20250101", "2025-01-01", True)
    out = run_agent(compiled_ti(path, "external"), dag_file=path)
    assert out.state == "success", out.text()
    assert _xcom(server, "external")["a"] == "x"
    assert _xcom(server, "external")["exe"] != got["exe"]
    out = run_agent(compiled_ti(path, "decorated"), dag_file=path)
    assert out.state == "success", out.text()
    assert _xcom(server, "decorated") == [5, 2, ["s1"]]


def test_virtualenv_failures_skips_and_branches(server, run_agent, compiled_ti, dag_file):
    """An exception in the venv fails the task with its message; skip_on_exit_code skips; an
    Airflow context object Leoflow cannot pass fails clearly; a branch variant follows its
    choice."""
    path = dag_file(SRC)
    out = run_agent(compiled_ti(path, "fails"), dag_file=path)
    assert out.state == "failed"
    assert "inside the venv" in out.text()
    out = run_agent(compiled_ti(path, "exits"), dag_file=path)
    assert out.state == "skipped", out.text()
    out = run_agent(compiled_ti(path, "wants_dag_run"), dag_file=path)
    assert out.state == "failed"
    assert "cannot pass the Airflow context object(s) dag_run" in out.text()
    out = run_agent(compiled_ti(path, "branch"), dag_file=path)
    assert out.state == "success", out.text()
    assert out.report["next_branch"] == ["left"]


CACHED = """
from airflow.providers.standard.operators.python import PythonVirtualenvOperator

def where():
    import sys
    return sys.prefix

with DAG("d", schedule=None, start_date=START):
    PythonVirtualenvOperator(task_id="cached", python_callable=where,
                             system_site_packages=False, venv_cache_path=CACHE)
"""


def test_a_cached_virtualenv_is_built_once(
    server, run_agent, compiled_ti, dag_file, tmp_path
) -> None:
    """venv_cache_path: the first try builds the venv (under a lock, as Airflow, so parallel
    tries build it once), a later try reuses it."""
    cache = tmp_path / "venvs"
    path = dag_file(CACHED.replace("CACHE", repr(str(cache))))
    first = run_agent(compiled_ti(path, "cached"), dag_file=path)
    assert first.state == "success", first.text()
    second = run_agent(compiled_ti(path, "cached"), dag_file=path)
    assert second.state == "success", second.text()
    assert "Reusing cached Python virtual environment" in second.text()
    assert "Reusing cached" not in first.text()
    [venv] = [p for p in cache.iterdir() if p.is_dir()]
    assert _xcom(server, "cached") == str(venv)
    assert (venv / "install_complete_marker.json").exists()
