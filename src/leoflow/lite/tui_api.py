"""The dashboard's client of a Lite's HTTP API (`/api/v2`, `/ui`), the same API the browser uses.

Every call is bounded (`ClientTimeout`); every failure (connection refused, timeout, an error
status, a body that is not the expected JSON) is raised as one `APIError` whose message fits on
the dashboard's notice line.
"""

from __future__ import annotations

import asyncio
import os
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

import aiohttp

from leoflow.errors import LeoflowError

HTTP_TIMEOUT_S = 3.0
FINISHED = frozenset({"success", "failed", "skipped", "upstream_failed", "removed"})
CLEARABLE = frozenset({"failed", "upstream_failed"})

JSON = dict[str, Any]


class APIError(LeoflowError):
    """A call to the Lite's API failed; the message says which and why, in one line."""


def _q(part: str) -> str:
    return quote(part, safe="")


def ti_key(ti: JSON) -> str:
    """A task instance's key within its run: `task_id` or `task_id[map_index]`."""
    index = int(ti.get("map_index", -1))
    return str(ti["task_id"]) if index < 0 else f"{ti['task_id']}[{index}]"


@dataclass(slots=True, kw_only=True)
class Snapshot:
    """One read of everything the dashboard shows; `dag_id`/`run_id`/`ti` are what the detail
    panes were read for (the selection at the time of the read)."""

    dags: list[JSON] = field(default_factory=list)
    import_errors: list[JSON] = field(default_factory=list)
    health: JSON = field(default_factory=dict)
    dag_id: str | None = None
    runs: list[JSON] = field(default_factory=list)
    run_id: str | None = None
    tis: list[JSON] = field(default_factory=list)
    ti: JSON | None = None


