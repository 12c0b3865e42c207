"""The loader's contract: errors, generic providers, refusals, callables, stdlib-only imports."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

SHIM = Path(__file__).parents[2] / "src" / "shim"
sys.path.insert(0, str(SHIM))

from leoflow_shim.loader import load_dags, load_file  # noqa: E402


def _write(tmp_path: Path, body: str, name: str = "dag_file.py") -> str:
    p = tmp_path / name
    p.write_text("from airflow.sdk import DAG\n" + textwrap.dedent(body))
    return str(p)


def test_generic_provider_operator_keeps_class_path_and_kwargs(tmp_path: Path) -> None:
    """A provider operator the shim does not model is captured as class path + raw kwargs."""
    path = _write(
        tmp_path,
        """
        from airflow.providers.http.operators.http import HttpOperator
        with DAG("d", schedule=None):
            HttpOperator(task_id="call", endpoint="/x/{{ ds }}", method="POST", retries=2)
    """,
    )
    doc = load_file(path)
    assert doc["errors"] == []
    task = doc["dags"][0]["tasks"][0]
    assert task["operator_class"] == "airflow.providers.http.operators.http.HttpOperator"
    assert task["init_args"] == {"endpoint": "/x/{{ ds }}", "method": "POST"}
    assert task["retries"] == 2
    assert task["leoflow"] == {
        "path": "generic",
        "callable": None,
        "template_fields_known": False,
    }


def test_native_task_points_at_its_callable(tmp_path: Path) -> None:
    """@task tasks are native and name the callable the agent will import."""
    path = _write(
        tmp_path,
        """
        from airflow.sdk import task
        with DAG("d", schedule=None):
            @task
            def hello():
                return 1
            hello()
    """,
    )
    task = load_file(path)["dags"][0]["tasks"][0]
    assert task["leoflow"] == {
        "path": "native",
        "callable": {"file": "dag_file.py", "qualname": "hello"},
        "template_fields_order": ["templates_dict", "op_args", "op_kwargs"],
    }
    dag = load_dags(path)["d"]
    assert dag.task_dict["hello"].python_callable() == 1


def test_unsupported_airflow_module_is_refused_with_line(tmp_path: Path) -> None:
    """An airflow module Leoflow does not model fails the file, naming module and line."""
    path = _write(
        tmp_path,
        """
        x = 1
        from airflow.api.common.trigger_dag import trigger_dag
    """,
    )
    doc = load_file(path)
    assert doc["dags"] == []
    (err,) = doc["errors"]
    assert err["line"] == 4
    assert "`airflow.api` is not supported by Leoflow yet" in err["message"]


def test_user_error_reports_user_frame_only(tmp_path: Path) -> None:
    """A NameError in the DAG file becomes an import error at the user's line, no shim frames."""
    path = _write(
        tmp_path,
        """
        with DAG("d", schedule=None):
            undefined_name()
    """,
    )
    (err,) = load_file(path)["errors"]
    assert err["line"] == 4
    assert "NameError" in err["message"]
    assert "leoflow_shim" not in err["message"]


def test_syntax_error_line(tmp_path: Path) -> None:
    """A SyntaxError is reported at its line."""
    path = _write(tmp_path, "\n\ndef broken(:\n  pass\n")
    (err,) = load_file(path)["errors"]
    assert err["line"] == 4
    assert "SyntaxError" in err["message"]


