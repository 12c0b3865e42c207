"""Exceptions of the agent and how a try's exception maps to Airflow's end state.

User code raises the shim's `airflow.exceptions` classes, or the real ones on the generic path; the
agent matches them by class name along the MRO so that both work without importing either.
"""

from __future__ import annotations

import os
import traceback
from datetime import datetime
from typing import Any

AGENT_DIR = os.path.dirname(os.path.abspath(__file__))


class AgentError(Exception):
    """A task-level problem found by the agent (bad input, missing variable, ...): the try fails."""


class AirflowException(AgentError):
    """What Airflow raises as AirflowException (a failed bash command, a bad cwd, ...): the try
    fails, and its log names the exception as Airflow's does."""


class XComForMappingNotPushed(TypeError):
    """A task a mapped task expands over pushed nothing (Airflow's task runner)."""

    def __str__(self) -> str:
        return "did not push XCom for task mapping"


class UnmappableXComTypePushed(TypeError):
    """A task a mapped task expands over pushed a value that is not a list or dict."""

    def __str__(self) -> str:
        return f"unmappable return type {type(self.args[0]).__qualname__!r}"


class XComNotFound(Exception):
    """An XComArg of the task's arguments references an XCom that does not exist."""


class AirflowRuntimeError(Exception):
    """An error the execution API answered to a request of the task (Airflow's task process
    raises it from the supervisor's ErrorResponse: "API_SERVER_ERROR: {...}")."""

    def __init__(self, status_code: int, detail: dict[str, str]) -> None:
        body = {
            "status_code": status_code,
            "message": "Server returned error",
            "detail": {"detail": detail},
        }
        super().__init__(f"API_SERVER_ERROR: {body}")
        self.status_code, self.detail = status_code, detail


def unmappable_length_pushed() -> AirflowRuntimeError:
    """The execution API refuses a return value longer than core.max_map_length (1,024) from a
    task that a mapped task expands over (400 `unmappable_return_value_length`)."""
    return AirflowRuntimeError(
        400,
        {
            "reason": "unmappable_return_value_length",
            "message": "pushed value is too large to map as a downstream's dependency",
        },
    )


class AirflowNotFoundException(Exception):
    """A connection the task needs is not defined (Airflow's "The conn_id `x` isn't defined")."""


class AirflowTaskTimeout(BaseException):
    """`execution_timeout` passed; a BaseException so that `except Exception` cannot swallow it."""


class AirflowSkipException(Exception):
    """Raised by native operators to end the try as `skipped`."""


class AirflowFailException(Exception):
    """Raised by native operators to end the try as `failed` without retrying."""


class AirflowSensorTimeout(Exception):
    """A sensor did not succeed within its `timeout`: `failed` without retrying, as Airflow."""


class AirflowRescheduleException(Exception):
    """A reschedule-mode sensor asks to be run again at `reschedule_date`."""

    def __init__(self, reschedule_date: datetime) -> None:
        super().__init__(f"reschedule at {reschedule_date.isoformat()}")
        self.reschedule_date = reschedule_date


class TaskDeferred(BaseException):
    """An operator tried to defer; Leoflow has no triggerer, so the try fails with this message."""


class StopRequested(BaseException):
    """The server answered 409 to a heartbeat: the try must stop without reporting."""


def class_names(exc: BaseException) -> set[str]:
    """Names of every class in the exception's MRO (so subclasses of Airflow's classes match)."""
    return {cls.__name__ for cls in type(exc).__mro__}


def end_state(exc: BaseException | None, *, try_number: int, max_tries: int) -> str:
    """The state a try ends in, decided as Airflow's task runner does."""
    if exc is None:
        return "success"
    names = class_names(exc)
    if "DownstreamTasksSkipped" in names:
        return "success"  # and the tasks it names are skipped
    if "AirflowSkipException" in names:
        return "skipped"
    if "AirflowRescheduleException" in names:
        return "up_for_reschedule"
    if names & {"AirflowFailException", "AirflowSensorTimeout", "TaskDeferred"}:
        return "failed"
    if "AirflowTaskTerminated" in names:
        return "failed"  # no retry, as Airflow's task runner
    if try_number <= max_tries:
        return "up_for_retry"
    return "failed"


# --- how a failure is logged ------------------------------------------------------------------
def _user_frames(tb: Any) -> list[traceback.FrameSummary]:
    return [
        f for f in traceback.extract_tb(tb) if not os.path.abspath(f.filename).startswith(AGENT_DIR)
    ]


def error_detail(exc: BaseException) -> list[dict[str, Any]]:
    """The exception as Airflow logs it (structlog's dict traceback, the `error_detail` the UI
    shows folded): the exception, then its cause or context, each with the user's frames (not
    the agent's)."""
    stacks: list[dict[str, Any]] = []
    seen: set[int] = set()
    current: BaseException | None = exc
    is_cause = False
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        stacks.append(
            {
                "exc_type": type(current).__name__,
                "exc_value": _safe_str(current),
                "exc_notes": [_safe_str(n) for n in getattr(current, "__notes__", ())],
                "syntax_error": _syntax_error(current),
                "is_cause": is_cause,
                "frames": [
                    {"filename": f.filename, "lineno": f.lineno, "name": f.name}
                    for f in _user_frames(current.__traceback__)
                ],
                "is_group": isinstance(current, BaseExceptionGroup),
                "exceptions": [
                    error_detail(e)
                    for e in (current.exceptions if isinstance(current, BaseExceptionGroup) else ())
                ],
            }
        )
        if isinstance(current, AgentError):
            break  # the agent's own wrapping: its cause is in its message
        if current.__cause__ is not None:
            current, is_cause = current.__cause__, True
        elif current.__context__ is not None and not current.__suppress_context__:
            current, is_cause = current.__context__, False
        else:
            current = None
    return stacks


def _safe_str(value: Any) -> str:
    try:
        return str(value)
    except Exception:
        return f"<str() failed on {type(value).__name__}>"


def _syntax_error(exc: BaseException) -> dict[str, Any] | None:
    if not isinstance(exc, SyntaxError):
        return None
    return {
        "offset": exc.offset or 0,
        "filename": exc.filename or "?",
        "lineno": exc.lineno or 0,
        "line": exc.text or "",
        "msg": exc.msg,
    }
