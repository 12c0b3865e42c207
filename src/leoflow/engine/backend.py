"""The execution API's backend on the store: the server side of ADR 0002.

Every write is a guarded transition on the try that the caller's token was issued for; after a
state report the engine is woken at once so the downstream tasks are decided without a poll.
"""

from __future__ import annotations

import json
import logging
import os
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import func, or_, select, tuple_

from leoflow.api.execution import Caller, Conflict, NotFound, StateReport, TIQuery
from leoflow.engine import repo
from leoflow.engine.runs import RunError
from leoflow.engine.runtime import Engine, LoadedDag, utcnow
from leoflow.scheduler.branching import (
    branch_skips,
    fail_fast_actions,
    short_circuit_skips,
    skip_keys,
)
from leoflow.scheduler.mapping import (
    MapCall,
    MissingKey,
    expanded_kwargs,
    iter_references,
    mapped_arguments,
    relevant_map_indexes,
    xcom_plain,
)
from leoflow.scheduler.states import FAILED, QUEUED, RUNNING, SKIPPED, UP_FOR_RETRY
from leoflow.store import queries
from leoflow.store.models import DagRun, TaskInstance

log = logging.getLogger(__name__)

_HOSTNAME = os.uname().nodename
PREFETCH_CAP_BYTES = 64 * 1024  # upstream XComs sent with the run context, in JSON text
PREFETCH_REFS_MAX = 10_000  # (version, task) entries remembered
DAG_DOCS_MAX = 256  # run-context DAG docs remembered (one per DAG version)


def _dag_run_doc(run: DagRun) -> dict[str, Any]:
    """A run with the fields of Airflow's execution API DagRun (the task SDK's `dag_run`): the
    run context's and `GET /dag-runs/previous`'s. No consumed asset events yet."""
    return {
        "dag_id": run.dag_id,
        "run_id": run.run_id,
        "logical_date": _iso(run.logical_date),
        "data_interval_start": _iso(run.data_interval_start),
        "data_interval_end": _iso(run.data_interval_end),
        "run_after": _iso(run.run_after),
        "start_date": _iso(run.start_date),
        "end_date": _iso(run.end_date),
        "clear_number": run.clear_number,
        "run_type": run.run_type,
        "state": run.state,
        "conf": run.conf or {},  # a run is stored with a dict (engine.runs.insert_run)
        "triggering_user_name": run.triggering_user_name,
        "consumed_asset_events": [],
        "partition_key": run.partition_key,
        "note": run.note,
    }


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def _jsonable(value: Any) -> Any:
    """A mapped value for the run context (ADR 0002): a tuple (a zipped item, a dict's item)
    in Airflow's serde form, which the agent turns back into a tuple."""
    if isinstance(value, MapCall):
        return {"__type": "mapcall", "value": _jsonable(value.value), "callables": value.callables}
    if isinstance(value, MissingKey):
        return {"__type": "key_error", "key": value.key}
    if isinstance(value, tuple):
        data = [_jsonable(v) for v in value]
        return {"__classname__": "builtins.tuple", "__version__": 1, "__data__": data}
    if isinstance(value, list):
        return [_jsonable(v) for v in value]
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    return value


def _fields_text(caller: Caller, fields: dict[str, Any] | None) -> str | None:
    """Rendered fields as the JSON text JSONB takes, or None (keep the stored ones) when there
    are none or JSONB would refuse them (NaN, a NUL character, a lone surrogate): storing them
    must never fail the end state, as in Airflow."""
    if fields is None:
        return None
    try:
        out = json.dumps(fields, allow_nan=False, ensure_ascii=False)
        out.encode()  # a lone surrogate cannot be encoded
    except (TypeError, ValueError) as exc:
        reason = repr(exc)
    else:
        if "\\u0000" not in out:
            return out
        reason = "a NUL character"
    log.warning(
        "Did not store the rendered fields of a try: %s.",
        reason,
        extra={"event": "ti.rendered_fields_refused", "ti_id": str(caller.ti_id)},
    )
    return None


