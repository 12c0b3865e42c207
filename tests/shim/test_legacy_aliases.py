"""Airflow 3.2.1's deprecated import aliases (`airflow.sensors.*`, `airflow.operators.*`,
`airflow.hooks.*`, `airflow.triggers.*`...) and mapped operators of other providers."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

SHIM = Path(__file__).parents[2] / "src" / "shim"
sys.path.insert(0, str(SHIM))

from leoflow_shim.loader import load_file  # noqa: E402
from leoflow_shim.modules import _LEGACY  # noqa: E402

ORACLE_PY = Path.home() / ".cache/leoflow-oracle/af-3.2.1/bin/python"
PAIRS = sorted(
    (f"{pkg}.{sub}", name, target)
    for pkg, mods in _LEGACY.items()
    for sub, names in mods.items()
    for name, target in names.items()
)

# Run by Airflow 3.2.1: every virtual module `add_deprecated_classes` made under these packages.
_ORACLE_DUMP = """
import functools, importlib, json, sys, warnings
warnings.simplefilter("ignore")
from airflow.utils.deprecation_tools import getattr_with_deprecation
for p in %r:
    importlib.import_module(p)
out = {}
for name, mod in sorted(sys.modules.items()):
    ga = getattr(mod, "__dict__", {}).get("__getattr__")
    if isinstance(ga, functools.partial) and ga.func is getattr_with_deprecation:
        out[name] = ga.args[0]
print(json.dumps(out))
"""


def _write(tmp_path: Path, body: str) -> str:
    p = tmp_path / "dag_file.py"
    p.write_text(textwrap.dedent(body))
    return str(p)


def test_every_legacy_alias_is_its_target(tmp_path: Path) -> None:
    """Each legacy name resolves, under the shim, to the very object its target path gives."""
    path = _write(
        tmp_path,
        f"""
        import importlib
        from airflow.sdk import DAG

        for mod, name, target in {PAIRS!r}:
            tmod, _, tname = target.rpartition(".")
            got = getattr(importlib.import_module(mod), name)
            assert got is getattr(importlib.import_module(tmod), tname), (mod, name)
        with DAG("legacy_ok", schedule=None):
            pass
        """,
    )
    doc = load_file(path)
    assert doc["errors"] == []
    assert [d["dag_id"] for d in doc["dags"]] == ["legacy_ok"]


def test_legacy_operators_keep_the_provider_operator_class(tmp_path: Path) -> None:
    """Operators imported from legacy paths have the standard/other provider's class path, as in
    Airflow (which hands out the target class itself)."""
    path = _write(
        tmp_path,
        """
        import datetime
        from airflow.sdk import DAG
        from airflow.operators.email import EmailOperator
        from airflow.operators.generic_transfer import GenericTransfer
        from airflow.operators.latest_only import LatestOnlyOperator
        from airflow.sensors.time_sensor import TimeSensorAsync
        from airflow.sensors.time_delta import TimeDeltaSensorAsync

        with DAG("legacy_ops", schedule=None):
            LatestOnlyOperator(task_id="latest")
            EmailOperator(task_id="mail", to="a@b.c", subject="s", html_content="x")
            GenericTransfer(task_id="copy", sql="select 1", destination_table="t",
                            source_conn_id="a", destination_conn_id="b")
            TimeSensorAsync(task_id="clock", target_time=datetime.time(6, 30))
            TimeDeltaSensorAsync(task_id="delta", delta=datetime.timedelta(minutes=1))
        """,
    )
    doc = load_file(path)
    assert doc["errors"] == []
    tasks = {t["task_id"]: t for t in doc["dags"][0]["tasks"]}
    assert {k: t["operator_class"] for k, t in tasks.items()} == {
        "clock": "airflow.providers.standard.sensors.time.TimeSensorAsync",
        "copy": "airflow.providers.common.sql.operators.generic_transfer.GenericTransfer",
        "delta": "airflow.providers.standard.sensors.time_delta.TimeDeltaSensorAsync",
        "latest": "airflow.providers.standard.operators.latest_only.LatestOnlyOperator",
        "mail": "airflow.providers.smtp.operators.smtp.EmailOperator",
    }
    assert tasks["clock"]["init_args"]["deferrable"] is True
    assert tasks["mail"]["leoflow"]["path"] == "generic"
    assert tasks["mail"]["init_args"] == {"html_content": "x", "subject": "s", "to": "a@b.c"}


def test_poke_mode_only_pins_poke(tmp_path: Path) -> None:
    """`airflow.sensors.base.poke_mode_only` refuses another mode, as Airflow's decorator does."""
    path = _write(
        tmp_path,
        """
        from airflow.sdk import DAG
        from airflow.sensors.base import BaseSensorOperator, poke_mode_only

        @poke_mode_only
        class Ping(BaseSensorOperator):
            def poke(self, context):
                return True

        with DAG("poke_only", schedule=None):
            Ping(task_id="ping", mode="reschedule")
        """,
    )
    doc = load_file(path)
    assert "Cannot set mode to 'reschedule'" in doc["errors"][0]["message"]


def test_mapped_generic_operator_carries_partial_kwargs_and_expand_input(tmp_path: Path) -> None:
    """A mapped operator of another provider keeps its own partial() kwargs and the expanded
    names (as `mapped` markers) in `init_args`, and its `expand_input`: what the agent builds
    the real operator from at each map index."""
    path = _write(
        tmp_path,
        """
        from airflow.sdk import DAG
        from airflow.providers.common.sql.operators.sql import SQLExecuteQueryOperator

        with DAG("mapped_sql", schedule=None, default_args={"conn_id": "dflt", "retries": 2}):
            SQLExecuteQueryOperator.partial(
                task_id="q", conn_id="wh", parameters={"a": 1}, retries=3
            ).expand(sql=["select 1", "select 2"])
        """,
    )
    doc = load_file(path)
    assert doc["errors"] == []
    task = doc["dags"][0]["tasks"][0]
    assert task["is_mapped"] is True
    assert task["retries"] == 3
    assert task["init_args"] == {
        "conn_id": "wh",
        "parameters": {"a": 1},
        "sql": {"__type": "mapped", "__var": ["select 1", "select 2"]},
    }
    assert task["expand_input"] == {
        "type": "DictOfListsExpandInput",
        "value": {"sql": ["select 1", "select 2"]},
    }


@pytest.mark.skipif(not ORACLE_PY.exists(), reason="no Airflow 3.2.1 oracle venv")
def test_legacy_table_is_airflows() -> None:
    """The shim's alias table is exactly Airflow 3.2.1's for the packages it models (less
    `airflow.models.abstractoperator`, which the shim does not model, and a name that fails in
    Airflow too)."""
    packages = sorted(_LEGACY)
    proc = subprocess.run(
        [str(ORACLE_PY), "-c", _ORACLE_DUMP % (packages,)],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    real = json.loads(proc.stdout.strip().splitlines()[-1])
    want = sorted(
        (mod, name, target)
        for mod, names in real.items()
        if mod.rpartition(".")[0] in _LEGACY
        for name, target in names.items()
    )
    left_out = {("airflow.models.operator", "Operator")}  # fails in Airflow 3.2.1 as well
    want = [
        p
        for p in want
        if p[0] != "airflow.models.abstractoperator" and (p[0], p[1]) not in left_out
    ]
    assert want == PAIRS
