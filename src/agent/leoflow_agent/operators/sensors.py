"""Sensors: BaseSensorOperator's poke loop and reschedule mode, plus the standard pokes."""

from __future__ import annotations

import glob
import hashlib
import os
import subprocess
import tempfile
import time
from collections.abc import Callable, Iterable
from datetime import UTC, datetime, timedelta
from datetime import time as dtime
from typing import Any

from .. import procs, serde
from ..errors import (
    AgentError,
    AirflowFailException,
    AirflowNotFoundException,
    AirflowRescheduleException,
    AirflowSensorTimeout,
    AirflowSkipException,
    TaskDeferred,
    class_names,
)
from ..logs import STDOUT_LOGGER
from . import Call
from .python import call_python

DEFAULT_TIMEOUT_S = 60 * 60 * 24 * 7.0
DEFAULT_POKE_INTERVAL_S = 60.0
_HARD = {"AirflowSensorTimeout", "AirflowTaskTimeout", "AirflowFailException"}


def _is_done(value: Any) -> tuple[bool, Any]:
    """(done, xcom value) for a poke result: a bool or a PokeReturnValue."""
    if hasattr(value, "is_done") and hasattr(value, "xcom_value"):
        return bool(value.is_done), value.xcom_value
    return bool(value), None


def next_interval(
    call: Call, poke_interval: float, timeout: float, duration: float, poke_count: int, started: Any
) -> float:
    """BaseSensorOperator._get_next_poke_interval (poke-count based backoff)."""
    if not call.args.get("exponential_backoff"):
        return poke_interval
    min_backoff = max(int(poke_interval * (2 ** (poke_count - 2))), 1)
    ti = call.ctx["ti"]
    run_hash = int(
        hashlib.sha1(
            f"{ti.dag_id}#{ti.task_id}#{started}#{poke_count}".encode(), usedforsecurity=False
        ).hexdigest(),
        16,
    )
    interval = min(float(min_backoff + run_hash % min_backoff), timeout - int(duration))
    max_wait = call.args.get("max_wait")
    if max_wait:
        interval = min(serde.to_seconds(max_wait, interval), interval)
    return max(interval, 0.0)


def sensor_loop(call: Call, poke: Callable[[Call], Any]) -> Any:
    """Poke until done; time out (or skip with soft_fail); in reschedule mode, ask to come back."""
    args = call.args
    timeout = serde.to_seconds(args.get("timeout"), DEFAULT_TIMEOUT_S)
    poke_interval = serde.to_seconds(args.get("poke_interval"), DEFAULT_POKE_INTERVAL_S)
    reschedule = args.get("mode") == "reschedule"
    soft_fail = bool(args.get("soft_fail"))
    never_fail = bool(args.get("never_fail"))
    silent_fail = bool(args.get("silent_fail"))
    if reschedule:
        started_dt = call.ctx["ti"].get_first_reschedule_date() or serde.utcnow()
        started: Any = started_dt

        def duration() -> float:
            return (serde.utcnow() - started_dt).total_seconds()
    else:
        started = t0 = time.monotonic()

        def duration() -> float:
            return time.monotonic() - t0

    poke_count = 1
    while True:
        try:
            result = poke(call)
        except BaseException as exc:
            names = class_names(exc)
            if names & _HARD:
                if soft_fail:
                    raise AirflowSkipException("Skipping due to soft_fail is set to True.") from exc
                if never_fail:
                    raise AirflowSkipException(
                        "Skipping due to never_fail is set to True."
                    ) from exc
                raise
            if "AirflowSkipException" in names or not isinstance(exc, Exception):
                raise
            if silent_fail:
                call.journal.error(f"Sensor poke failed: {exc!r}")
                result = False
            elif never_fail:
                raise AirflowSkipException("Skipping due to never_fail is set to True.") from exc
            else:
                raise
        done, xcom_value = _is_done(result)
        if done:
            call.journal.info("Success criteria met. Exiting.")
            return xcom_value
        if duration() > timeout:
            message = (
                f"Sensor has timed out; run duration of {duration()} seconds exceeds "
                f"the specified timeout of {timeout}."
            )
            if soft_fail:
                raise AirflowSkipException(message)
            raise AirflowSensorTimeout(message)
        interval = next_interval(call, poke_interval, timeout, duration(), poke_count, started)
        if reschedule:
            raise AirflowRescheduleException(serde.utcnow() + timedelta(seconds=interval))
        time.sleep(interval)
        poke_count += 1