class EngineBackend:
    """Implements `leoflow.api.execution.ExecutionBackend` for an `Engine`."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._refs: dict[tuple[Any, str], frozenset[tuple[str, str]]] = {}
        self._dag_docs: dict[Any, dict[str, Any]] = {}

    def _dag_doc(self, loaded: LoadedDag) -> dict[str, Any]:
        """The run context's `dag` (ADR 0002): dag.json without its tasks, and the task ids
        joined by spaces (a task id holds none): each try of a 1,000-task DAG decodes one
        string, not a list of 1,000."""
        doc = self._dag_docs.get(loaded.version_id)
        if doc is None:
            doc = {k: v for k, v in loaded.doc.items() if k != "tasks"}
            if isinstance(doc.get("task_ids"), list):
                doc["task_ids"] = " ".join(doc["task_ids"])
            if len(self._dag_docs) >= DAG_DOCS_MAX:
                self._dag_docs.clear()
            self._dag_docs[loaded.version_id] = doc
        return doc

    def _prefetch_refs(self, loaded: LoadedDag, task_id: str) -> frozenset[tuple[str, str]]:
        """The (task id, key) XComs the task's own arguments reference (dag.json XComArgs in
        its init and partial kwargs) of upstreams that are never mapped: what `GET /xcoms`
        without a map index answers with their one value (ADR 0002 `upstream_xcoms`)."""
        found = self._refs.get((loaded.version_id, task_id))
        if found is None:
            doc, model = loaded.tasks[task_id], loaded.model
            refs = set(iter_references(doc.get("init_args") or {}))
            refs |= set(iter_references(doc.get("partial_kwargs") or {}))
            found = frozenset(
                (t, k)
                for t, k in refs
                if t in model.tasks
                and not model.tasks[t].needs_expansion
                and not model.mapped_groups_of(t)
            )
            if len(self._refs) >= PREFETCH_REFS_MAX:
                self._refs.clear()
            self._refs[(loaded.version_id, task_id)] = found
        return found

    async def _ti(self, s: Any, caller: Caller) -> TaskInstance:
        ti = await repo.get_ti(s, caller.ti_id)
        if ti is None:
            raise NotFound(f"task instance {caller.ti_id} does not exist")
        if ti.try_number != caller.try_number:
            raise Conflict(
                f"try {caller.try_number} is stale: the task instance is at try {ti.try_number}"
            )
        return ti

    # ------------------------------------------------------------------ task instance

    async def _run(self, s: Any, dag_id: str, run_id: str) -> DagRun:
        """The try's run: the engine's copy while it runs the run, else the store's row."""
        run = self.engine.cached_run(dag_id, run_id) or await repo.get_run(s, dag_id, run_id)
        if run is None:
            raise NotFound(f"no dag run {dag_id}/{run_id}")
        return run

    async def run_context(self, caller: Caller) -> dict[str, Any]:
        now = utcnow()
        # The upstream XComs the task's arguments reference, read in the statement that starts
        # the try when the engine knows which task it is (else in a statement of their own).
        expected = self.engine.cached_task_of(caller.ti_id)
        refs = frozenset() if expected is None else self._prefetch_refs(*expected)
        # Autocommit: the guarded start is the one write; what follows only reads.
        async with self.engine.autocommit() as s:
            started = await repo.start_try_with_xcoms(
                self.engine.fast,
                caller.ti_id,
                try_number=caller.try_number,
                start_date=now,
                hostname=_HOSTNAME,
                pid=caller.pid,
                refs=refs,
                cap_bytes=PREFETCH_CAP_BYTES,
            )
            if started is None:
                ti = await self._ti(s, caller)
                raise Conflict(f"the task instance is {ti.state}, not queued")
            ti, count, first, upstream = started
            run = await self._run(s, ti.dag_id, ti.run_id)
            assert run.dag_version_id is not None
            loaded = await self.engine._dag_for(s, run.dag_version_id)
            # Only a mapped TI's context reads its run's other TIs (`_mapping`).
            tis = [] if ti.map_index < 0 else await repo.run_tis(s, ti.dag_id, ti.run_id)
            mapping = await self._mapping(s, loaded, ti, tis)
            if expected is None or expected[0] is not loaded or expected[1] != ti.task_id:
                refs = self._prefetch_refs(loaded, ti.task_id)
                upstream = (
                    await repo.upstream_xcoms(
                        self.engine.fast, ti.dag_id, ti.run_id, refs, cap_bytes=PREFETCH_CAP_BYTES
                    )
                    if refs
                    else []
                )
            prev_run = await self.engine.previous_success(run)
        self.engine.note_ti(
            ti.dag_id, ti.run_id, ti.id, state=RUNNING, start_date=now, end_date=None
        )
        self.engine._emit(ti.dag_id, ti.run_id, ti.task_id, ti.map_index, RUNNING, ti.try_number)
        fields = {
            **{f: (str(v) if f == "id" else v) for f, v in zip(repo.TRY_FIELDS, ti, strict=False)},
            "start_date": _iso(now),
            "first_reschedule_date": _iso(first),
        }
        return {
            **self._context_doc(loaded, run, fields, prev_run, mapping),
            "task_reschedule_count": count,
            "upstream_xcoms": [{"task_id": t, "key": k, "value": v} for t, k, v in upstream],
        }

    def _context_doc(
        self,
        loaded: LoadedDag,
        run: DagRun,
        ti: dict[str, Any],
        prev_run: Any,
        mapping: dict[str, Any],
    ) -> dict[str, Any]:
        """A run context (ADR 0002) of the try whose fields are `ti`."""
        prev = (
            {k: (v if k == "run_id" else _iso(v)) for k, v in prev_run._asdict().items()}
            if prev_run is not None
            else {}
        )
        return {
            "task": loaded.tasks[ti["task_id"]],
            "dag": self._dag_doc(loaded),
            "ti": ti,
            "dag_run": _dag_run_doc(run),
            "prev": prev,
            **mapping,
            "task_reschedule_count": 0,
            "upstream_xcoms": [],
        }

    async def callback_context(self, caller: Caller) -> dict[str, Any]:
        """The context of a try that has ended, for its DAG's run callbacks (what Airflow's
        DagCallbackRequest carries as `context_from_server`): read only, nothing starts; the
        try's `ti` has its end state and dates."""
        async with self.engine.autocommit() as s:
            ti = await self._ti(s, caller)
            run = await repo.get_run(s, ti.dag_id, ti.run_id)  # the store's: its end state
            if run is None or run.dag_version_id is None:
                raise NotFound(f"no dag run {ti.dag_id}/{ti.run_id}")
            loaded = await self.engine._dag_for(s, run.dag_version_id)
            tis = [] if ti.map_index < 0 else await repo.run_tis(s, ti.dag_id, ti.run_id)
            mapping = await self._mapping(s, loaded, ti, tis)
            prev_run = await self.engine.previous_success(run)
        fields = {f: getattr(ti, f) for f in repo.TRY_FIELDS}
        fields["id"] = str(ti.id)
        fields.update(
            state=ti.state,
            start_date=_iso(ti.start_date),
            end_date=_iso(ti.end_date),
            first_reschedule_date=None,
        )
        return self._context_doc(loaded, run, fields, prev_run, mapping)

    async def _mapping(
        self, s: Any, loaded: LoadedDag, ti: Any, tis: Sequence[TaskInstance]
    ) -> dict[str, Any]:
        """The mapping part of the run context (ADR 0002): `expanded` (the TI's own mapped
        kwargs), `mapped_arguments` (what its enclosing mapped task groups' arguments are at
        this map index) and `upstream_map_indexes` (which map indexes of each upstream it reads)."""
        model = loaded.model
        node = model.tasks[ti.task_id]
        groups = model.mapped_groups_of(ti.task_id)
        by_task: dict[str, list[int]] = {}
        for other in tis:
            by_task.setdefault(other.task_id, []).append(other.map_index)
        out: dict[str, Any] = {
            "expanded": None,
            "mapped_arguments": None,
            "expanded_ti_count": None,
            "upstream_map_indexes": {},
            # What Airflow's task runner reads from the DAG: whether the return value must be
            # mappable, and which upstreams an XComArg resolves lazily (a list, maybe empty).
            "maps_downstream": ti.task_id in model.expanded_over and not node.is_mapped,
            "mapped_upstreams": sorted(u for u in node.upstream if model.tasks[u].is_mapped),
        }
        if ti.map_index < 0:
            out["upstream_map_indexes"] = dict.fromkeys(node.upstream)
            return out
        inputs = [node.expand_input] if node.is_mapped and node.expand_input else []
        inputs += [i for g in groups if (i := model.task_groups[g].expand_input) is not None]
        values: dict[tuple[str, str], Any] = {}
        for task_id, key in {r for i in inputs if i for r in iter_references(i)}:
            rows = await repo.get_xcoms(self.engine.fast, ti.dag_id, ti.run_id, task_id, key, None)
            mapped = any(i >= 0 for i in by_task.get(task_id, [-1]))
            values[(task_id, key)] = xcom_plain(
                [v for _, v in rows] if mapped else (rows[0][1] if rows else None)
            )

        def get(task_id: str, key: str) -> Any:
            return values.get((task_id, key))

        def length(task_id: str, key: str) -> int | None:
            v = values.get((task_id, key))
            return len(v) if isinstance(v, list | tuple | dict) else None

        if node.is_mapped and node.expand_input is not None:
            out["expanded"] = _jsonable(
                expanded_kwargs(node.expand_input, ti.map_index, get, length)
            )
        if groups:
            out["mapped_arguments"] = _jsonable(
                mapped_arguments(model, ti.task_id, ti.map_index, get, length)
            )
        ti_count = sum(1 for i in by_task.get(ti.task_id, []) if i >= 0)
        out["expanded_ti_count"] = ti_count
        ups: dict[str, int | list[int] | None] = {}
        for up in node.upstream:
            found = relevant_map_indexes(model, ti.task_id, ti.map_index, ti_count, up, length)
            ups[up] = list(found) if isinstance(found, range) else found
        out["upstream_map_indexes"] = ups
        return out

    async def heartbeat(self, caller: Caller) -> bool:
        return await repo.heartbeat(self.engine.fast, caller.ti_id, try_number=caller.try_number)

    async def set_rendered_fields(self, caller: Caller, fields: dict[str, Any]) -> None:
        """Store the rendered template fields of the running try (Airflow's RTIF)."""
        if not await repo.set_rendered_fields(
            self.engine.fast, caller.ti_id, try_number=caller.try_number, fields=fields
        ):
            raise Conflict(f"try {caller.try_number} of {caller.ti_id} is not running")

    async def report_state(self, caller: Caller, report: StateReport) -> None:
        if self.engine.stopping:  # past a graceful stop's grace: what it kills is reset instead
            raise Conflict("the scheduler is stopping: this try is reset and runs again")
        now = utcnow()
        end = report.end_date or now
        emitted: list[tuple[str, int, str, int]] = []
        kills: list[Any] = []
        # The end (state, return-value XComs, rendered fields) is one guarded statement; a
        # plain end runs it alone on the asyncpg pool, one that writes more (history,
        # reschedule, branch skips, fail_fast) runs it in the transaction of the rest.
        atomic = report.state not in ("success", "skipped") or report.next_branch is not None
        async with self.engine.sessions.begin() if atomic else self.engine.autocommit() as s:
            ended = await repo.end_try_with_xcoms(
                s if atomic else self.engine.fast,
                caller.ti_id,
                try_number=caller.try_number,
                state=report.state,
                end_date=end,
                xcoms=report.xcoms,
                rendered_fields=_fields_text(caller, report.rendered_fields),
                rendered_map_index=report.rendered_map_index,
            )
            if ended is None:
                ti = await self._ti(s, caller)
                raise Conflict(f"the task instance is {ti.state}, not running")
            ti = ended
            duration = ti.duration
            emitted.append((ti.task_id, ti.map_index, report.state, ti.try_number))
            if report.state == UP_FOR_RETRY:  # the row holds the try's end as just written
                await repo.record_history(s, ti, state=FAILED)
            elif report.state == "up_for_reschedule" and report.reschedule_date is not None:
                await repo.add_reschedule(
                    s,
                    ti_id=ti.id,
                    try_number=ti.try_number,
                    start_date=ti.start_date or now,
                    end_date=end,
                    duration=duration or 0.0,
                    reschedule_date=report.reschedule_date,
                )
                self.engine.arm_reschedule((ti.dag_id, ti.run_id), report.reschedule_date)
            run = await self._run(s, ti.dag_id, ti.run_id)
            assert run is not None
            assert run.dag_version_id is not None
            loaded = await self.engine._dag_for(s, run.dag_version_id)
            model = loaded.model
            skips: frozenset[str] = frozenset()
            node = model.tasks[ti.task_id]
            if report.state == "success" and report.next_branch is not None:
                try:
                    if report.skip_descendants:
                        skips = short_circuit_skips(
                            model, ti.task_id, ignore_downstream_trigger_rules=True
                        )
                    elif node.is_short_circuit and not report.next_branch:
                        skips = short_circuit_skips(
                            model, ti.task_id, ignore_downstream_trigger_rules=False
                        )
                    else:
                        skips = branch_skips(model, ti.task_id, report.next_branch)
                except Exception as exc:
                    log.warning(
                        "Ignored an invalid branch choice: %s",
                        exc,
                        extra={"event": "ti.bad_branch", "task_id": ti.task_id},
                    )
            actions: dict[tuple[str, int], str] = {}
            if skips:
                tis = await repo.run_tis(s, ti.dag_id, ti.run_id)
                states = {(t.task_id, t.map_index): t.state for t in tis}
                for k in skip_keys(states, skips, map_index=ti.map_index):
                    actions[k] = SKIPPED
            if report.state == "success" and report.skip_tasks:
                # DownstreamTasksSkipped, as Airflow's ti_skip_downstream: what has not run
                # (not running nor finished as success or failed) is skipped
                tis = await repo.run_tis(s, ti.dag_id, ti.run_id)
                for other in tis:
                    key = (other.task_id, other.map_index)
                    if key in report.skip_tasks and other.state not in (
                        RUNNING,
                        "success",
                        FAILED,
                    ):
                        actions[key] = SKIPPED
            if report.state == FAILED and model.fail_fast:
                tis = await repo.run_tis(s, ti.dag_id, ti.run_id)
                states = {(t.task_id, t.map_index): t.state for t in tis}
                actions.update(fail_fast_actions(model, states, (ti.task_id, ti.map_index)))
            if actions:
                tis = await repo.run_tis(s, ti.dag_id, ti.run_id)
                for other in tis:
                    new = actions.get((other.task_id, other.map_index))
                    if new is None:
                        continue
                    if await repo.transition_ti(  # as Airflow's set_state: start_date too
                        s,
                        other.id,
                        expected=other.state,
                        state=new,
                        end_date=now,
                        start_date=func.coalesce(TaskInstance.start_date, now),
                    ):
                        emitted.append((other.task_id, other.map_index, new, other.try_number))
                        if other.state in (QUEUED, RUNNING):
                            kills.append(other.id)
            dag_id, run_id = ti.dag_id, ti.run_id
        if actions:
            self.engine.forget(dag_id, run_id)  # it moved other task instances too
        else:
            self.engine.note_ti(
                dag_id, run_id, ti.id, state=report.state, end_date=end, duration=duration
            )
        self.engine._reported[(caller.ti_id, caller.try_number)] += 1
        for task_id, map_index, state, tn in emitted:
            self.engine._emit(dag_id, run_id, task_id, map_index, state, tn)
        for ti_id in kills:
            await self.engine.executor.kill(ti_id, "fail_fast")
        self.engine._wake((dag_id, run_id))

    # ------------------------------------------------------------------ xcom, ...

    async def get_xcom(
        self, dag_id: str, run_id: str, task_id: str, key: str, map_index: int | None
    ) -> Any:
        rows = await repo.get_xcoms(self.engine.fast, dag_id, run_id, task_id, key, map_index)
        async with self.engine.autocommit() as s:
            if map_index is not None:
                if not rows:
                    raise NotFound(f"no XCom {key!r} of {task_id}[{map_index}]")
                return rows[0][1]
            cache = self.engine.cached_run_tis(dag_id, run_id)
            run = self.engine.cached_run(dag_id, run_id)
            if cache is not None and run is not None and not await self._may_map(s, run, task_id):
                tis = []  # its one task instance has map index -1: no scan of the run
            elif cache is not None:
                tis = [t.map_index for t in cache if t.task_id == task_id]
            else:
                tis = list(
                    (
                        await s.execute(
                            select(TaskInstance.map_index).where(
                                TaskInstance.dag_id == dag_id,
                                TaskInstance.run_id == run_id,
                                TaskInstance.task_id == task_id,
                            )
                        )
                    ).scalars()
                )
        if tis and max(tis) >= 0:  # Airflow's XCom.get_all: the values that exist, by map index
            return [value for mi, value in rows if mi >= 0]
        for mi, value in rows:
            if mi == -1:
                return value
        raise NotFound(f"no XCom {key!r} of {dag_id}/{run_id}/{task_id}")

    async def _may_map(self, s: Any, run: DagRun, task_id: str) -> bool:
        """Whether the task may have mapped task instances in this run (mapped itself or in a
        mapped task group of the run's DAG version)."""
        if run.dag_version_id is None:
            return True
        model = (await self.engine._dag_for(s, run.dag_version_id)).model
        node = model.tasks.get(task_id)
        return node is None or node.is_mapped or bool(model.mapped_groups_of(task_id))

    async def set_xcom(
        self,
        caller: Caller,
        dag_id: str,
        run_id: str,
        task_id: str,
        key: str,
        map_index: int,
        value: Any,
    ) -> None:
        async with self.engine.autocommit() as s:
            await self._run(s, dag_id, run_id)
            await repo.set_xcom(s, dag_id, run_id, task_id, key, map_index, value)

    async def get_variable(self, key: str) -> Any:
        env = os.environ.get(f"AIRFLOW_VAR_{key.upper()}")
        if env is not None:
            return env
        async with self.engine.autocommit() as s:
            value = await repo.get_variable(s, key)
        if value is repo.UNSET:
            raise NotFound(f"variable {key!r} does not exist")
        return value

    async def set_variable(self, key: str, value: str | None, description: str | None) -> None:
        async with self.engine.sessions.begin() as s:
            await queries.set_variable(s, key, value, description=description)

    async def delete_variable(self, key: str) -> None:
        async with self.engine.sessions.begin() as s:
            await queries.delete_variable(s, key)  # none to delete: done all the same

    async def get_connection(self, conn_id: str) -> dict[str, Any]:
        env = os.environ.get(f"AIRFLOW_CONN_{conn_id.upper()}")
        if env is not None and env.lstrip().startswith("{"):
            data = json.loads(env)
            return {"conn_id": conn_id, **data}
        async with self.engine.autocommit() as s:
            conn = await repo.get_connection(s, conn_id)
        if conn is None:
            raise NotFound(f"connection {conn_id!r} is not defined")
        return {
            "conn_id": conn.conn_id,
            "conn_type": conn.conn_type,
            "host": conn.host,
            "schema": conn.schema,
            "login": conn.login,
            "password": conn.password,
            "port": conn.port,
            "extra": conn.extra,
            "description": conn.description,
        }

    async def add_asset_event(
        self, caller: Caller, asset: dict[str, Any], extra: dict[str, Any]
    ) -> None:
        async with self.engine.sessions.begin() as s:
            ti = await repo.get_ti(s, caller.ti_id)
            source: dict[str, Any] = (
                {
                    "source_dag_id": ti.dag_id,
                    "source_run_id": ti.run_id,
                    "source_task_id": ti.task_id,
                    "source_map_index": ti.map_index,
                }
                if ti is not None
                else {}
            )
            uri = str(asset.get("uri") or asset.get("name") or "")
            asset_id = await queries.upsert_asset(
                s,
                str(asset.get("name") or uri),
                uri,
                group=str(asset.get("group") or "asset"),
                extra=asset.get("extra") or {},
            )
            # Records the event and queues it for every DAG scheduled on the asset (ADRQ).
            _event, consumers = await queries.record_asset_event(s, asset_id, extra=extra, **source)
        if consumers and self.engine.dagruns is not None:
            self.engine.dagruns.wake()

    async def asset_events(self, name: str | None, uri: str | None) -> list[dict[str, Any]]:
        async with self.engine.autocommit() as s:
            return await repo.asset_events(s, name=name, uri=uri)

    async def task_states(
        self,
        dag_id: str,
        run_id: str | None,
        task_ids: list[str],
        *,
        logical_date: datetime | None = None,
    ) -> dict[str, Any]:
        """The run's state and its tasks' states; the run is named by id or by logical date
        (ExternalTaskSensor). No such run: every state is null."""
        async with self.engine.autocommit() as s:
            run = (
                await repo.get_run(s, dag_id, run_id)
                if run_id is not None
                else await repo.run_at(s, dag_id, logical_date)
            )
            if run is None:
                return {"dag_run_state": None, "states": dict.fromkeys(task_ids)}
            states = await repo.task_states(s, dag_id, run.run_id, task_ids)
            return {"dag_run_state": run.state, "states": states}

    async def dag_run_state(self, dag_id: str, run_id: str) -> str:
        async with self.engine.autocommit() as s:
            run = await repo.get_run(s, dag_id, run_id)
        if run is None:
            raise NotFound(f"DAG {dag_id!r} has no run {run_id!r}")
        return run.state

    # ------------------------------------------------------------------ Airflow's TI queries

    @staticmethod
    def _ti_filters(query: TIQuery, *, with_task_ids: bool = True) -> list[Any]:
        """The WHERE of Airflow's task instance count / states routes (TI.logical_date is its
        run's)."""
        ti = TaskInstance
        out: list[Any] = [ti.dag_id == query.dag_id]
        if with_task_ids and query.task_ids:
            out.append(ti.task_id.in_(query.task_ids))
        if query.map_index is not None:
            out.append(ti.map_index == query.map_index)
        if query.logical_dates:
            runs = select(DagRun.run_id).where(
                DagRun.dag_id == query.dag_id, DagRun.logical_date.in_(query.logical_dates)
            )
            out.append(ti.run_id.in_(runs))
        if query.run_ids:
            out.append(ti.run_id.in_(query.run_ids))
        return out

    async def _group_tis(self, s: Any, query: TIQuery, group_id: str) -> list[Any]:
        """Airflow's `_get_group_tasks`: (run_id, task_id, map_index, state) of the task
        instances of every task in the group (nested groups included) of the DAG's latest
        version; NotFound (Airflow's message) for an unknown DAG or group."""
        version_id = await repo.latest_version(s, query.dag_id)
        if version_id is None:
            raise NotFound(f"The Dag with ID: `{query.dag_id}` was not found")
        model = (await self.engine._dag_for(s, version_id)).model
        if group_id not in model.task_groups:
            raise NotFound(f"Task group {group_id} not found in DAG {query.dag_id}")
        ti = TaskInstance
        stmt = select(ti.run_id, ti.task_id, ti.map_index, ti.state).where(
            *self._ti_filters(query, with_task_ids=False),
            ti.task_id.in_(model.group_tasks(group_id)),
        )
        return list(await s.execute(stmt))

    async def ti_count(self, query: TIQuery, states: tuple[str, ...]) -> int:
        """Airflow's `get_task_instance_count`: a task group narrows to its (task_id,
        map_index) pairs (the group id itself at -1 when it has none); "null" in `states`
        matches no state."""
        ti = TaskInstance
        stmt = select(func.count()).select_from(ti).where(*self._ti_filters(query))
        async with self.engine.autocommit() as s:
            if query.task_group_id:
                group = await self._group_tis(s, query, query.task_group_id)
                pairs = [(r.task_id, r.map_index) for r in group] or [(query.task_group_id, -1)]
                stmt = stmt.where(tuple_(ti.task_id, ti.map_index).in_(pairs))
            if "null" in states:
                named = [st for st in states if st != "null"]
                stmt = stmt.where(
                    or_(ti.state.is_(None), ti.state.in_(named)) if named else ti.state.is_(None)
                )
            elif states:
                stmt = stmt.where(ti.state.in_(states))
            return int((await s.execute(stmt)).scalar() or 0)

    async def ti_states(self, query: TIQuery) -> dict[str, dict[str, str | None]]:
        """Airflow's `get_task_instance_states`: {run_id: {task_id, or f"{task_id}_{map_index}"
        when mapped: state}}; with a task group, its task instances (and those of `task_ids`
        when given: Airflow adds both)."""
        ti = TaskInstance
        async with self.engine.autocommit() as s:
            rows = list(
                await s.execute(
                    select(ti.run_id, ti.task_id, ti.map_index, ti.state).where(
                        *self._ti_filters(query)
                    )
                )
            )
            if query.task_group_id:
                group = await self._group_tis(s, query, query.task_group_id)
                rows = rows + group if query.task_ids else group
        out: dict[str, dict[str, str | None]] = {}
        for run_id, task_id, map_index, state in rows:
            key = task_id if map_index < 0 else f"{task_id}_{map_index}"
            out.setdefault(run_id, {})[key] = state
        return out

    async def previous_ti(
        self,
        dag_id: str,
        task_id: str,
        *,
        logical_date: datetime | None,
        map_index: int,
        state: str | None,
    ) -> dict[str, Any] | None:
        """Airflow's `get_previous_task_instance`: the task's task instance at `map_index` of
        the run with the latest logical date (before `logical_date` when given), in `state`
        when given, as PreviousTIResponse; None if there is none."""
        ti, dr = TaskInstance, DagRun
        stmt = (
            select(
                ti.task_id,
                ti.dag_id,
                ti.run_id,
                dr.logical_date,
                ti.start_date,
                ti.end_date,
                ti.state,
                ti.try_number,
                ti.map_index,
                ti.duration,
            )
            .join(dr, (ti.dag_id == dr.dag_id) & (ti.run_id == dr.run_id))
            .where(ti.dag_id == dag_id, ti.task_id == task_id, ti.map_index == map_index)
            .order_by(dr.logical_date.desc())
            .limit(1)
        )
        if logical_date:
            stmt = stmt.where(dr.logical_date < logical_date)
        if state:
            stmt = stmt.where(ti.state == state)
        async with self.engine.autocommit() as s:
            row = (await s.execute(stmt)).first()
        if row is None:
            return None
        return {k: (_iso(v) if isinstance(v, datetime) else v) for k, v in row._asdict().items()}

    async def dag_run_count(
        self,
        dag_id: str,
        *,
        logical_dates: tuple[datetime, ...],
        run_ids: tuple[str, ...],
        states: tuple[str, ...],
    ) -> int:
        """Airflow's `get_dr_count`: the DAG's runs at these logical dates, ids and states."""
        stmt = select(func.count()).select_from(DagRun).where(DagRun.dag_id == dag_id)
        if logical_dates:
            stmt = stmt.where(DagRun.logical_date.in_(logical_dates))
        if run_ids:
            stmt = stmt.where(DagRun.run_id.in_(run_ids))
        if states:
            stmt = stmt.where(DagRun.state.in_(states))
        async with self.engine.autocommit() as s:
            return int((await s.execute(stmt)).scalar() or 0)

    async def previous_dag_run(
        self, dag_id: str, logical_date: datetime, state: str | None
    ) -> dict[str, Any] | None:
        """Airflow's `get_previous_dagrun`: the DAG's run with the latest logical date before
        `logical_date` (in `state` when given), with the fields of Airflow's execution API
        DagRun (no consumed asset events, as in the run context); None if there is none."""
        stmt = (
            select(DagRun)
            .where(DagRun.dag_id == dag_id, DagRun.logical_date < logical_date)
            .order_by(DagRun.logical_date.desc())
            .limit(1)
        )
        if state:
            stmt = stmt.where(DagRun.state == state)
        async with self.engine.autocommit() as s:
            run = (await s.execute(stmt)).scalar()
        return None if run is None else _dag_run_doc(run)

    async def trigger_dag_run(
        self, caller: Caller, dag_id: str, body: dict[str, Any]
    ) -> dict[str, Any]:
        logical = body.get("logical_date")
        logical_date = datetime.fromisoformat(logical) if isinstance(logical, str) else None
        after = body.get("run_after")  # the operator's (its logical date by default)
        try:
            run_id = await self.engine.create_run(
                dag_id,
                logical_date=logical_date,
                conf=body.get("conf") or {},
                run_id=body.get("run_id"),
                triggered_by="operator",
                run_after=datetime.fromisoformat(after) if isinstance(after, str) else None,
                start=self.engine.run_triggered,
            )
        except RunError as exc:
            if "already has a run" in str(exc):
                raise Conflict(str(exc)) from exc
            raise NotFound(str(exc)) from exc
        return {"dag_id": dag_id, "run_id": run_id, "state": "queued", "logical_date": logical}
