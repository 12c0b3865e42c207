"""Which scheduled task instances the engine queues: the first by priority within the room and
the pools' free slots, the same as ordering every candidate."""

from __future__ import annotations

import random
import uuid
from types import SimpleNamespace
from typing import Any

from leoflow.engine.runtime import _pick


def _reference(cands: list[Any], room: int, pool_room: dict[str, int] | None) -> set[uuid.UUID]:
    """Airflow's order (priority, then scheduled time, task id, map index) over every candidate;
    a pool without a row or free slots skips the task instance (None: pools not counted)."""
    free, chosen = dict(pool_room or {}), set()
    for ti in sorted(cands, key=_order):
        if room <= 0:
            break
        if pool_room is not None:
            left = free.get(ti.pool)
            if left is None or left < ti.pool_slots:
                continue
            free[ti.pool] = left - ti.pool_slots
        room -= 1
        chosen.add(ti.id)
    return chosen


def _order(t: Any) -> tuple[Any, ...]:
    return (-t.priority_weight, t.scheduled_dttm, t.task_id, t.map_index)


def test_pick_matches_ordering_every_candidate() -> None:
    """Over random candidates (ties in priority, pools that fill up, pools without a row, which
    are never queued, room from none to more than the candidates) the picked ids equal those of
    a full ordering, and the chosen come out in priority order; without pool counting (`dags
    test`) too."""
    rng = random.Random(20251128)
    for _ in range(400):
        n = rng.randint(0, 30)
        cands = [
            SimpleNamespace(
                id=uuid.uuid4(),
                priority_weight=rng.randint(1, 4),
                scheduled_dttm=rng.randint(0, 3),
                task_id=f"t{rng.randint(0, 9)}",
                map_index=rng.randint(-1, 3),
                pool=rng.choice(["default_pool", "small", "unknown"]),
                pool_slots=rng.randint(1, 3),
            )
            for _ in range(n)
        ]
        pools = {"default_pool": rng.randint(0, 40), "small": rng.randint(0, 4)}
        room = rng.randint(-2, n + 2)
        before = dict(pools)
        ready, chosen = _pick(cands, room, pools, _order)  # type: ignore[arg-type]
        assert chosen == _reference(cands, room, pools)
        assert not any(t.pool == "unknown" for t in ready if t.id in chosen)
        _, unlimited = _pick(cands, room, None, _order)  # type: ignore[arg-type]
        assert unlimited == _reference(cands, room, None)
        picked = [t for t in ready if t.id in chosen]
        assert picked == sorted(picked, key=_order)
        assert pools == before  # the caller's counts are not spent
