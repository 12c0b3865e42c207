"""The engine runs a DAG document end to end: event-driven scheduling, skips, try numbers."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from tests.engine.conftest import Harness, golden_doc

pytestmark = pytest.mark.slow


async def test_example_bash_operator_ends_as_in_airflow(harness: Harness) -> None:
    """Real Airflow's example_bash_operator document (no compiler involved) ends as its
    recorded dag.test() run: exit 99 skips `this_will_skip`, whose all_success downstream is
    skipped without a try (try 0); every other task succeeds on try 1."""
    doc = golden_doc("standard/example_bash_operator.py.json", "example_bash_operator")
    await harness.register(doc)
    state, tis = await harness.run(
        "example_bash_operator", logical_date=datetime(2025, 1, 1, tzinfo=UTC)
    )
    assert state == "success"
    got = {k[0]: (t.state, t.try_number) for k, t in tis.items()}
    assert got == {
        "also_run_this": ("success", 1),
        "run_after_loop": ("success", 1),
        "run_this_last": ("skipped", 0),
        "runme_0": ("success", 1),
        "runme_1": ("success", 1),
        "runme_2": ("success", 1),
        "this_will_skip": ("skipped", 1),
    }
    order = [(t, st) for t, _, st, _ in harness.changes if st in ("queued", "success")]
    assert order.index(("run_after_loop", "queued")) > max(
        order.index((f"runme_{i}", "success")) for i in range(3)
    )
