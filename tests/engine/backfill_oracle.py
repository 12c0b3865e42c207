"""Record what real Apache Airflow 3.2.1 does for the backfill scenarios of
tests/engine/test_backfills_airflow.py (run ids, data intervals, reprocessing, exception
reasons, dry runs, refusals) into tests/engine/data/backfill_airflow.json.

Regenerate (a throw-away sqlite AIRFLOW_HOME; the DAGs of tests/engine/dags/backfill_cases.py):

    PY=$(../shared/tools/airflow_venv.sh | tail -n1)
    $PY tests/engine/backfill_oracle.py

Each scenario starts from a store with no runs, creates the `existing` runs (scheduled, with
their task instance in the same state), then calls Airflow's own `_do_dry_run` and
`_create_backfill` (what `POST /api/v2/backfills[/dry_run]` call) and reads back the runs and
`backfill_dag_run` rows.
"""

from __future__ import annotations

import json
import sys
from datetime import datetime
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
DAGS = HERE / "dags"
OUT = HERE / "data" / "backfill_airflow.json"

D = "2025-01-0{}T00:00:00+00:00".format
SCENARIOS: list[dict[str, Any]] = [
    {
        "name": "cron_range",
        "dag_id": "bf_daily",
        "from_date": D(1),
        "to_date": D(5),
        "max_active_runs": 2,
        "dag_run_conf": {"k": 1},
    },
    {"name": "interval_backwards", "dag_id": "bf_interval", "from_date": D(1), "to_date": D(3)}
    | {"run_backwards": True},
    *(
        {
            "name": f"reprocess_{b}",
            "dag_id": "bf_daily",
            "from_date": D(1),
            "to_date": D(5),
            "reprocess_behavior": b,
            "existing": {D(1): "success", D(2): "failed", D(3): "running"},
        }
        for b in ("none", "failed", "completed")
    ),
    {
        "name": "past_reprocess_failed",
        "dag_id": "bf_past",
        "from_date": D(1),
        "to_date": D(3),
        "reprocess_behavior": "failed",
        "existing": {D(2): "failed"},
    },
    {
        "name": "task_start_date",
        "dag_id": "bf_late",
        "from_date": D(1),
        "to_date": D(4),
        "reprocess_behavior": "failed",
        "existing": {D(1): "failed", D(3): "success"},
    },
    {"name": "unknown_dag", "dag_id": "nope", "from_date": D(1), "to_date": D(2)},
    {"name": "no_schedule", "dag_id": "bf_unscheduled", "from_date": D(1), "to_date": D(2)},
    {
        "name": "future",
        "dag_id": "bf_daily",
        "from_date": "2999-01-01T00:00:00+00:00",
        "to_date": "2999-01-02T00:00:00+00:00",
    },
    {"name": "past_without_reprocess", "dag_id": "bf_past", "from_date": D(1), "to_date": D(2)},
    {
        "name": "past_backwards",
        "dag_id": "bf_past",
        "from_date": D(1),
        "to_date": D(2),
        "reprocess_behavior": "completed",
        "run_backwards": True,
    },
    {
        "name": "empty_range",
        "dag_id": "bf_daily",
        "from_date": "2025-01-01T01:00:00+00:00",
        "to_date": D(1),
    },
]


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def _value(x: Any) -> Any:
    return getattr(x, "value", x)


def _error(exc: Exception) -> dict[str, str]:
    return {"type": type(exc).__name__, "message": str(exc)}


