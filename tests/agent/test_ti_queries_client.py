"""The agent's client sends RuntimeTaskInstance's queries as Airflow's client does, and turns an
error answer into Airflow's AirflowRuntimeError."""

from __future__ import annotations

import enum
import sys
from datetime import UTC, datetime
from typing import Any

import pytest

from tests.agent.conftest import AGENT_ROOT

sys.path.insert(0, str(AGENT_ROOT))
from leoflow_agent.client import ApiError, ExecutionClient
from leoflow_agent.errors import AirflowRuntimeError


class _State(str, enum.Enum):  # noqa: UP042 (str() names the class, as Airflow's enums)
    SUCCESS = "success"


class StubClient(ExecutionClient):
    """Records each request; answers `answer`, or raises `error`."""

    def __init__(self, answer: Any = None, error: ApiError | None = None) -> None:
        super().__init__("http://127.0.0.1:1/execution", "token")
        self.answer, self.error = answer, error
        self.sent: list[tuple[str, dict[str, Any] | None]] = []

    def request(self, method: str, path: str, body: Any = None, **kw: Any) -> tuple[int, Any]:
        self.sent.append((path, kw.get("query")))
        if self.error is not None:
            raise self.error
        return 200, self.answer


def test_count_query_as_airflow_client() -> None:
    """None criteria are left out, map_index is sent only when >= 0, dates go as ISO text and
    enum states as their values."""
    c = StubClient(answer=3)
    when = datetime(2025, 1, 1, tzinfo=UTC)
    assert c.get_ti_count("d", map_index=-1, logical_dates=[when], states=[_State.SUCCESS]) == 3
    path, query = c.sent[-1]
    assert path == "/task-instances/count"
    assert query == {
        "dag_id": "d",
        "task_ids": None,
        "task_group_id": None,
        "logical_dates": ["2025-01-01T00:00:00+00:00"],
        "run_ids": None,
        "states": ["success"],
    }
    c.answer = {"task_states": {"r": {"a_0": "success"}}}
    assert c.get_task_states("d", map_index=0, task_ids=["a"]) == {"r": {"a_0": "success"}}
    assert c.sent[-1][1] == {
        "dag_id": "d",
        "task_ids": ["a"],
        "task_group_id": None,
        "logical_dates": None,
        "run_ids": None,
        "map_index": 0,
    }
    c.get_previous_ti("d", "t.x", None, -1, _State.SUCCESS)
    assert c.sent[-1] == ("/task-instances/previous/d/t.x", {"map_index": -1, "state": "success"})


def test_error_answer_is_airflow_runtime_error() -> None:
    """A 404 answer raises AirflowRuntimeError with Airflow's message; an unreachable server
    stays an ApiError."""
    detail = {"reason": "not_found", "message": "Dag run with dag_id 'd' and run_id 'r' was..."}
    c = StubClient(error=ApiError("GET", "/dag-runs/d/r/state", 404, detail))
    with pytest.raises(AirflowRuntimeError) as caught:
        c.get_dagrun_state("d", "r")
    assert str(caught.value).startswith("API_SERVER_ERROR: {'status_code': 404")
    assert caught.value.detail == detail
    c = StubClient(error=ApiError("GET", "/dag-runs/count", 0, "down"))
    with pytest.raises(ApiError):
        c.get_dr_count("d")