# --- pokes --------------------------------------------------------------------------------------
def _poke_bash(call: Call) -> bool:
    command = call.args.get("bash_command")
    if not isinstance(command, str):
        raise AgentError("BashSensor needs a bash_command string")
    encoding = call.args.get("output_encoding") or "utf-8"
    with tempfile.TemporaryDirectory(prefix="airflowtmp") as tmp:
        script = os.path.join(tmp, f"{call.task_doc.get('task_id', 'sensor')}.sh")
        with open(script, "w", encoding="utf-8") as fh:
            fh.write(command)
        call.journal.info(f"Running command: {command}")
        env = call.args.get("env")
        proc = subprocess.Popen(
            ["bash", script],
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            cwd=tmp,
            env={str(k): str(v) for k, v in env.items()} if env is not None else None,
            start_new_session=True,
        )
        procs.register(proc)
        try:
            assert proc.stdout is not None
            for raw in iter(proc.stdout.readline, b""):
                call.journal.emit(
                    raw.decode(encoding, "backslashreplace").strip(), logger=STDOUT_LOGGER
                )
            proc.wait()
        finally:
            procs.kill_group(proc)
            procs.unregister(proc)
            if proc.stdout is not None:
                proc.stdout.close()
    call.journal.info(f"Command exited with return code {proc.returncode}")
    if proc.returncode == 0:
        return True
    retry_code = call.args.get("retry_exit_code")
    if retry_code is not None:
        if proc.returncode == retry_code:
            call.journal.info("Return code matches retry code, will retry later")
            return False
        raise AirflowFailException(f"Command exited with return code {proc.returncode}")
    call.journal.info("Non-zero return code and no retry code set, will retry later")
    return False


def run_bash_sensor(call: Call) -> Any:
    return sensor_loop(call, _poke_bash)


def run_python_sensor(call: Call) -> Any:
    return sensor_loop(call, lambda c: call_python(c, log_result=False))


def _poke_file(call: Call) -> bool:
    filepath = call.args.get("filepath")
    conn_id = call.args.get("fs_conn_id") or "fs_default"
    conn = call.ctx["conn"].get(conn_id)
    if conn is None:  # Airflow 3 creates no fs_default: its FSHook fails the same way
        raise AirflowNotFoundException(f"The conn_id `{conn_id}` isn't defined")
    path = os.path.join(conn.extra_dejson.get("path", ""), str(filepath))
    call.journal.info(f"Poking for file {path}")
    for found in glob.glob(path, recursive=bool(call.args.get("recursive"))):
        if os.path.isfile(found):
            call.journal.info(f"Found File {found}")
            return True
        for _, _, files in os.walk(found):
            if files:
                return True
    return False


def run_file_sensor(call: Call) -> Any:
    return sensor_loop(call, _poke_file)


def run_time_delta_sensor(call: Call) -> Any:
    delta = call.args.get("delta")
    if not isinstance(delta, timedelta):
        delta = timedelta(seconds=serde.to_seconds(delta, 0.0))
    base = call.ctx.get("data_interval_end") or call.ctx["dag_run"].run_after
    if base is None:
        raise AgentError("TimeDeltaSensor needs data_interval_end or run_after")
    target = base + delta
    if call.args.get("deferrable") is True:  # Airflow: done at once when the moment has passed
        if serde.utcnow() > target:
            return True
        raise TaskDeferred(
            f"task {call.task_doc.get('task_id')!r} (TimeDeltaSensor) would defer until {target}; "
            "Leoflow has no triggerer, so deferrable operators cannot wait: set deferrable=False"
        )

    def poke(c: Call) -> bool:
        c.journal.info(f"Checking if the delta has elapsed base_time={base}, delta={delta}")
        return serde.utcnow() > target

    return sensor_loop(call, poke)


def run_date_time_sensor(call: Call) -> Any:
    target = call.args.get("target_time")
    if isinstance(target, datetime):
        target = target.isoformat()
    if not isinstance(target, str):
        raise TypeError(
            f"Expected str or datetime.datetime type for target_time. Got {type(target)}"
        )
    moment = serde.parse_dt(target)

    def poke(c: Call) -> bool:
        c.journal.info(f"Checking if the time ({target}) has come")
        return serde.utcnow() > moment  # type: ignore[operator]

    return sensor_loop(call, poke)


