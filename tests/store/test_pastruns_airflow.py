"""depends_on_past as real Airflow 3.2.1 decides it: for each recorded run history, the facts
`past_facts` reads from a real store and `past_depends_met`'s verdict (and reason) for every task
of the last run equal what Airflow's PrevDagrunDep said over the same history. Airflow's answers
were recorded by tests/store/pastdeps_oracle.py (its docstring has the command) in
tests/store/data/pastdeps_airflow.json."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from leoflow.compiler.driver import compile_path
from leoflow.scheduler.dagmodel import load_dag
from leoflow.scheduler.pastdeps import past_depends_met
from leoflow.store import queries
from leoflow.store.models import Backfill, BackfillDagRun, DagRun
from leoflow.store.pastruns import past_facts

DAGS = Path(__file__).parent / "dags" / "pastdeps_cases.py"
RECORDED = json.loads((Path(__file__).parent / "data" / "pastdeps_airflow.json").read_text())
CASES = {c["scenario"]["name"]: c for c in RECORDED["cases"]}
IGNORE_FIRST = {"c"}  # the tasks of pastdeps_cases.py with ignore_first_depends_on_past=True


@pytest.fixture(scope="module")
def docs() -> dict[str, dict[str, Any]]:
    out = compile_path(DAGS, root=DAGS.parent)
    assert not out.errors, out.errors
    return {str(d["dag_id"]): dict(d) for d in out.dags}


def test_dag_json_carries_ignore_first_depends_on_past(docs: dict[str, dict[str, Any]]) -> None:
    """The compiled dag.json says which tasks have ignore_first_depends_on_past (written only
    when true, as Airflow serializes only non-default values)."""
    for doc in docs.values():
        flagged = {t["task_id"] for t in doc["tasks"] if "ignore_first_depends_on_past" in t}
        assert flagged == (IGNORE_FIRST & {t["task_id"] for t in doc["tasks"]}), doc["dag_id"]
        assert all(
            t["ignore_first_depends_on_past"] is True
            for t in doc["tasks"]
            if t["task_id"] in flagged
        )


async def _history(
    s: AsyncSession, dag_id: str, doc: dict[str, Any], runs: list[dict[str, Any]]
) -> DagRun:
    """The recorded runs with their task instances; the last one."""
    version, _ = await queries.register_version(s, doc, None)
    backfill_id = None
    made = []
    for r in runs:
        when = datetime.fromisoformat(r["logical_date"])
        if r["backfill_ordinal"] is not None and backfill_id is None:
            b = Backfill(dag_id=dag_id, from_date=when, to_date=when)
            s.add(b)
            await s.flush()
            backfill_id = b.id
        run = await queries.create_dag_run(
            s,
            dag_id=dag_id,
            run_id=r["run_id"],
            run_type=r["run_type"],
            run_after=when,
            logical_date=when,
            state=r["state"],
            dag_version_id=version.id,
            backfill_id=backfill_id if r["backfill_ordinal"] is not None else None,
        )
        assert run is not None
        seeds = [
            queries.TaskInstanceSeed(task_id=t, map_index=mi, state=st) for t, mi, st in r["tis"]
        ]
        await queries.create_task_instances(s, dag_id, run.run_id, seeds)
        if r["backfill_ordinal"] is not None:
            s.add(
                BackfillDagRun(
                    backfill_id=backfill_id,
                    dag_run_id=run.id,
                    logical_date=when,
                    sort_ordinal=r["backfill_ordinal"],
                )
            )
        made.append(run)
    await s.flush()
    return made[-1]


@pytest.mark.parametrize("name", sorted(CASES))
async def test_same_verdicts_as_airflow(
    name: str, sessionmaker: async_sessionmaker[AsyncSession], docs: dict[str, dict[str, Any]]
) -> None:
    """One recorded history: every task of the last run is met or not, for the same reason."""
    sc, airflow = CASES[name]["scenario"], CASES[name]["airflow"]
    doc = docs[sc["dag_id"]]
    model = load_dag(doc)
    async with sessionmaker.begin() as s:
        last = await _history(s, sc["dag_id"], doc, airflow["runs"])
    ignore_first = [t for t, n in model.tasks.items() if n.ignore_first_depends_on_past]
    async with sessionmaker() as s:
        facts = await past_facts(s, last, catchup=model.catchup, ignore_first=ignore_first)
    got, want = {}, {}
    for task_id, statuses in airflow["verdicts"].items():
        dep = past_depends_met(model.tasks[task_id], facts)
        # Airflow yields nothing when every check passes; otherwise one status with its reason.
        want[task_id] = (True, None) if not statuses else tuple(statuses[0])
        got[task_id] = (dep.met, None if not statuses else dep.reason)
    assert got == want
