"""The terminal dashboard, driven with Textual's Pilot at 80x24 against a running Lite (real API
server, store and engine); every key's effect is checked through the HTTP API and on the screen.

An SVG snapshot of the dashboard is written to `test-artifacts/tui-dashboard.svg` (it holds
timestamps, so it is kept as an artefact, not compared)."""

from __future__ import annotations

import asyncio
import subprocess
import sys
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest
from textual.widgets import DataTable

from leoflow.lite.tui import LiteDashboard, log_line, short_time

from .conftest import free_port

pytestmark = pytest.mark.slow

SIZE = (80, 24)
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"

HELLO = """\
from airflow.sdk import DAG
from airflow.providers.standard.operators.bash import BashOperator

with DAG("tui_hello", schedule=None):
    BashOperator(task_id="hello", bash_command="echo hello from the dashboard")
"""
FAILS = """\
from airflow.sdk import DAG
from airflow.providers.standard.operators.bash import BashOperator

with DAG("tui_fails", schedule=None):
    BashOperator(task_id="boom", bash_command="echo about to fail; exit 3", retries=0)
"""
DAILY = """\
from datetime import datetime

from airflow.sdk import DAG
from airflow.providers.standard.operators.empty import EmptyOperator

with DAG("tui_daily", schedule="@daily", start_date=datetime(2030, 1, 1), catchup=False):
    EmptyOperator(task_id="noop")
"""
BROKEN = "from airflow.sdk import DAG\n\nwith DAG('tui_broken', schedule=None:\n    pass\n"
FILES = {
    "dags/hello.py": HELLO,
    "dags/fails.py": FAILS,
    "dags/daily.py": DAILY,
    "dags/broken.py": BROKEN,
}


def screen_text(app: LiteDashboard) -> str:
    """What the terminal shows now, as plain text (one line per row)."""
    return "\n".join(strip.text for strip in app.screen._compositor.render_strips())


async def until(pilot: Any, check: Callable[[], Any], timeout_s: float = 20.0) -> Any:
    """Let the app run until `check()` (sync or async) is truthy, within `timeout_s`."""
    async with asyncio.timeout(timeout_s):
        while True:
            value = check()
            if isinstance(value, Awaitable):
                value = await value
            if value:
                return value
            await pilot.pause(0.05)


def rows(app: LiteDashboard, table_id: str) -> dict[str, list[str]]:
    """A table's rows as plain text cells, by row key."""
    table = app.query_one(f"#{table_id}", DataTable)
    return {str(key.value): [str(cell) for cell in table.get_row(key)] for key in list(table.rows)}


async def _dashboard(start_lite: Any, make_workspace: Any) -> tuple[Any, Any, LiteDashboard, list]:
    lite, api = await start_lite(make_workspace(FILES))
    opened: list[str] = []
    app = LiteDashboard(api.base, status=lite.status, refresh_s=0.5, opener=opened.append)
    return lite, api, app, opened


async def _select_dag(pilot: Any, app: LiteDashboard, dag_id: str) -> None:
    """Move the DAG list's cursor down to `dag_id`, as a person would."""
    await until(pilot, lambda: dag_id in rows(app, "dags"))
    for _ in range(len(rows(app, "dags"))):
        if app.selected_dag == dag_id:
            break
        await pilot.press("down")
    await until(pilot, lambda: app.selected_dag == dag_id)


async def test_dag_list_pause_filter_open_and_quit(start_lite, make_workspace) -> None:
    """The DAG list shows every DAG with its paused state, schedule and next run, and the import
    error; `p` pauses and unpauses (the API agrees), `/` filters, `o` opens the DAG's page, a
    stopped server shows as a notice (no traceback), and `q` quits."""
    lite, api, app, opened = await _dashboard(start_lite, make_workspace)
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: len(rows(app, "dags")) == 3)
        _, listed = await api.get("/dags")
        paused = {d["dag_id"]: d["is_paused"] for d in listed["dags"]}
        next_run = {d["dag_id"]: d["next_dagrun_run_after"] for d in listed["dags"]}
        shown = {k: "paused" if paused[k] else "no" for k in paused}
        dags = rows(app, "dags")
        assert {k: v[1] for k, v in dags.items()} == shown
        assert dags["tui_daily"][2] == "0 0 * * *"
        assert {k: v[4] for k, v in dags.items()} == {k: short_time(v) for k, v in next_run.items()}
        assert dags["tui_hello"][2] == "None"
        screen = screen_text(app)
        assert lite.status.url in screen.splitlines()[0]
        assert "db ✓" in screen
        await until(pilot, lambda: "import errors: dags/broken.py: SyntaxError" in screen_text(app))
        assert app.selected_dag == "tui_daily"  # the first DAG, in id order

        was = paused["tui_daily"]
        for now in (not was, was):  # toggle, then toggle back
            await pilot.press("p")
            await until(pilot, lambda now=now: _paused(api, "tui_daily", now))
            label = "paused" if now else "no"
            await until(pilot, lambda label=label: rows(app, "dags")["tui_daily"][1] == label)

        await pilot.press("slash", *"fail", "enter")
        await until(pilot, lambda: list(rows(app, "dags")) == ["tui_fails"])
        assert "tui_hello" not in screen_text(app)
        assert "filter: fail" in screen_text(app).splitlines()[0]

        await pilot.press("o")
        await until(pilot, lambda: opened)
        assert opened == [f"{lite.status.url}/dags/tui_fails"]

        await lite.stop()
        await until(pilot, lambda: "API unreachable" in screen_text(app))
        assert "API ✗" in screen_text(app).splitlines()[0]
        assert "Traceback" not in screen_text(app)
        await pilot.press("q")
        await until(pilot, lambda: not app.is_running)