class LiteAPI:
    """A JSON client of `base` (`http://host:port`); open with `start()`, close with `close()`."""

    def __init__(self, base: str, *, timeout_s: float = HTTP_TIMEOUT_S) -> None:
        self.base = base.rstrip("/")
        self.timeout_s = timeout_s
        self._session: aiohttp.ClientSession | None = None

    def start(self) -> None:
        self._session = aiohttp.ClientSession(
            timeout=aiohttp.ClientTimeout(total=self.timeout_s),
            headers={"Accept": "application/json"},
        )

    async def close(self) -> None:
        if self._session is not None:
            await self._session.close()
            self._session = None

    async def call(
        self, method: str, path: str, *, body: Any = None, params: dict[str, Any] | None = None
    ) -> Any:
        """`method path` (relative to the base URL); the decoded JSON body, or APIError."""
        if self._session is None:
            raise APIError("the dashboard's HTTP client is not started")
        what = f"{method} {path.split('?')[0]}"
        try:
            async with self._session.request(
                method, self.base + path, json=body, params=params
            ) as resp:
                data = await resp.json(content_type=None)
                if resp.status >= 400:
                    detail = data.get("detail") if isinstance(data, dict) else data
                    raise APIError(f"{what}: HTTP {resp.status}: {detail}")
                return data
        except aiohttp.ClientConnectionError as exc:
            raise APIError(f"cannot reach {self.base} ({_reason(exc)})") from exc
        except TimeoutError as exc:
            raise APIError(f"{what}: no answer within {self.timeout_s:.0f} s") from exc
        except (aiohttp.ClientError, ValueError) as exc:
            raise APIError(f"{what}: unexpected response ({exc.__class__.__name__})") from exc

    # ---------------------------------------------------------------- reads

    async def dags(self, pattern: str, runs_per_dag: int) -> list[JSON]:
        """The DAGs (id order, at most 200) with their latest runs, newest first (`/ui/dags`)."""
        params: dict[str, Any] = {
            "limit": 200,
            "order_by": "dag_id",
            "dag_runs_limit": runs_per_dag,
            "exclude_stale": "true",
        }
        if pattern:
            params["dag_id_pattern"] = pattern
        data = await self.call("GET", "/ui/dags", params=params)
        return list(_field(data, "dags"))

    async def import_errors(self) -> list[JSON]:
        data = await self.call("GET", "/api/v2/importErrors", params={"limit": 50})
        return list(_field(data, "import_errors"))

    async def health(self) -> JSON:
        data = await self.call("GET", "/api/v2/monitor/health")
        return data if isinstance(data, dict) else {}

    async def runs(self, dag_id: str, limit: int) -> list[JSON]:
        """The DAG's latest runs, newest first."""
        data = await self.call(
            "GET",
            f"/api/v2/dags/{_q(dag_id)}/dagRuns",
            params={"limit": limit, "order_by": "-run_after"},
        )
        return list(_field(data, "dag_runs"))

    async def task_instances(self, dag_id: str, run_id: str) -> list[JSON]:
        data = await self.call(
            "GET",
            f"/api/v2/dags/{_q(dag_id)}/dagRuns/{_q(run_id)}/taskInstances",
            params={"limit": 500},
        )
        return list(_field(data, "task_instances"))

    async def log_events(self, dag_id: str, ti: JSON) -> list[JSON]:
        """The structured log lines of the task instance's current try."""
        params = {"map_index": ti["map_index"]} if int(ti.get("map_index", -1)) >= 0 else None
        data = await self.call(
            "GET",
            f"/api/v2/dags/{_q(dag_id)}/dagRuns/{_q(ti['dag_run_id'])}/taskInstances/"
            f"{_q(ti['task_id'])}/logs/{int(ti['try_number'])}",
            params=params,
        )
        content = _field(data, "content")
        return [line for line in content if isinstance(line, dict)]

    async def snapshot(
        self,
        *,
        pattern: str,
        dag_id: str | None,
        run_id: str | None,
        ti: str | None,
        runs_per_dag: int,
        runs_limit: int,
    ) -> Snapshot:
        """Read the DAG list, import errors and health at once, then the runs of `dag_id` (or
        the first DAG), the task instances of `run_id` (or the newest run), and pick `ti` (or
        the first failed, else running, else first task instance)."""
        dags, errors, health = await asyncio.gather(
            self.dags(pattern, runs_per_dag), self.import_errors(), self.health()
        )
        snap = Snapshot(dags=dags, import_errors=errors, health=health)
        ids = [str(d["dag_id"]) for d in dags]
        snap.dag_id = dag_id if dag_id in ids else (ids[0] if ids else None)
        if snap.dag_id is None:
            return snap
        snap.runs = await self.runs(snap.dag_id, runs_limit)
        run_ids = [str(r["dag_run_id"]) for r in snap.runs]
        snap.run_id = run_id if run_id in run_ids else (run_ids[0] if run_ids else None)
        if snap.run_id is None:
            return snap
        snap.tis = await self.task_instances(snap.dag_id, snap.run_id)
        by_key = {ti_key(t): t for t in snap.tis}
        if ti in by_key:
            snap.ti = by_key[ti]
        else:
            for wanted in (CLEARABLE, {"running"}, None):
                pick = [t for t in snap.tis if wanted is None or t.get("state") in wanted]
                if pick:
                    snap.ti = pick[0]
                    break
        return snap

    # ---------------------------------------------------------------- writes

    async def trigger(self, dag_id: str, *, unpause: bool = False) -> JSON:
        """A manual run of `dag_id` now; the new run. With `unpause`, the DAG is unpaused first,
        as the UI's trigger form does by default (a paused DAG's runs do not advance)."""
        if unpause:
            await self.set_paused(dag_id, False)
        data = await self.call(
            "POST", f"/api/v2/dags/{_q(dag_id)}/dagRuns", body={"logical_date": None}
        )
        return data if isinstance(data, dict) else {}

    async def set_paused(self, dag_id: str, paused: bool) -> None:
        await self.call(
            "PATCH",
            f"/api/v2/dags/{_q(dag_id)}",
            body={"is_paused": paused},
            params={"update_mask": "is_paused"},
        )

    async def clear(self, dag_id: str, ti: JSON) -> int:
        """Clear a failed task instance and its downstream tasks in its run; how many."""
        index = int(ti.get("map_index", -1))
        task: Any = ti["task_id"] if index < 0 else [ti["task_id"], index]
        data = await self.call(
            "POST",
            f"/api/v2/dags/{_q(dag_id)}/clearTaskInstances",
            body={
                "dry_run": False,
                "dag_run_id": ti["dag_run_id"],
                "task_ids": [task],
                "only_failed": True,
                "include_downstream": True,
                "reset_dag_runs": True,
            },
        )
        return int(data.get("total_entries", 0)) if isinstance(data, dict) else 0


def _field(data: Any, name: str) -> list[Any]:
    value = data.get(name) if isinstance(data, dict) else None
    if not isinstance(value, list):
        raise APIError(f"unexpected response: no `{name}` list")
    return value


def _reason(exc: aiohttp.ClientConnectionError) -> str:
    cause = getattr(exc, "os_error", None) or exc.__cause__
    errno = getattr(cause, "errno", None)
    if errno:
        return os.strerror(errno).lower()
    return "no connection"  # e.g. every address of `localhost` refused: no single errno