def run_scenario(sc: dict[str, Any]) -> dict[str, Any]:
    from airflow._shared.timezones import timezone
    from airflow.models import DagRun, TaskInstance
    from airflow.models.backfill import (
        Backfill,
        BackfillDagRun,
        ReprocessBehavior,
        _create_backfill,
        _do_dry_run,
    )
    from airflow.models.serialized_dag import SerializedDagModel
    from airflow.utils.session import create_session
    from airflow.utils.state import DagRunState
    from airflow.utils.types import DagRunTriggeredByType, DagRunType
    from sqlalchemy import delete, select, update

    with create_session() as session:
        for model in (BackfillDagRun, TaskInstance, DagRun, Backfill):
            session.execute(delete(model))
    frm, to = (timezone.parse(sc[k]) for k in ("from_date", "to_date"))
    behavior = ReprocessBehavior(sc.get("reprocess_behavior", "none"))
    if sc.get("existing"):
        with create_session() as session:
            serdag = session.scalar(SerializedDagModel.latest_item_select_object(sc["dag_id"]))
            dag = serdag.dag
            for when, state in sc["existing"].items():
                at = timezone.parse(when)
                info = dag.timetable.infer_manual_data_interval(run_after=at)
                dr = dag.create_dagrun(
                    run_id=f"scheduled__{when}",
                    logical_date=at,
                    data_interval=(info.start, info.end),
                    run_after=at,
                    run_type=DagRunType.SCHEDULED,
                    triggered_by=DagRunTriggeredByType.TIMETABLE,
                    state=DagRunState(state),
                    session=session,
                )
                session.flush()
                session.execute(
                    update(TaskInstance)
                    .where(TaskInstance.run_id == dr.run_id)
                    .values(state=state, try_number=1)
                )
    out: dict[str, Any] = {"existing_tis": {}}
    with create_session() as session:
        for r in session.scalars(select(DagRun).where(DagRun.dag_id == sc["dag_id"])):
            out["existing_tis"][r.run_id] = sorted(
                [t.task_id, _value(t.state)]
                for t in session.scalars(
                    select(TaskInstance).where(TaskInstance.run_id == r.run_id)
                )
            )
    try:
        with create_session() as session:
            out["dry_run"] = [
                _iso(i.logical_date)
                for i in _do_dry_run(
                    dag_id=sc["dag_id"],
                    from_date=frm,
                    to_date=to,
                    reverse=sc.get("run_backwards", False),
                    reprocess_behavior=behavior,
                    session=session,
                )
            ]
    except Exception as exc:
        out["dry_run"] = {"error": _error(exc)}
    try:
        br = _create_backfill(
            dag_id=sc["dag_id"],
            from_date=frm,
            to_date=to,
            max_active_runs=sc.get("max_active_runs", 10),
            reverse=sc.get("run_backwards", False),
            dag_run_conf=sc.get("dag_run_conf", {}),
            triggering_user_name="tester",
            reprocess_behavior=behavior,
            run_on_latest_version=True,
        )
    except Exception as exc:
        out["create"] = {"error": _error(exc)}
        return out
    with create_session() as session:
        runs = session.scalars(
            select(DagRun).where(DagRun.dag_id == sc["dag_id"]).order_by(DagRun.logical_date)
        ).all()
        by_pk = {r.id: r.run_id for r in runs}
        tis = {
            r.run_id: sorted(
                (t.task_id, t.state)
                for t in session.scalars(
                    select(TaskInstance).where(TaskInstance.run_id == r.run_id)
                )
            )
            for r in runs
        }
        links = session.scalars(
            select(BackfillDagRun)
            .where(BackfillDagRun.backfill_id == br.id)
            .order_by(BackfillDagRun.sort_ordinal)
        ).all()
        b = session.get(Backfill, br.id)
        out["create"] = {
            "backfill": {
                "max_active_runs": b.max_active_runs,
                "reprocess_behavior": _value(b.reprocess_behavior),
                "dag_run_conf": b.dag_run_conf,
                "is_paused": b.is_paused,
            },
            "runs": [
                {
                    "run_id": r.run_id,
                    "logical_date": _iso(r.logical_date),
                    "data_interval_start": _iso(r.data_interval_start),
                    "data_interval_end": _iso(r.data_interval_end),
                    "run_after": _iso(r.run_after),
                    "state": _value(r.state),
                    "run_type": _value(r.run_type),
                    "triggered_by": _value(r.triggered_by),
                    "conf": r.conf,
                    "in_backfill": r.backfill_id == br.id,
                    "clear_number": r.clear_number,
                    "task_states": [list(x) for x in tis[r.run_id]],
                }
                for r in runs
            ],
            "links": [
                {
                    "sort_ordinal": x.sort_ordinal,
                    "logical_date": _iso(x.logical_date),
                    "run_id": by_pk.get(x.dag_run_id) if x.dag_run_id else None,
                    "exception_reason": str(x.exception_reason) if x.exception_reason else None,
                }
                for x in links
            ],
        }
    return out


def child() -> None:
    from airflow.dag_processing.bundles.manager import DagBundlesManager
    from airflow.dag_processing.dagbag import BundleDagBag, sync_bag_to_db
    from airflow.utils.session import create_session

    with create_session() as session:
        DagBundlesManager().sync_bundles_to_db(session=session)
    bag = BundleDagBag(
        dag_folder=str(DAGS / "backfill_cases.py"),
        bundle_path=DAGS,
        bundle_name="dags-folder",
        safe_mode=False,
    )
    assert not bag.import_errors, bag.import_errors
    sync_bag_to_db(bag, "dags-folder", None)
    results = []
    for sc in SCENARIOS:
        results.append({"scenario": sc, "airflow": run_scenario(sc)})
    OUT.parent.mkdir(parents=True, exist_ok=True)
    doc = {
        "airflow_version": "3.2.1",
        "command": "tests/engine/backfill_oracle.py",
        "cases": results,
    }
    OUT.write_text(json.dumps(doc, indent=2, sort_keys=True) + "\n")


def main() -> None:
    sys.path.insert(0, str(HERE.parents[1]))  # tests/: this runs as a script, outside pytest
    from tests.airflow_home import run_oracle

    run_oracle(__file__, DAGS, OUT, child)


if __name__ == "__main__":
    main()
