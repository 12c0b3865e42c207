"""Leoflow's runtime against real Airflow 3.2.1's recorded outcomes (`dag.test()` runs).

For every DAG with a recorded outcome (tests/runtime/corpus/airflow/<dag_id>.json, and the
runnable example DAGs of shared/golden/airflow-3.2.1/runs/), Leoflow runs the same DAG file at
the same logical date through `dags test`'s code path (compile, store, engine, execution API,
agent processes) and compares the run state, every TI's (state, try_number) and every
`return_value` XCom. Retries run without their delay (the outcome does not depend on it). The
oracle's conditions are reproduced where an outcome depends on them: a private /tmp and, for
CLOCK_DAGS, Python's clock at the logical date (see `_oracle_conditions`). Every DAG must match
except those in LEFT_OUT, each with its reason (printed).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import re
import shutil
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from leoflow import environments
from tests import airflow_wheel
from tests.e2e.conftest import TEST_HOME

CORPUS = Path(__file__).parents[1] / "runtime" / "corpus"
GOLDEN_RUNS = Path("/work/shared/golden/airflow-3.2.1/runs/example_dags")
PER_DAG_TIMEOUT_S = 90.0

pytestmark = pytest.mark.slow


# XComs that are not reproducible: bash `date` in a subprocess runs on the real clock;
# LatestOnlyOperator returns `list(set_of_task_ids)`, whose order follows str hashing, which
# Python randomizes per process.
# example_bash_decorator's get_file_stats returns stat's ` Birth:` of the installed DAG file, which
# changes whenever the oracle's venv is installed again.
VOLATILE_XCOMS = {
    ("tutorial", "print_date"),
    ("rt_latest_only", "latest_only"),
    ("example_bash_decorator", "get_file_stats"),
}

# DAGs left out of the comparison, and why.
LEFT_OUT = {
    # The oracle README: with the whole example folder deployed, their inlet asset conflicts
    # with another example's ("uri is already associated to 'test-asset'"), so Airflow fails
    # the task; parsed alone they succeed. Leoflow has no bundle-wide asset activation yet.
    "read_asset_event": "depends on the whole example folder being deployed (asset conflict)",
    "read_asset_event_from_classic": (
        "depends on the whole example folder being deployed (asset conflict)"
    ),
    "example_time_delta_sensor_async": (
        "a deferrable sensor: it needs the triggerer (a later issue); until then Leoflow fails "
        "it with a clear message, as the runtime issue requires"
    ),
}
XCOM_TEXT_LIMIT = 2048  # the oracle keeps the first 2048 characters of longer JSON texts
_NO_XCOM = object()


def _expected(doc: dict[str, Any]) -> tuple[str, dict[tuple[str, int], tuple[str, int]]]:
    tis = {
        (t["task_id"], t["map_index"]): (t["state"], t["try_number"]) for t in doc["task_instances"]
    }
    return doc["run_state"], tis


def _xcom_diffs(dag_id: str, want: dict[str, Any], have: dict[str, Any]) -> list[str]:
    """Differences of the `return_value` XComs (Airflow's recorded ones against Leoflow's)."""
    got = {
        (t["task_id"], t["map_index"]): t.get("xcom_return_value", _NO_XCOM)
        for t in have["task_instances"]
    }
    diffs = []
    for t in want["task_instances"]:
        key = (t["task_id"], t["map_index"])
        if (dag_id, key[0]) in VOLATILE_XCOMS or key not in got:
            continue
        value = got[key]
        if not t.get("has_xcom_return_value"):
            if value is not _NO_XCOM:
                diffs.append(f"{key[0]}[{key[1]}] pushed {value!r}, Airflow nothing")
            continue
        if value is _NO_XCOM:
            diffs.append(f"{key[0]}[{key[1]}] pushed nothing, Airflow {t['xcom_return_value']!r}")
            continue
        expected = t["xcom_return_value"]
        if t.get("xcom_return_value_truncated"):
            text = json.dumps(value)
            same = text[:XCOM_TEXT_LIMIT] == expected or len(text) > XCOM_TEXT_LIMIT
        else:
            same = value == expected
        if not same:
            diffs.append(f"{key[0]}[{key[1]}] xcom {value!r:.120} != {expected!r:.120}")
    return diffs


# The oracle ran every DAG with Python's clock travelling (ticking) to the logical date. Where
# the outcome depends on it, Leoflow's run gets the same clock, from the same library
# (time-machine), in every Python process of the run (parity_clock/sitecustomize.py); the
# engine and subprocesses such as bash keep the real clock, as under the oracle. Every other
# DAG runs on the real clock: its outcome does not depend on it.
CLOCK_DAGS = frozenset(
    {
        "rt_branch_datetime",
        "rt_branch_day_of_week",
        "example_branch_datetime_operator",
        "example_branch_datetime_operator_2",
        "example_branch_datetime_operator_3",
        "example_weekday_branch_operator",
    }
)
CLOCK_DIR = Path(__file__).parent / "parity_clock"
_TMP_PATH = re.compile(r"/tmp/[\w.-]+")


@contextlib.contextmanager
def _oracle_conditions(file: Path, recorded: dict[str, Any]) -> Iterator[None]:
    """The oracle's private /tmp (the /tmp paths the DAG file names are removed before and
    after its run) and, for CLOCK_DAGS, its clock."""
    paths = sorted(set(_TMP_PATH.findall(file.read_text(encoding="utf-8", errors="replace"))))

    def clean() -> None:
        for p in map(Path, paths):
            if p.is_dir() and not p.is_symlink():
                shutil.rmtree(p, ignore_errors=True)
            else:
                p.unlink(missing_ok=True)

    saved = {k: os.environ.get(k) for k in ("PYTHONPATH", "LEOFLOW_PARITY_CLOCK")}
    if recorded["dag_id"] in CLOCK_DAGS:
        os.environ["PYTHONPATH"] = os.pathsep.join(
            [str(CLOCK_DIR)] + ([saved["PYTHONPATH"]] if saved["PYTHONPATH"] else [])
        )
        os.environ["LEOFLOW_PARITY_CLOCK"] = recorded["logical_date"]
    clean()
    try:
        yield
    finally:
        clean()
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


async def _compare(file: Path, recorded: dict[str, Any]) -> str | None:
    """None when Leoflow ends the run as Airflow did, else what differs."""
    with _oracle_conditions(file, recorded):
        return await _compare_run(file, recorded)


async def _compare_run(file: Path, recorded: dict[str, Any]) -> str | None:
    from leoflow.cli.dags_cmd import run_dag_test

    try:
        async with asyncio.timeout(PER_DAG_TIMEOUT_S):
            got = await run_dag_test(
                path=file,
                dag_id=recorded["dag_id"],
                logical_date=datetime.fromisoformat(recorded["logical_date"]),
                conf=recorded.get("conf") or {},
                fast_retries=True,
                quiet=True,
                with_xcom=True,
            )
    except Exception as exc:
        return f"{type(exc).__name__}: {str(exc)[:300]}"
    want_state, want = _expected(recorded)
    have_state, have = _expected(got)
    diffs = []
    if want_state != have_state:
        diffs.append(f"run {have_state} != {want_state}")
    for key in sorted(set(want) | set(have)):
        if want.get(key) != have.get(key):
            diffs.append(f"{key[0]}[{key[1]}] {have.get(key)} != {want.get(key)}")
    diffs += _xcom_diffs(recorded["dag_id"], recorded, got)
    return "; ".join(diffs) or None


def _only() -> set[str] | None:
    """`LEOFLOW_PARITY_ONLY=id1,id2` runs only these DAGs (a debugging aid)."""
    raw = os.environ.get("LEOFLOW_PARITY_ONLY")
    return set(raw.split(",")) if raw else None


def _run_all(cases: list[tuple[Path, dict[str, Any]]]) -> tuple[int, dict[str, str]]:
    only = _only()
    if only is not None:
        cases = [c for c in cases if c[1]["dag_id"] in only]
    for _, recorded in cases:
        if recorded["dag_id"] in LEFT_OUT:
            print(f"  left out {recorded['dag_id']}: {LEFT_OUT[recorded['dag_id']]}")
    cases = [c for c in cases if c[1]["dag_id"] not in LEFT_OUT]

    async def go() -> tuple[int, dict[str, str]]:
        ok, bad = 0, {}
        for file, recorded in cases:
            diff = await _compare(file, recorded)
            if diff is None:
                ok += 1
            else:
                bad[recorded["dag_id"]] = diff
        return ok, bad

    return asyncio.run(go())


def parity_python() -> str:
    """A DAG environment with time-machine added: CLOCK_DAGS set Python's clock to the logical
    date in every process of their run, as the oracle did (parity_clock/sitecustomize.py)."""
    packages = (*environments.DEFAULT_PACKAGES, "time-machine==3.6.0")
    return str(environments.ensure("parity-clock", packages=packages, home=TEST_HOME).python)


@pytest.fixture
def store_env(db_uri: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LEOFLOW_DATABASE_URL", db_uri)
    monkeypatch.setenv("LEOFLOW_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("LEOFLOW_DAG_PYTHON", parity_python())


def test_runtime_corpus_matches_airflow(store_env: None) -> None:
    """Every runtime corpus DAG (but LEFT_OUT) ends exactly as under Airflow."""
    cases = []
    for rec in sorted((CORPUS / "airflow").glob("*.json")):
        recorded = json.loads(rec.read_text())
        if "task_instances" not in recorded:
            continue
        cases.append((CORPUS / "dags" / recorded["file"], recorded))
    ok, bad = _run_all(cases)
    left_out = len(cases) - ok - len(bad)
    print(f"\nruntime corpus: {ok}/{ok + len(bad)} match Airflow ({left_out} left out)")
    for dag_id, diff in sorted(bad.items()):
        print(f"  {dag_id}: {diff}")
    assert not bad, f"{len(bad)} corpus DAG(s) end otherwise than under Airflow"


def test_example_dags_match_airflow(store_env: None) -> None:
    """Every runnable Airflow example DAG (but LEFT_OUT) ends exactly as under Airflow."""
    root = airflow_wheel.site_root()
    cases = []
    for rec in sorted(GOLDEN_RUNS.glob("*.json")):
        if rec.name.startswith("_"):
            continue
        recorded = json.loads(rec.read_text())
        if "task_instances" not in recorded:
            continue
        cases.append((root / recorded["file"], recorded))
    ok, bad = _run_all(cases)
    left_out = len(cases) - ok - len(bad)
    print(f"\nexample DAGs: {ok}/{ok + len(bad)} match Airflow ({left_out} left out)")
    for dag_id, diff in sorted(bad.items()):
        print(f"  {dag_id}: {diff}")
    assert not bad, f"{len(bad)} example DAG(s) end otherwise than under Airflow"
