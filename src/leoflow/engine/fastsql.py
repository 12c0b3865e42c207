"""The engine's hot statements, run on asyncpg directly.

Every try makes a few statements (start, rendered fields, XCom reads, end) and every evaluation
that queues makes two (slot usage, the guarded move). Through SQLAlchemy each one costs ~0.5 ms
of CPU in this process (session, pool checkout with its events, execution context, result
wrapping); the same prepared statement on an asyncpg pool costs a tenth of that. The statements
stay SQLAlchemy Core objects defined in `engine/repo.py` (one definition, one set of guards):
each is compiled once with the engine's dialect, and run here with positional arguments.

Same semantics as the SQLAlchemy path: autocommit (each statement stands on its own, as the
`Engine.autocommit` sessions), JSON parameters serialized by `json.dumps` (a Python None is
JSON null, as SQLAlchemy's JSON type stores it), JSON and JSONB columns decoded by `json.loads`,
timestamps in UTC. Rows are named tuples (attribute and index access, like SQLAlchemy rows).
"""

from __future__ import annotations

import asyncio
import json
from collections import namedtuple
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy.ext.asyncio import AsyncEngine
from sqlalchemy.types import JSON

POOL_MAX = 10  # connections; the SQLAlchemy pool keeps its own for everything else
CONNECT_TIMEOUT_S = 5.0


@dataclass(frozen=True, slots=True)
class _Compiled:
    sql: str
    names: tuple[str, ...]  # the bind parameter of each positional argument
    defaults: Mapping[str, Any]  # values bound in the statement itself (e.g. state = 'running')
    json_params: frozenset[str]


class Result:
    """The rows of one statement, with the few accessors the repo functions use."""

    def __init__(self, rows: Sequence[Any]) -> None:
        self._rows = rows

    def first(self) -> Any:
        return self._rows[0] if self._rows else None

    def __iter__(self) -> Any:
        return iter(self._rows)


class FastSQL:
    """An asyncpg pool on the engine's database (opened on first use, closed by `close`) and
    the compiled forms of the statements run on it. Same interface as `AsyncSession.execute`
    for these statements, so `repo` functions take either."""

    executed = 0  # statements run by every instance (benchmarks count SQL per task)

    def __init__(self, db: AsyncEngine) -> None:
        self._db = db
        self._pool: Any = None
        self._opening = asyncio.Lock()
        self._compiled: dict[int, _Compiled] = {}
        self._row_types: dict[tuple[str, ...], Any] = {}

    async def _connections(self) -> Any:
        if self._pool is None:
            async with self._opening:
                if self._pool is None:
                    import asyncpg  # type: ignore[import-untyped]  # asyncpg ships no type information

                    # The engine's own connect arguments (host or socket, user, ssl, ...).
                    _args, kwargs = self._db.dialect.create_connect_args(self._db.url)
                    kwargs.pop("prepared_statement_cache_size", None)  # SQLAlchemy's option
                    self._pool = await asyncpg.create_pool(
                        **kwargs,
                        min_size=0,
                        max_size=POOL_MAX,
                        timeout=CONNECT_TIMEOUT_S,
                        server_settings={"application_name": "leoflow", "timezone": "UTC"},
                        init=_init_connection,
                        reset=_keep_session,
                    )
        return self._pool

    def _compile(self, stmt: Any) -> _Compiled:
        found = self._compiled.get(id(stmt))
        if found is None:
            compiled = stmt.compile(dialect=self._db.dialect)
            if "POSTCOMPILE" in str(compiled):  # IN (...) expands per call: not a constant
                raise ValueError(f"fastsql runs constant statements only, not {compiled}")
            binds = compiled.binds
            found = _Compiled(
                sql=str(compiled),
                names=tuple(compiled.positiontup or ()),
                defaults={k: v for k, v in compiled.params.items() if v is not None},
                json_params=frozenset(
                    name for name, b in binds.items() if isinstance(b.type, JSON)
                ),
            )
            # Keyed by id: the statements are module constants that live as long as the process.
            self._compiled[id(stmt)] = found
        return found

    async def execute(self, stmt: Any, params: Mapping[str, Any] | None = None) -> Result:
        """Run one statement (a module-level constant of `repo`) with `params`."""
        c = self._compile(stmt)
        values = {**c.defaults, **(params or {})}
        args = [json.dumps(values.get(n)) if n in c.json_params else values.get(n) for n in c.names]
        pool = await self._connections()
        FastSQL.executed += 1
        records = await pool.fetch(c.sql, *args)
        if not records:
            return Result([])
        keys = tuple(records[0].keys())
        row_type: Any = self._row_types.get(keys)
        if row_type is None:
            row_type = self._row_types[keys] = namedtuple("Row", keys, rename=True)
        return Result([row_type(*r) for r in records])

    async def close(self) -> None:
        if self._pool is not None:
            pool, self._pool = self._pool, None
            await pool.close()


async def _init_connection(conn: Any) -> None:
    # Parameters arrive serialized (`execute`); values come back as Python objects.
    for name in ("json", "jsonb"):
        await conn.set_type_codec(
            name, schema="pg_catalog", encoder=_identity, decoder=json.loads, format="text"
        )


async def _keep_session(conn: Any) -> None:
    """Nothing to reset when a connection returns to the pool: these statements set no session
    state (no SET, LISTEN, advisory lock or open transaction), and asyncpg's default reset is
    one more round trip per statement."""


def _identity(value: str) -> str:
    return value
