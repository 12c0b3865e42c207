"""Parse-time checks Airflow's DagBag makes: stability, params, cycles, cron, template files."""

from __future__ import annotations

import datetime as dt
import sys
import textwrap
from pathlib import Path

import pytest

from leoflow.paths import shim_root

sys.path.insert(0, str(shim_root()))
from leoflow_shim import schema, stability
from leoflow_shim.loader import load_file

NOW = dt.datetime(2025, 1, 1, tzinfo=dt.UTC)
HEAD = (
    "import datetime\nimport pendulum\nfrom airflow.sdk import DAG, Param\n"
    "from airflow.providers.standard.operators.bash import BashOperator\n"
)


def _load(tmp_path: Path, body: str, name: str = "dag_file.py") -> dict:
    path = tmp_path / name
    path.write_text(HEAD + textwrap.dedent(body))
    return load_file(str(path), now=NOW)


def test_stability_warnings_as_airflow(tmp_path: Path) -> None:
    """datetime.now()/pendulum.now() in DAG and task arguments give Airflow's warning entries."""
    doc = _load(
        tmp_path,
        """
        start = pendulum.now()
        with DAG("d", schedule=None, start_date=start):
            BashOperator(task_id="t", bash_command=f"echo {datetime.datetime.now()}")
        """,
    )
    assert [d["dag_id"] for d in doc["dags"]] == ["d"]
    assert doc["stability_warnings"] == [
        {
            "line": 7,
            "col": 5,
            "code": "DAG('d', schedule=None, start_date=start)",
            "message": "Don't use runtime-varying value as argument in Dag constructor",
        },
        {
            "line": 8,
            "col": 4,
            "code": ("BashOperator(task_id='t', bash_command=f'echo {datetime.datetime.now()}')"),
            "message": (
                "Don't use runtime-varying values as arguments of task within with Dag block"
            ),
        },
    ]


def test_stability_level_error_is_an_import_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """At dag_version_inflation_check_level=error the file is an import error, as in Airflow."""
    monkeypatch.setenv(stability.LEVEL_ENV, "error")
    doc = _load(tmp_path, 'DAG("d", schedule=None, start_date=pendulum.today())\n')
    assert doc["dags"] == []
    assert doc["errors"][0]["message"].startswith("This Dag uses runtime-variable values")
    monkeypatch.setenv(stability.LEVEL_ENV, "off")
    assert (
        _load(tmp_path, 'DAG("d", schedule=None, start_date=pendulum.today())\n')[
            "stability_warnings"
        ]
        == []
    )


def test_invalid_param_default_rejects_a_scheduled_dag(tmp_path: Path) -> None:
    """A scheduled DAG whose Param default fails its schema is an import error; None is fine."""
    body = (
        'dag = DAG("d", schedule={!r}, start_date=pendulum.datetime(2025, 1, 1),\n'
        '    params={{"n": Param(5, type="string")}})\n'
    )
    doc = _load(tmp_path, body.format("@daily"))
    assert doc["dags"] == []
    assert "is not allowed to define a Schedule" in doc["errors"][0]["message"]
    assert [d["dag_id"] for d in _load(tmp_path, body.format(None))["dags"]] == ["d"]


def test_setting_an_invalid_param_value_raises(tmp_path: Path) -> None:
    """`dag.params[k] = v` validates v against the Param's schema, with Airflow's message."""
    doc = _load(
        tmp_path,
        """
        dag = DAG("d", schedule=None, params={"n": Param(5, type="integer", minimum=1)})
        dag.params["n"] = 0
        """,
    )
    assert (
        "Invalid input for param n: 0 is less than the minimum of 1" in doc["errors"][0]["message"]
    )


@pytest.mark.parametrize(
    ("value", "subschema", "ok"),
    [
        (1, {"type": "integer"}, True),
        (1.0, {"type": "integer"}, True),
        (True, {"type": "integer"}, False),
        (None, {"type": ["null", "string"]}, True),
        ("2025-01-31", {"type": "string", "format": "date"}, True),
        ("2025-02-31", {"format": "date"}, False),
        ("12:30:00", {"format": "time"}, True),
        ("x", {"enum": ["a", "b"]}, False),
        ([1, 1], {"type": "array", "uniqueItems": True}, False),
        ({"a": 1}, {"type": "object", "required": ["b"]}, False),
        ({"a": 1}, {"additionalProperties": False, "properties": {"a": {}}}, True),
        ("abc", {"minLength": 2, "maxLength": 3, "pattern": "^a"}, True),
        (3, {"oneOf": [{"minimum": 1}, {"maximum": 5}]}, False),
        (7, {"$defs": {"big": {"minimum": 5}}, "$ref": "#/$defs/big"}, True),
    ],
)
def test_json_schema_subset_matches_jsonschema(value: object, subschema: dict, ok: bool) -> None:
    """The stdlib validator agrees with jsonschema (draft 2020-12 + FormatChecker) on these."""
    assert (schema.first_error(value, subschema) is None) is ok


def test_unsupported_schema_keyword_declines() -> None:
    """A keyword the validator cannot evaluate raises Unsupported instead of guessing."""
    with pytest.raises(schema.Unsupported):
        schema.first_error({}, {"unevaluatedProperties": False})


def test_cycle_and_quarterly_preset_are_import_errors(tmp_path: Path) -> None:
    """A dependency cycle and croniter-unknown `@quarterly` fail as in Airflow's DagBag."""
    doc = _load(
        tmp_path,
        """
        with DAG("c", schedule=None):
            a = BashOperator(task_id="a", bash_command="true")
            b = BashOperator(task_id="b", bash_command="true")
            a >> b >> a
        """,
    )
    assert doc["errors"][0]["message"].startswith("AirflowDagCycleException: Cycle detected")
    doc = _load(tmp_path, 'dag = DAG("q", schedule="@quarterly", start_date=pendulum.today())\n')
    assert doc["errors"][0]["message"] == (
        "AirflowTimetableInvalid: Exactly 5, 6 or 7 columns has to be specified for iterator "
        "expression."
    )


def test_template_files_are_resolved_at_parse_time(tmp_path: Path) -> None:
    """A template field naming a template_ext file holds the file's content (bag_dag)."""
    (tmp_path / "run.sh").write_text("echo {{ ds }}\n")
    doc = _load(
        tmp_path,
        """
        with DAG("d", schedule=None):
            BashOperator(task_id="t", bash_command="run.sh")
        """,
    )
    (task,) = doc["dags"][0]["tasks"]
    assert task["template_values"]["bash_command"] == "echo {{ ds }}\n"


def test_legacy_timetable_paths_are_core_classes(tmp_path: Path) -> None:
    """Timetables imported from airflow.timetables.* serialize under the core class path."""
    doc = _load(
        tmp_path,
        """
        from airflow.timetables.interval import CronDataIntervalTimetable
        dag = DAG("d", schedule=CronDataIntervalTimetable("0 0 * * *", timezone="UTC"),
            start_date=pendulum.datetime(2025, 1, 1))
        """,
    )
    assert doc["dags"][0]["timetable"]["class"] == (
        "airflow.timetables.interval.CronDataIntervalTimetable"
    )