async def test_trigger_shows_the_run_its_tasks_and_log(start_lite, make_workspace) -> None:
    """`t` triggers the selected DAG (the API has the run); the run and its task's state appear
    and update live to success without another key, and the log tail shows the task's output.
    The dashboard's SVG snapshot is saved as a test artefact."""
    _lite, api, app, _ = await _dashboard(start_lite, make_workspace)
    async with app.run_test(size=SIZE) as pilot:
        await until(
            pilot, lambda: list(rows(app, "dags")) == ["tui_daily", "tui_fails", "tui_hello"]
        )
        await pilot.press("down", "down", "t")  # typed in one go: `t` acts on the row reached
        await until(pilot, lambda: app.selected_dag == "tui_hello")
        runs = await until(pilot, lambda: _runs(api, "tui_hello"))
        assert len(runs) == 1
        assert runs[0]["run_type"] == "manual"
        assert await _runs(api, "tui_daily") == []
        run_id = runs[0]["dag_run_id"]
        await until(pilot, lambda: run_id in rows(app, "runs"))
        await until(pilot, lambda: rows(app, "tis").get("hello", [""])[1:] == ["success", "1"])
        await until(pilot, lambda: rows(app, "runs")[run_id][1] == "success")
        await until(pilot, lambda: "hello from the dashboard" in screen_text(app))
        screen = screen_text(app)
        assert "log · hello · try 1" in screen
        assert len(screen.splitlines()) == SIZE[1]
        ARTIFACTS.mkdir(exist_ok=True)
        app.save_screenshot("tui-dashboard.svg", path=str(ARTIFACTS))
        assert "tui_hello" in (ARTIFACTS / "tui-dashboard.svg").read_text()


async def test_clear_reruns_a_failed_task(start_lite, make_workspace) -> None:
    """A failed task shows as failed with its log; `c` clears it through the API, so it runs a
    second try, which the task list and log tail then show."""
    _lite, api, app, _ = await _dashboard(start_lite, make_workspace)
    async with app.run_test(size=SIZE) as pilot:
        await _select_dag(pilot, app, "tui_fails")
        await pilot.press("t")
        await until(pilot, lambda: rows(app, "tis").get("boom", [""])[1:] == ["failed", "1"])
        await until(pilot, lambda: "about to fail" in screen_text(app))
        await pilot.press("tab", "tab")  # to the task list, as a person would
        assert app.focused is app.query_one("#tis", DataTable)
        await pilot.press("c")
        tis = await until(pilot, lambda: _tries(api, "tui_fails", 2))
        assert tis[0]["task_id"] == "boom"
        await until(pilot, lambda: rows(app, "tis")["boom"][1:] == ["failed", "2"])
        await until(pilot, lambda: "log · boom · try 2" in screen_text(app))
        assert "cleared boom" in screen_text(app)


async def test_dead_server_shows_a_notice_and_keys_still_work() -> None:
    """With nothing listening at the URL the dashboard says so (no traceback, no hang), keys
    that need a DAG say why they do nothing, and `q` still quits."""
    app = LiteDashboard(f"http://127.0.0.1:{free_port()}", refresh_s=0.2, timeout_s=1.0)
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: "API unreachable: cannot reach" in screen_text(app), 10)
        assert "API ✗" in screen_text(app).splitlines()[0]
        await pilot.press("t")
        await until(pilot, lambda: "no DAG selected" in screen_text(app), 5)
        assert "Traceback" not in screen_text(app)
        await pilot.press("q")
        await until(pilot, lambda: not app.is_running, 5)


def test_dashboard_reads_only_through_the_api() -> None:
    """Importing the dashboard loads neither the store nor SQLAlchemy: it has no path into the
    database other than the HTTP API."""
    code = (
        "import sys, leoflow.lite.tui; "
        "print([m for m in sys.modules if m.startswith(('leoflow.store', 'sqlalchemy'))])"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    assert out.stdout.strip() == "[]"


async def _paused(api: Any, dag_id: str, paused: bool) -> bool:
    _, data = await api.get(f"/dags/{dag_id}")
    return bool(data["is_paused"]) is paused


async def _runs(api: Any, dag_id: str) -> list[dict[str, Any]]:
    _, data = await api.get(f"/dags/{dag_id}/dagRuns")
    return list(data["dag_runs"])


async def _tries(api: Any, dag_id: str, try_number: int) -> list[dict[str, Any]]:
    """The DAG's task instances once one is finished at `try_number` (else [])."""
    _, data = await api.get(f"/dags/{dag_id}/dagRuns/~/taskInstances")
    tis = list(data["task_instances"])
    done = [t for t in tis if t["try_number"] == try_number and t["state"] == "failed"]
    return tis if done else []


def test_log_line_shows_a_failures_exception() -> None:
    """A failure's line carries its exception in `error_detail` (Airflow's structured
    traceback): the dashboard's one line names it."""
    line = log_line(
        {
            "timestamp": "2025-01-01T00:00:01.000000Z",
            "level": "error",
            "event": "Task failed with exception",
            "error_detail": [{"exc_type": "ValueError", "exc_value": "boom", "frames": []}],
        }
    )
    assert line is not None
    assert line.plain == "00:00:01 Task failed with exception: ValueError: boom"
