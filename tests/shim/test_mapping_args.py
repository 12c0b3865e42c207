"""TaskFlow partial()/expand() take only the decorated function's arguments, as in Airflow."""

from __future__ import annotations

import datetime as dt
import sys
import textwrap
from pathlib import Path

from leoflow.paths import shim_root

sys.path.insert(0, str(shim_root()))
from leoflow_shim.loader import load_file

NOW = dt.datetime(2025, 1, 1, tzinfo=dt.UTC)
HEAD = "from airflow.sdk import DAG, task\n"


def _load(tmp_path: Path, body: str) -> dict:
    path = tmp_path / "dag_file.py"
    path.write_text(HEAD + textwrap.dedent(body))
    return load_file(str(path), now=NOW)


def test_operator_argument_in_taskflow_partial_is_an_import_error(tmp_path: Path) -> None:
    """`add.partial(retries=1)` is Airflow's TypeError (an operator argument needs override())."""
    doc = _load(
        tmp_path,
        """
        @task
        def add(a, b):
            return a + b

        with DAG("d", schedule=None):
            add.partial(retries=1).expand(a=[1], b=[2])
        """,
    )
    assert doc["dags"] == []
    assert "partial() got an unexpected keyword argument 'retries'" in doc["errors"][0]["message"]


def test_unknown_expand_arguments_are_an_import_error(tmp_path: Path) -> None:
    """expand() with names the function does not take fails; **kwargs functions take any."""
    doc = _load(
        tmp_path,
        """
        @task
        def add(a):
            return a

        with DAG("d", schedule=None):
            add.expand(x=[1], y=[2])
        """,
    )
    assert "expand() got unexpected keyword arguments 'x', 'y'" in doc["errors"][0]["message"]
    doc = _load(
        tmp_path,
        """
        @task
        def anything(**kwargs):
            return kwargs

        with DAG("d", schedule=None):
            anything.partial(retries=1).expand(x=[1])
            anything.override(retries=1).expand(x=[1])
        """,
    )
    assert doc["errors"] == []
    assert [d["dag_id"] for d in doc["dags"]] == ["d"]


def test_mapped_operator_inside_a_mapped_task_group_is_an_import_error(tmp_path: Path) -> None:
    """`.expand()` inside an expanded task group is Airflow's NotImplementedError at parse time;
    the same task unmapped in the group, or mapped in an unmapped group, is fine."""
    body = """
        from airflow.sdk import task_group

        @task
        def check(group, part):
            return part

        @task_group
        def per_group(group):
            {inner}

        with DAG("d", schedule=None):
            per_group.expand(group=["a", "b"])
        """
    doc = _load(tmp_path, body.format(inner="check.partial(group=group).expand(part=[1, 2])"))
    assert doc["dags"] == []
    assert (
        "operator expansion in an expanded task group is not yet supported"
        in doc["errors"][0]["message"]
    )
    doc = _load(tmp_path, body.format(inner="check(group, 1)"))
    assert [d["dag_id"] for d in doc["dags"]] == ["d"]
    doc = _load(
        tmp_path,
        body.format(inner="check.partial(group=group).expand(part=[1, 2])").replace(
            "per_group.expand(group=", "per_group(group="
        ),
    )
    assert [d["dag_id"] for d in doc["dags"]] == ["d"]


def test_trigger_rule_always_with_task_generated_mapping_is_an_import_error(
    tmp_path: Path,
) -> None:
    """`@task(trigger_rule="always")` expanded over an XComArg is Airflow's ValueError; over a
    literal list it is fine, as is expand_kwargs over an XComArg (Airflow checks only the
    XComArgs inside a literal list of dicts)."""
    body = """
        @task
        def src():
            return [1]

        @task(trigger_rule="always")
        def m(x):
            return x

        with DAG("d", schedule=None):
            {call}
        """
    doc = _load(tmp_path, body.format(call="m.expand(x=src())"))
    assert doc["dags"] == []
    assert (
        "Task-generated mapping within a task using 'expand' is not allowed with trigger rule "
        "'always'." in doc["errors"][0]["message"]
    )
    doc = _load(tmp_path, body.format(call='m.expand_kwargs([{"x": src()}])'))
    assert "using 'expand_kwargs' is not allowed" in doc["errors"][0]["message"]
    for ok in ("m.expand(x=[1, 2])", "m.expand_kwargs(src())"):
        assert [d["dag_id"] for d in _load(tmp_path, body.format(call=ok))["dags"]] == ["d"]


def test_literal_tuples_of_expand_are_kept_aside(tmp_path: Path) -> None:
    """dag.json's expand_input lists tuples (Airflow's golden form); `leoflow.expand_value` keeps
    them as `{"__type": "tuple"}`, for a task and a task group; without a tuple it is absent."""
    doc = _load(
        tmp_path,
        """
        from airflow.sdk import task_group

        @task
        def ident(v):
            return v

        @task_group
        def grp(v):
            ident.override(task_id="inner")(v)

        with DAG("d", schedule=None):
            ident.override(task_id="t").expand(v=[(1, 2), [3]])
            ident.override(task_id="plain").expand(v=[1, 2])
            grp.expand(v=[(5, 6)])
        """,
    )
    dag = doc["dags"][0]
    tasks = {t["task_id"]: t for t in dag["tasks"]}
    tuple_12 = {"__type": "tuple", "__var": [1, 2]}
    assert tasks["t"]["expand_input"]["value"] == {"v": [[1, 2], [3]]}
    assert tasks["t"]["leoflow"]["expand_value"] == {"v": [tuple_12, [3]]}
    assert "expand_value" not in tasks["plain"]["leoflow"]
    group = next(g for g in dag["task_groups"] if g["group_id"] == "grp")
    assert group["leoflow"] == {"expand_value": {"v": [{"__type": "tuple", "__var": [5, 6]}]}}


def test_strict_expand_kwargs_records_the_partial_keys(tmp_path: Path) -> None:
    """A strict `expand_kwargs()` (the default) records what its dicts may not repeat: a classic
    operator's partial kwargs, a decorated task's partial op_kwargs; `strict=False` nothing."""
    doc = _load(
        tmp_path,
        """
        from airflow.providers.standard.operators.python import PythonOperator

        @task
        def add(a, tag):
            return a

        with DAG("d", schedule=None):
            PythonOperator.partial(task_id="c", python_callable=print, op_kwargs={}).expand_kwargs(
                [{"op_kwargs": {}}]
            )
            add.partial(tag="t").expand_kwargs([{"a": 1}])
            add.override(task_id="loose").partial(tag="t").expand_kwargs([{"a": 1}], strict=False)
        """,
    )
    tasks = {t["task_id"]: t for t in doc["dags"][0]["tasks"]}
    classic = tasks["c"]["leoflow"]["strict_expand_kwargs"]
    assert classic["reason"] == "unmappable or already specified"
    assert {"op_kwargs", "python_callable", "retries"} <= set(classic["keys"])
    assert tasks["add"]["leoflow"]["strict_expand_kwargs"] == {
        "keys": ["tag"],
        "reason": "mapping already partial",
    }
    assert "strict_expand_kwargs" not in tasks["loose"]["leoflow"]
