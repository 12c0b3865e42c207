"""EmptyOperator, LatestOnlyOperator and TriggerDagRunOperator."""

from __future__ import annotations

import json
import secrets
import string
import time
from datetime import datetime
from typing import Any

from .. import serde
from ..client import ApiError
from ..errors import AgentError, AirflowFailException, AirflowSkipException
from . import Call
from .python import follow_branches


def run_empty(call: Call) -> Any:
    return None


def run_smooth(call: Call) -> Any:
    """SmoothOperator: logs its song link, returns nothing."""
    call.journal.info("Enjoy Sade - Smooth Operator: https://www.youtube.com/watch?v=4TYv2PhG89A")
    return None


def run_latest_only(call: Call) -> Any:
    """Follow the downstream tasks only in the latest scheduled run (manual runs always follow)."""
    dag_run = call.ctx["dag_run"]
    downstream = list(call.task_doc.get("downstream_task_ids") or [])
    if dag_run.run_type == "manual":
        call.journal.info("Manually triggered DAG_Run: allowing execution to proceed.")
        return follow_branches(call, downstream, downstream)
    window = call.rt.rc.get(
        "latest_only_window"
    )  # [left, right] when the server knows the timetable
    if window:
        left, right = serde.parse_dt(window[0]), serde.parse_dt(window[1])
    else:
        start, end = dag_run.data_interval_start, dag_run.data_interval_end
        if start is None or end is None or end <= start:
            call.journal.info("Last scheduled execution: allowing execution to proceed.")
            return follow_branches(call, downstream, downstream)
        left, right = end, end + (end - start)
    now = serde.utcnow()
    call.journal.info(
        f"Checking latest only with left_window: {left} right_window: {right} now: {now}"
    )
    if not left < now <= right:  # type: ignore[operator]
        call.journal.info("Not latest execution, skipping downstream.")
        return follow_branches(call, [], [])
    call.journal.info("Latest, allowing execution to proceed.")
    return follow_branches(call, downstream, downstream)


def _random(n: int = 8) -> str:
    alphabet = string.ascii_letters + string.digits
    return "".join(secrets.choice(alphabet) for _ in range(n))


def _as_dt(value: Any) -> datetime | None:
    if value is None or value is serde.NOTSET:
        return None
    return serde.parse_dt(value)


def run_trigger_dag_run(call: Call) -> Any:
    """Create a run of another DAG through the execution API (`POST /dag-runs/{dag_id}`)."""
    args = call.args
    dag_id = args.get("trigger_dag_id")
    if not dag_id:
        raise AgentError("TriggerDagRunOperator needs trigger_dag_id")
    logical_arg = args.get("logical_date", serde.NOTSET)
    if not (logical_arg is serde.NOTSET or logical_arg is None) and not isinstance(
        logical_arg, (str, datetime)
    ):  # Airflow checks it when the task runs
        raise TypeError(
            "Expected str, datetime.datetime, or None for parameter 'logical_date'. Got "
            f"{type(logical_arg).__name__}"
        )
    run_after_arg = args.get("run_after", serde.NOTSET)
    if logical_arg is serde.NOTSET:
        logical = None if run_after_arg is not serde.NOTSET else serde.utcnow()
    else:
        logical = _as_dt(logical_arg)
    run_after = logical if run_after_arg is serde.NOTSET else _as_dt(run_after_arg)
    conf_error = (call.task_doc.get("leoflow") or {}).get("conf_error")
    if conf_error:  # a conf dag.json could only keep as JSON (the shim saw a datetime, a set)
        raise ValueError(conf_error)
    conf = args.get("conf")
    if isinstance(conf, str) and conf:
        conf = json.loads(conf)
    try:
        json.dumps(conf)
    except (TypeError, ValueError):
        raise ValueError(f"conf parameter should be JSON Serializable: {conf}") from None
    run_id = args.get("trigger_run_id")
    if not run_id:
        if logical is not None:  # Airflow: from run_after (the logical date unless given)
            run_id = f"manual__{(run_after or serde.utcnow()).isoformat()}"
        else:
            run_id = f"manual__{(run_after or serde.utcnow()).isoformat()}_{_random()}"
    body = {
        "run_id": str(run_id),
        "logical_date": serde.iso(logical),
        "run_after": serde.iso(run_after),
        "conf": conf or {},
        "reset_dag_run": bool(args.get("reset_dag_run")),
        "note": args.get("note"),
    }
    call.journal.info(f"Triggering Dag Run. trigger_dag_id={dag_id}")
    try:
        call.rt.client.trigger_dag_run(dag_id, body)
    except ApiError as exc:
        if exc.status != 409:
            raise
        if args.get("skip_when_already_exists"):
            raise AirflowSkipException(
                "Dag Run already exists, skipping task as skip_when_already_exists is set to True."
            ) from None
        raise AirflowFailException(
            f"Dag Run already exists, marking task as failed. ({dag_id}, {run_id})"
        ) from None
    call.journal.info(f"Dag Run triggered successfully. trigger_dag_id={dag_id} run_id={run_id}")
    call.ctx["ti"].xcom_push("trigger_run_id", str(run_id))
    if args.get("wait_for_completion"):
        if args.get("deferrable"):
            call.journal.warning(
                "deferrable=True: waiting in the worker (Leoflow has no triggerer)"
            )
        allowed = list(args.get("allowed_states") or ["success"])
        failed = list(args.get("failed_states") or ["failed"])
        interval = serde.to_seconds(args.get("poke_interval"), 60.0)
        while True:
            call.journal.info(f"Waiting for dag run {dag_id} {run_id} to complete in {allowed}")
            time.sleep(interval)
            state = call.rt.client.dag_run_state(dag_id, str(run_id))
            if state in failed:
                raise AirflowFailException(
                    f"DagRun {dag_id} {run_id} finished with failed state {state}."
                )
            if state in allowed:
                call.journal.info(f"DagRun {dag_id} {run_id} finished with allowed state {state}.")
                return None
    return None