def test_variable_get_without_default_fails(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """At compile time the variables are the environment's (AIRFLOW_VAR_*, Airflow's first
    secrets backend): another one raises Airflow's AirflowRuntimeError (VARIABLE_NOT_FOUND), a
    default is returned, and a value that is not JSON counts as missing when JSON is asked."""
    monkeypatch.setenv("AIRFLOW_VAR_ITEMS", '["a", "b"]')
    monkeypatch.setenv("AIRFLOW_VAR_BROKEN", "{not json")
    path = _write(
        tmp_path,
        """
        from airflow.sdk import Variable
        assert Variable.get("items", deserialize_json=True) == ["a", "b"]
        assert Variable.get("broken", "d", deserialize_json=True) == "d"
        assert Variable.get("x", None) is None
        Variable.get("missing")
    """,
    )
    (err,) = load_file(path)["errors"]
    assert err["message"].strip().splitlines()[-1] == (
        "airflow.sdk.exceptions.AirflowRuntimeError: VARIABLE_NOT_FOUND: "
        "{'message': 'Variable missing not found'}"
    )


def test_connection_get_reads_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """At compile time the connections are the environment's (AIRFLOW_CONN_*, a URI or a JSON
    object), as the task SDK's Connection (BaseHook.get_connection too); one that does not parse
    counts as missing, and a missing one raises Airflow's AirflowNotFoundException."""
    monkeypatch.setenv(
        "AIRFLOW_CONN_MY_DB", "postgresql://u%40x:p@Db.Host:5433/base?sslmode=require"
    )
    monkeypatch.setenv("AIRFLOW_CONN_API", '{"conn_type": "http", "host": "h", "extra": {"k": 1}}')
    monkeypatch.setenv("AIRFLOW_CONN_BAD", "a://b://c://d")
    path = _write(
        tmp_path,
        """
        from airflow.sdk import BaseHook, Connection
        db = Connection.get("my_db")
        assert isinstance(db, Connection), type(db)
        assert (db.conn_id, db.conn_type, db.host, db.port, db.login, db.schema) == (
            "my_db", "postgres", "db.host", 5433, "u@x", "base"
        ), vars(db)
        assert db.extra_dejson == {"sslmode": "require"}
        assert db.get_uri() == "postgres://u%40x:p@db.host:5433/base?sslmode=require"
        api = BaseHook.get_connection("api")
        assert (api.conn_type, api.host, api.extra_dejson) == ("http", "h", {"k": 1})
        try:
            Connection.get("bad")
        except Exception as exc:
            assert type(exc).__name__ == "AirflowNotFoundException", exc
        Connection.get("missing")
    """,
    )
    (err,) = load_file(path)["errors"]
    assert err["message"].strip().splitlines()[-1] == (
        "airflow.sdk.exceptions.AirflowNotFoundException: The conn_id `missing` isn't defined"
    )


def test_map_with_a_callable_without_source_fails_to_serialize(tmp_path: Path) -> None:
    """`XComArg.map(str.upper)`: Airflow's serializer keeps each map callable's source, which a
    builtin has none of, so the DAG fails to serialize (an import error), as in Airflow."""
    path = _write(
        tmp_path,
        """
        from airflow.sdk import task
        with DAG("mapped_builtin", schedule=None):
            @task
            def names():
                return ["a"]
            @task
            def show(x):
                return x
            show.expand(x=names().map(str.upper))
    """,
    )
    (err,) = load_file(path)["errors"]
    assert err["message"] == (
        "airflow.exceptions.SerializationError: Failed to serialize DAG 'mapped_builtin': "
        "module, class, method, function, traceback, frame, or code object was expected, "
        "got method_descriptor"
    )


def test_always_in_a_mapped_group_over_a_task_output_is_refused(tmp_path: Path) -> None:
    """Airflow's MappedTaskGroup refuses a child with trigger rule `always` once the group is
    wired to a task-generated input (a literal input is fine)."""
    body = """
        from airflow.sdk import task, task_group
        with DAG("always_group", schedule=None):
            @task
            def files():
                return ["a"]
            @task_group
            def per_file(name):
                @task(trigger_rule="always")
                def audit(n):
                    return n
                audit(name)
            per_file.expand(name=SOURCE)
    """
    (err,) = load_file(_write(tmp_path, body.replace("SOURCE", "files()")))["errors"]
    assert err["message"].strip().splitlines()[-1] == (
        "ValueError: Task-generated mapping within a mapped task group is not allowed with "
        "trigger rule 'always'"
    )
    assert load_file(_write(tmp_path, body.replace("SOURCE", '["a", "b"]')))["errors"] == []


def test_tasks_carry_their_operator_colours(tmp_path: Path) -> None:
    """dag.json keeps each operator class's ui_color / ui_fgcolor (the API's /tasks shows them)."""
    path = _write(
        tmp_path,
        """
        from airflow.sdk import task
        from airflow.providers.standard.operators.bash import BashOperator
        from airflow.providers.standard.operators.empty import EmptyOperator
        with DAG("colours", schedule=None):
            BashOperator(task_id="b", bash_command="true")
            EmptyOperator(task_id="e")
            @task
            def p():
                pass
            p()
    """,
    )
    (doc,) = load_file(path)["dags"]
    got = {t["task_id"]: (t["ui_color"], t["ui_fgcolor"]) for t in doc["tasks"]}
    assert got == {"b": ("#f0ede4", "#000"), "e": ("#e8f7e4", "#000"), "p": ("#ffefeb", "#000")}
    # template fields: dag.json's sorted, the class's order (Airflow renders and lists in it) kept
    bash = next(t for t in doc["tasks"] if t["task_id"] == "b")
    assert bash["template_fields"] == ["bash_command", "cwd", "env"]
    assert bash["leoflow"]["template_fields_order"] == ["bash_command", "env", "cwd"]


def test_file_without_dag_words_is_skipped(tmp_path: Path) -> None:
    """Airflow's safe-mode heuristic: files not mentioning dag and airflow are not executed."""
    p = tmp_path / "util.py"
    p.write_text("raise RuntimeError('never run')\n")
    assert load_file(str(p)) == {
        "dags": [],
        "errors": [],
        "warnings": [],
        "stability_warnings": [],
    }


def test_shim_imports_only_stdlib() -> None:
    """`src/shim` loads in a bare interpreter: only stdlib modules (pendulum optional)."""
    code = textwrap.dedent(f"""
        import sys
        sys.path.insert(0, {str(SHIM)!r})
        try:
            import pendulum  # noqa: F401 - provided by the DAG environment
        except ImportError:
            pass
        before = set(sys.modules)
        import leoflow_shim.loader, leoflow_shim.serialize, leoflow_shim.decorators
        import airflow.sdk, airflow.providers.standard.operators.bash
        import airflow.providers.amazon.aws.operators.s3 as s3
        s3.S3CreateBucketOperator
        new = {{m.split(".")[0] for m in set(sys.modules) - before}}
        std = set(sys.stdlib_module_names) | {{"leoflow_shim", "airflow", "pendulum"}}
        bad = sorted(m for m in new if m not in std and not m.startswith("_"))
        print(",".join(bad))
    """)
    out = subprocess.run(
        [sys.executable, "-I", "-c", code], capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == ""


@pytest.mark.parametrize(
    ("schedule", "cls", "summary"),
    [
        ('"@hourly"', "CronTriggerTimetable", "0 * * * *"),
        ("None", "NullTimetable", "None"),
        ('"@continuous"', "ContinuousTimetable", "@continuous"),
        ("__import__('datetime').timedelta(hours=2)", "DeltaTriggerTimetable", "2:00:00"),
    ],
)
def test_schedule_to_timetable(tmp_path: Path, schedule: str, cls: str, summary: str) -> None:
    """Plain schedule values map to Airflow 3.2's default timetables and summaries."""
    path = _write(
        tmp_path,
        f"""
        with DAG("d", schedule={schedule}, max_active_runs=1):
            pass
    """,
    )
    tt = load_file(path)["dags"][0]["timetable"]
    assert tt["class"].endswith("." + cls)
    assert tt["summary"] == summary


def test_params_keep_the_order_the_dag_defines(tmp_path: Path) -> None:
    """dag.json's objects have sorted keys; the definition order of params (which Airflow's
    trigger form follows) is kept in the `leoflow` block, and the API lists params in it."""
    from leoflow.api.serializers.dags import dag_params_of_tasks

    path = _write(
        tmp_path,
        """
        from airflow.sdk import Param
        with DAG("d", schedule=None, params={"zeta": 1, "alpha": Param("x"), "mid": 3}):
            pass
    """,
    )
    dag = load_file(path)["dags"][0]
    assert dag["params_keys"] == ["alpha", "mid", "zeta"]  # as Airflow's golden structure
    assert dag["leoflow"]["params_order"] == ["zeta", "alpha", "mid"]
    sorted_doc = {**dag, "params": dict(sorted(dag["params"].items()))}
    assert list(dag_params_of_tasks(sorted_doc)) == ["zeta", "alpha", "mid"]


def test_label_is_read_only_as_in_airflow(tmp_path: Path) -> None:
    """`label` is DAGNode's read-only property: the task id without its group's prefix; a
    custom operator assigning `self.label` fails to import, as in Airflow."""
    path = _write(
        tmp_path,
        """
        from airflow.sdk import BaseOperator, TaskGroup
        from airflow.providers.standard.operators.empty import EmptyOperator

        class Labelled(BaseOperator):
            def __init__(self, label, **kwargs):
                super().__init__(**kwargs)
                self.label = label

        with DAG("d", schedule=None):
            with TaskGroup("g"):
                inner = EmptyOperator(task_id="inner")
            assert inner.label == "inner" and inner.task_id == "g.inner"
            Labelled(task_id="x", label="y")
    """,
    )
    [error] = load_file(path)["errors"]
    assert "property 'label' of 'Labelled' object has no setter" in error["message"]