def run_time_sensor(call: Call) -> Any:
    target = call.args.get("target_datetime")
    if target is None or serde.is_opaque(target):
        raw = call.args.get("target_time")
        if isinstance(raw, str):
            raw = dtime.fromisoformat(raw)
        if not isinstance(raw, dtime):
            raise AgentError("TimeSensor needs target_time (load the DAG file under the shim)")
        target = datetime.combine(serde.utcnow().date(), raw, raw.tzinfo or UTC)
    target = serde.parse_dt(target)

    def poke(c: Call) -> bool:
        c.journal.info(f"Checking if the time ({target}) has come")
        return serde.utcnow() > target  # type: ignore[operator]

    return sensor_loop(call, poke)


WEEKDAYS = {
    "MONDAY": 1,
    "TUESDAY": 2,
    "WEDNESDAY": 3,
    "THURSDAY": 4,
    "FRIDAY": 5,
    "SATURDAY": 6,
    "SUNDAY": 7,
}


def week_day_numbers(value: Any) -> set[int]:
    """WeekDay.validate_week_day: a name, a WeekDay (int), or an iterable of them."""
    if isinstance(value, str):
        name = value.upper()
        if name not in WEEKDAYS:
            raise AttributeError(f'Invalid Week Day passed: "{value}"')
        return {WEEKDAYS[name]}
    if isinstance(value, int):
        return {int(value)}
    if isinstance(value, Iterable):
        out: set[int] = set()
        for item in value:
            out |= week_day_numbers(item)
        return out
    raise TypeError(f"Unsupported Type for week_day parameter: {type(value)}")


def run_day_of_week_sensor(call: Call) -> Any:
    days = week_day_numbers(call.args.get("week_day"))

    def poke(c: Call) -> bool:
        if c.args.get("use_task_logical_date"):
            when = c.ctx.get("logical_date") or c.ctx["dag_run"].run_after
            if when is None:
                raise ValueError(
                    "Either `logical_date` or `run_after` should be provided in the task context "
                    "when "
                    "`use_task_logical_date` is True"
                )
            return when.isoweekday() in days
        return serde.utcnow().isoweekday() in days

    return sensor_loop(call, poke)


def run_external_task_sensor(call: Call) -> Any:
    args = call.args
    dag_id = args.get("external_dag_id")
    task_ids = list(args.get("external_task_ids") or [])
    if args.get("external_task_id") and not task_ids:
        task_ids = [args["external_task_id"]]
    if args.get("external_task_group_id"):
        raise AgentError(
            "ExternalTaskSensor with external_task_group_id is not supported by Leoflow yet"
        )
    allowed = list(args.get("allowed_states") or ["success"])
    failed = list(args.get("failed_states") or [])
    skipped = list(args.get("skipped_states") or [])
    logical = call.ctx.get("logical_date") or call.ctx["dag_run"].run_after
    delta = args.get("execution_delta")
    if delta is not None and not serde.is_opaque(delta):
        logical = logical - (
            delta if isinstance(delta, timedelta) else timedelta(seconds=float(delta))
        )
    elif serde.is_opaque(args.get("execution_date_fn")) is False and callable(
        args.get("execution_date_fn")
    ):
        logical = args["execution_date_fn"](logical, call.ctx)
    when = serde.iso(logical)

    def poke(c: Call) -> bool:
        answer = c.rt.client.task_states(dag_id, when, task_ids)
        if task_ids:
            states = answer.get("states") or {}
            got = [states.get(t) for t in task_ids]
        else:
            got = [answer.get("dag_run_state")]
        c.journal.info(f"Poking for {dag_id}.{task_ids or ''} on {when}: {got}")
        if failed and any(s in failed for s in got):
            raise AirflowFailException(f"The external task(s) {task_ids} in DAG {dag_id} failed.")
        if skipped and all(s in skipped for s in got):
            raise AirflowSkipException(
                f"The external task(s) {task_ids} in DAG {dag_id} reached a state in our "
                "states-to-skip-on list. Skipping."
            )
        return all(s in allowed for s in got)

    return sensor_loop(call, poke)