# --- BranchDateTimeOperator / BranchDayOfWeekOperator -------------------------------------------
def _dag_tz(call: Call) -> Any:
    from zoneinfo import ZoneInfo

    name = call.rt.dag_doc.get("timezone") or "UTC"
    try:
        return ZoneInfo(str(name))
    except (KeyError, ValueError):
        return ZoneInfo("UTC")


def _branch_now(call: Call) -> datetime:
    """`logical_date` (else `run_after`) with use_task_logical_date, else the current time."""
    if call.args.get("use_task_logical_date"):
        now = call.ctx.get("logical_date") or call.ctx["dag_run"].run_after
        if now is None:
            raise AgentError("Either `logical_date` or `run_after` must be set in the context")
        return serde.parse_dt(now)  # type: ignore[return-value]
    return serde.utcnow()


def _time_or_datetime(value: Any) -> Any:
    """dag.json keeps a `datetime.time` as "HH:MM:SS" and a datetime as ISO-8601."""
    from datetime import time as dtime

    if not isinstance(value, str):
        return value
    if "-" in value[:10] or "T" in value:
        return datetime.fromisoformat(value)
    return dtime.fromisoformat(value)


def run_branch_datetime(call: Call) -> Any:
    """BranchDateTimeOperator.choose_branch (standard provider 1.21)."""
    from datetime import time as dtime
    from datetime import timedelta

    now = _branch_now(call)
    lower = _time_or_datetime(call.args.get("target_lower"))
    upper = _time_or_datetime(call.args.get("target_upper"))
    if lower is None and upper is None:
        raise AgentError(
            "Both target_upper and target_lower are None. At least one must be defined to be "
            "compared to the current datetime"
        )
    if not (isinstance(lower, datetime) and isinstance(upper, datetime)):
        if isinstance(lower, dtime):
            lower = datetime.combine(now, lower)
        if isinstance(upper, dtime):
            upper = datetime.combine(now, upper)
        if lower is not None and upper is not None and upper < lower:
            upper += timedelta(days=1)
    tz = _dag_tz(call)
    lower = lower.replace(tzinfo=tz) if lower is not None and lower.tzinfo is None else lower
    upper = upper.replace(tzinfo=tz) if upper is not None and upper.tzinfo is None else upper
    if (upper is not None and upper < now) or (lower is not None and lower > now):
        chosen = call.args.get("follow_task_ids_if_false")
    else:
        chosen = call.args.get("follow_task_ids_if_true")
    call.journal.info(f"Branch into {chosen}")
    follow_branches(call, chosen, None)
    return None


def run_branch_day_of_week(call: Call) -> Any:
    """BranchDayOfWeekOperator.choose_branch (standard provider 1.21)."""
    from .sensors import week_day_numbers

    days = week_day_numbers(call.args.get("week_day"))
    now = _branch_now(call)
    if not call.args.get("use_task_logical_date"):
        now = now.astimezone(_dag_tz(call))
    key = "follow_task_ids_if_true" if now.isoweekday() in days else "follow_task_ids_if_false"
    chosen = call.args.get(key)
    call.journal.info(f"Branch into {chosen}")
    follow_branches(call, chosen, None)
    return None
