"""Leoflow's runtime against real Airflow 3.2.1's recorded outcomes (`dag.test()` runs).

For every DAG with a recorded outcome (tests/runtime/corpus/airflow/<dag_id>.json, and the
runnable example DAGs of shared/golden/airflow-3.2.1/runs/), Leoflow runs the same DAG file at
the same logical date through `dags test`'s code path (compile, store, engine, execution API,
agent processes) and compares the run state and every TI's (state, try_number). Retries run
without their delay (the outcome does not depend on it). The match count is printed; the test
guards it against regressions with a floor.
"""

from __future__ import annotations

import asyncio
import json
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

CORPUS = Path(__file__).parents[1] / "runtime" / "corpus"
GOLDEN_RUNS = Path("/work/shared/golden/airflow-3.2.1/runs/example_dags")
AIRFLOW_SITE = Path.home() / ".cache/leoflow-oracle/af-3.2.1/lib/python3.11/site-packages"
PER_DAG_TIMEOUT_S = 90.0

pytestmark = pytest.mark.slow


def _expected(doc: dict[str, Any]) -> tuple[str, dict[tuple[str, int], tuple[str, int]]]:
    tis = {
        (t["task_id"], t["map_index"]): (t["state"], t["try_number"]) for t in doc["task_instances"]
    }
    return doc["run_state"], tis


async def _compare(file: Path, recorded: dict[str, Any]) -> str | None:
    """None when Leoflow ends the run as Airflow did, else what differs."""
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
    return "; ".join(diffs) or None


def _run_all(cases: list[tuple[Path, dict[str, Any]]]) -> tuple[int, dict[str, str]]:
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


@pytest.fixture
def store_env(db_uri: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LEOFLOW_DATABASE_URL", db_uri)
    monkeypatch.setenv("LEOFLOW_HOME", str(tmp_path / "home"))


def test_runtime_corpus_matches_airflow(store_env: None) -> None:
    """At least the measured share of the runtime corpus ends exactly as under Airflow."""
    cases = []
    for rec in sorted((CORPUS / "airflow").glob("*.json")):
        recorded = json.loads(rec.read_text())
        if "task_instances" not in recorded:
            continue
        cases.append((CORPUS / "dags" / recorded["file"], recorded))
    ok, bad = _run_all(cases)
    print(f"\nruntime corpus: {ok}/{len(cases)} match Airflow")
    for dag_id, diff in sorted(bad.items()):
        print(f"  {dag_id}: {diff}")
    assert ok >= CORPUS_FLOOR


def test_example_dags_match_airflow(store_env: None) -> None:
    """At least the measured share of Airflow's runnable example DAGs ends as under Airflow."""
    root = AIRFLOW_SITE
    if not (root / "airflow" / "example_dags").is_dir():
        pytest.skip("the Airflow 3.2.1 oracle venv (example DAG sources) is not installed")
    cases = []
    for rec in sorted(GOLDEN_RUNS.glob("*.json")):
        if rec.name.startswith("_"):
            continue
        recorded = json.loads(rec.read_text())
        if "task_instances" not in recorded:
            continue
        cases.append((root / recorded["file"], recorded))
    ok, bad = _run_all(cases)
    print(f"\nexample DAGs: {ok}/{len(cases)} match Airflow")
    for dag_id, diff in sorted(bad.items()):
        print(f"  {dag_id}: {diff}")
    assert ok >= EXAMPLES_FLOOR


CORPUS_FLOOR = 29  # measured: 29/34 (2026-11-28)
EXAMPLES_FLOOR = 64  # measured: 64/80 (2026-11-28)
