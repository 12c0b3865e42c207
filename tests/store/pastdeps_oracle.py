"""Record what real Apache Airflow 3.2.1's PrevDagrunDep says for every task of a target run,
over the run histories of tests/store/test_pastruns_airflow.py, into
tests/store/data/pastdeps_airflow.json.

Regenerate (a throw-away sqlite AIRFLOW_HOME; the DAGs of tests/store/dags/pastdeps_cases.py):

    PY=$(../shared/tools/airflow_venv.sh | tail -n1)
    $PY tests/store/pastdeps_oracle.py

Each scenario starts with no runs, creates its runs with Airflow's `create_dagrun` (so each run
gets the task instances Airflow creates), sets their states, deletes the task instances listed
in `drop`, links backfill runs, then records every run's task instances as they are and, for
each task of the last run, the statuses `PrevDagrunDep().get_dep_statuses` yields.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
DAGS = HERE / "dags"
OUT = HERE / "data" / "pastdeps_airflow.json"

OK = {"a": "success", "b": "success", "c": "success", "late": "success", "free": "success"}


def run(day: int, state: str = "success", **kw: Any) -> dict[str, Any]:
    return {"day": day, "type": "scheduled", "state": state, "tis": dict(OK), **kw}


def tis(**states: str | None) -> dict[str, str | None]:
    return {**OK, **states}


def target(day: int, **kw: Any) -> dict[str, Any]:
    return {"day": day, "type": "scheduled", "state": "running", "tis": {}, **kw}


SCENARIOS: list[dict[str, Any]] = [
    {"name": "first_run", "dag_id": "pd_catchup", "runs": [target(1)]},
    {"name": "previous_all_success", "dag_id": "pd_catchup", "runs": [run(1), target(2)]},
    {
        "name": "previous_failed_and_running",
        "dag_id": "pd_catchup",
        "runs": [run(1, "failed", tis=tis(a="failed", b="running", c="skipped")), target(2)],
    },
    {
        "name": "wait_for_downstream",
        "dag_id": "pd_catchup",
        "runs": [run(1, "failed", tis=tis(b="upstream_failed", free=None)), target(2)],
    },
    {
        "name": "unfinished_states",
        "dag_id": "pd_latest",
        "runs": [run(1, "running", tis=tis(a="up_for_retry", b=None, c="scheduled")), target(2)],
    },
    *(
        {
            "name": f"manual_between_{dag_id}",
            "dag_id": dag_id,
            "runs": [
                run(1),
                run(2, "failed", type="manual", tis=tis(a="failed", b="failed")),
                target(3),
            ],
        }
        for dag_id in ("pd_catchup", "pd_latest")
    ),
    *(
        {
            "name": f"missing_in_previous_{name}",
            "dag_id": "pd_catchup",
            "runs": [*older, run(2, drop=["b", "c"]), target(3)],
        }
        for name, older in (("first_ever", []), ("ran_before", [run(1)]))
    ),
    {
        "name": "task_start_date",
        "dag_id": "pd_catchup",
        "runs": [run(2, "failed", tis=tis(late="failed")), target(3)],
    },
    {
        "name": "task_start_date_without_catchup",
        "dag_id": "pd_latest",
        "runs": [run(2, "failed", tis=tis(late="failed")), target(3)],
    },
    {
        "name": "backfill_first_run",
        "dag_id": "pd_catchup",
        "runs": [
            run(1, "failed", tis=tis(a="failed", b="failed")),
            target(2, type="backfill", backfill_ordinal=1),
        ],
    },
    {
        "name": "backfill_second_run",
        "dag_id": "pd_catchup",
        "runs": [
            run(1),
            run(2, "failed", type="backfill", backfill_ordinal=1, tis=tis(a="failed")),
            target(3, type="backfill", backfill_ordinal=2),
        ],
    },
]


def run_scenario(sc: dict[str, Any]) -> dict[str, Any]:
    from datetime import timedelta

    from airflow._shared.timezones import timezone
    from airflow.models import DagRun, TaskInstance
    from airflow.models.backfill import Backfill, BackfillDagRun
    from airflow.models.serialized_dag import SerializedDagModel
    from airflow.ti_deps.dep_context import DepContext
    from airflow.ti_deps.deps.prev_dagrun_dep import PrevDagrunDep
    from airflow.utils.session import create_session
    from airflow.utils.state import DagRunState
    from airflow.utils.types import DagRunTriggeredByType, DagRunType
    from sqlalchemy import delete, select, update

    base = timezone.parse("2024-12-31T00:00:00+00:00")
    with create_session() as session:
        for model in (BackfillDagRun, TaskInstance, DagRun, Backfill):
            session.execute(delete(model))
    with create_session() as session:
        dag = session.scalar(SerializedDagModel.latest_item_select_object(sc["dag_id"])).dag
        backfill = None
        if any(r.get("backfill_ordinal") for r in sc["runs"]):
            backfill = Backfill(dag_id=sc["dag_id"], from_date=base, to_date=base, dag_run_conf={})
            session.add(backfill)
            session.flush()
        made = []
        for r in sc["runs"]:
            at = base + timedelta(days=r["day"])
            dr = dag.create_dagrun(
                run_id=f"{r['type']}__{at.isoformat()}",
                logical_date=at,
                data_interval=(at, at),
                run_after=at,
                run_type=DagRunType(r["type"]),
                triggered_by=DagRunTriggeredByType.TIMETABLE,
                state=DagRunState(r["state"]),
                backfill_id=backfill.id if r.get("backfill_ordinal") else None,
                session=session,
            )
            session.flush()
            for task_id, state in r["tis"].items():
                session.execute(
                    update(TaskInstance)
                    .where(TaskInstance.run_id == dr.run_id, TaskInstance.task_id == task_id)
                    .values(state=state)
                )
            for task_id in r.get("drop", ()):
                session.execute(
                    delete(TaskInstance).where(
                        TaskInstance.run_id == dr.run_id, TaskInstance.task_id == task_id
                    )
                )
            if r.get("backfill_ordinal"):
                session.add(
                    BackfillDagRun(
                        backfill_id=backfill.id,
                        dag_run_id=dr.id,
                        logical_date=at,
                        sort_ordinal=r["backfill_ordinal"],
                    )
                )
            made.append(dr)
        session.flush()
        runs_out = []
        for dr in made:
            rows = session.scalars(
                select(TaskInstance)
                .where(TaskInstance.run_id == dr.run_id)
                .order_by(TaskInstance.task_id, TaskInstance.map_index)
            ).all()
            runs_out.append(
                {
                    "run_id": dr.run_id,
                    "run_type": getattr(dr.run_type, "value", dr.run_type),
                    "logical_date": dr.logical_date.isoformat(),
                    "state": getattr(dr.state, "value", dr.state),
                    "tis": [
                        [t.task_id, t.map_index, getattr(t.state, "value", t.state)] for t in rows
                    ],
                }
            )
        for spec, out in zip(sc["runs"], runs_out, strict=True):
            out["backfill_ordinal"] = spec.get("backfill_ordinal")
        last = made[-1]
        verdicts = {}
        for ti in session.scalars(select(TaskInstance).where(TaskInstance.run_id == last.run_id)):
            ti.task = dag.get_task(ti.task_id)
            statuses = list(PrevDagrunDep().get_dep_statuses(ti, session, DepContext()))
            verdicts[ti.task_id] = [[s.passed, s.reason] for s in statuses]
        session.rollback()
    return {"runs": runs_out, "verdicts": dict(sorted(verdicts.items()))}


def child() -> None:
    from airflow.dag_processing.bundles.manager import DagBundlesManager
    from airflow.dag_processing.dagbag import BundleDagBag, sync_bag_to_db
    from airflow.utils.session import create_session

    with create_session() as session:
        DagBundlesManager().sync_bundles_to_db(session=session)
    bag = BundleDagBag(
        dag_folder=str(DAGS / "pastdeps_cases.py"),
        bundle_path=DAGS,
        bundle_name="dags-folder",
        safe_mode=False,
    )
    assert not bag.import_errors, bag.import_errors
    sync_bag_to_db(bag, "dags-folder", None)
    cases = [{"scenario": sc, "airflow": run_scenario(sc)} for sc in SCENARIOS]
    doc = {"airflow_version": "3.2.1", "command": "tests/store/pastdeps_oracle.py", "cases": cases}
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(doc, indent=2, sort_keys=True) + "\n")


def main() -> None:
    sys.path.insert(0, str(HERE.parents[1]))  # tests/: this runs as a script, outside pytest
    from tests.airflow_home import run_oracle

    run_oracle(__file__, DAGS, OUT, child)


if __name__ == "__main__":
    main()
