"""Replay an Airflow example DAG through the scheduler's decisions, with every task's own
outcome (success / failed / skipped, branch choices) taken from the real Airflow 3.2.1 run."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime
from functools import cache
from pathlib import Path
from typing import Any

from leoflow.scheduler.branching import branch_skips, short_circuit_skips, skip_keys
from leoflow.scheduler.dagmodel import DagModel, load_dag
from leoflow.scheduler.deps import evaluate_run
from leoflow.scheduler.runstate import decide_run_state, initial_task_instances
from leoflow.scheduler.states import FINISHED, SCHEDULED, SKIPPED, TIKey

GOLDEN = Path("/work/shared/golden/airflow-3.2.1")
RUNS = GOLDEN / "runs" / "example_dags"


@cache
def dag_documents() -> dict[str, dict[str, Any]]:
    """Every DAG document of the example goldens by dag_id."""
    out = {}
    for f in sorted((GOLDEN / "example_dags").rglob("*.json")):
        for dag in json.loads(f.read_text()).get("dags") or ():
            out[dag["dag_id"]] = dag
    return out


def run_goldens() -> list[str]:
    """dag_ids with a completed Airflow run."""
    ids = []
    for f in sorted(RUNS.glob("*.json")):
        if f.name.startswith("_"):
            continue
        if "task_instances" in json.loads(f.read_text()):
            ids.append(f.stem)
    return ids


@dataclass
class SimResult:
    run_state: str
    states: dict[TIKey, str | None]
    ran_unexpectedly: list[TIKey] = field(default_factory=list)


def simulate(dag_id: str) -> tuple[SimResult, dict[str, Any]]:
    """Run the DAG with outcomes from the golden run; return the simulation and the golden."""
    golden = json.loads((RUNS / f"{dag_id}.json").read_text())
    dag: DagModel = load_dag(dag_documents()[dag_id])
    gold = {(t["task_id"], t["map_index"]): t for t in golden["task_instances"]}
    logical = datetime.fromisoformat(golden["logical_date"])
    tis: dict[TIKey, str | None] = dict.fromkeys(initial_task_instances(dag, logical))

    def lengths(task_id: str, key: str) -> int | None:
        mine = {k: s for k, s in tis.items() if k[0] == task_id}
        if not mine or any(s not in FINISHED for s in mine.values()):
            return None
        if dag.tasks[task_id].is_mapped:
            return sum(1 for k, g in gold.items() if k[0] == task_id and k[1] >= 0)
        value = gold[(task_id, -1)].get("xcom_return_value")
        return len(value) if isinstance(value, list | dict) else None

    result = SimResult(run_state="running", states=tis)
    for _ in range(10 * len(dag.tasks) + 10):
        decided = evaluate_run(dag, tis, lengths=lengths)
        tis.clear()
        tis.update(decided.states)
        scheduled = [k for k, s in tis.items() if s == SCHEDULED]
        if not scheduled:
            break
        for key in scheduled:
            g = gold.get(key)
            if g is None or g["try_number"] == 0:
                result.ran_unexpectedly.append(key)
                tis[key] = "success"
                continue
            tis[key] = g["state"]
            task = dag.tasks[key[0]]
            if g["state"] != "success":
                continue
            if task.is_branch:
                followed = [
                    d
                    for d in task.downstream
                    if not (
                        gold.get((d, -1), {}).get("state") == SKIPPED
                        and gold[(d, -1)]["try_number"] == 0
                    )
                ]
                to_skip = branch_skips(dag, key[0], followed)
                for k in skip_keys(tis, to_skip, map_index=key[1]):
                    tis[k] = SKIPPED
            elif task.is_short_circuit and not g.get("xcom_return_value"):
                for k in skip_keys(tis, short_circuit_skips(dag, key[0]), map_index=key[1]):
                    tis[k] = SKIPPED
    final = decide_run_state(dag, tis, lengths=lengths)
    result.run_state = final.state
    result.states = dict(final.states)
    return result, golden
