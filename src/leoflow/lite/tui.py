"""The terminal dashboard of `leoflow lite` (Textual), reading through the HTTP API.

It talks to `/api/v2` exactly as the browser does (no second path into the store):
- the DAG list (paused, schedule, the last runs as coloured cells, next run),
- the selected DAG's recent runs and the task states of the selected run, refreshed live,
- import errors, the selected task try's log tail, the datastore / executor status and the URL.
Keys: `t` trigger, `p` pause/unpause, `c` clear the selected failed task, `o` open the browser,
`/` filter DAGs by id, `q` quit. Laid out to fit 80x24.
"""

from __future__ import annotations

import contextlib
import logging
import webbrowser
from typing import Any, ClassVar
from urllib.parse import quote

import aiohttp
from rich.text import Text
from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.widgets import DataTable, Footer, Input, Static

log = logging.getLogger(__name__)

REFRESH_S = 1.0
HTTP_TIMEOUT_S = 5.0
RUN_CELLS = 5
LOG_LINES = 6

STATE_COLOURS = {
    "success": "green",
    "failed": "red",
    "running": "bright_green",
    "queued": "grey62",
    "scheduled": "tan",
    "up_for_retry": "gold1",
    "up_for_reschedule": "turquoise2",
    "upstream_failed": "orange1",
    "skipped": "hot_pink",
    "deferred": "medium_purple",
    "removed": "light_slate_grey",
    "restarting": "violet",
}


def state_text(state: str | None, label: str | None = None) -> Text:
    """`label` (default: the state) in the state's colour, as Airflow's UI colours it."""
    shown = label if label is not None else (state or "none")
    return Text(shown, style=STATE_COLOURS.get(state or "", "grey50"))


def run_cells(states: list[str | None]) -> Text:
    """The last runs, oldest first, as coloured squares."""
    out = Text()
    for state in states:
        out.append("■ ", style=STATE_COLOURS.get(state or "", "grey50"))
    return out


class LiteDashboard(App[None]):
    """The Lite dashboard; `url` is the Lite's base URL (`http://host:port`)."""

    TITLE = "Leoflow Lite"
    CSS = """
    #status { height: 1; background: $boost; }
    #main { height: 1fr; }
    #dags { width: 3fr; }
    #side { width: 2fr; }
    #runs { height: 1fr; }
    #tis { height: 1fr; }
    #errors { height: auto; max-height: 3; color: $error; }
    #log { height: auto; max-height: 7; border-top: solid $primary; }
    #filter { display: none; }
    #filter.shown { display: block; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("t", "trigger", "Trigger"),
        Binding("p", "pause", "Pause"),
        Binding("c", "clear", "Clear failed"),
        Binding("o", "open", "Open UI"),
        Binding("slash", "filter", "Filter", key_display="/"),
        Binding("q", "quit", "Quit"),
    ]

    def __init__(self, url: str, *, status: Any = None, refresh_s: float = REFRESH_S) -> None:
        super().__init__()
        self.base = url.rstrip("/")
        self.api = self.base + "/api/v2"
        self.lite_status = status
        self.refresh_s = refresh_s
        self.session: aiohttp.ClientSession | None = None
        self.dags: list[dict[str, Any]] = []
        self.selected_dag: str | None = None
        self.runs: list[dict[str, Any]] = []
        self.selected_run: str | None = None
        self.tis: list[dict[str, Any]] = []
        self.selected_ti: dict[str, Any] | None = None
        self.import_errors: list[dict[str, Any]] = []
        self.pattern = ""
        self.message = ""
        self.refreshes = 0
        self.opened: list[str] = []  # URLs `o` opened (tests read it)

    # ---------------------------------------------------------------- layout

    def compose(self) -> ComposeResult:
        yield Static(self._status_line(), id="status")
        yield Input(placeholder="filter DAG ids (Enter to apply, empty for all)", id="filter")
        with Horizontal(id="main"):
            yield DataTable(id="dags", cursor_type="row", zebra_stripes=True)
            with Vertical(id="side"):
                yield DataTable(id="runs", cursor_type="row")
                yield DataTable(id="tis", cursor_type="row")
        yield Static("", id="errors")
        yield Static("", id="log")
        yield Footer()

    async def on_mount(self) -> None:
        self.session = aiohttp.ClientSession(
            timeout=aiohttp.ClientTimeout(total=HTTP_TIMEOUT_S),
            headers={"Accept": "application/json"},
        )
        dags = self.query_one("#dags", DataTable)
        dags.add_columns("DAG", "⏸", "schedule", "last runs", "next run")
        self.query_one("#runs", DataTable).add_columns("run", "state")
        self.query_one("#tis", DataTable).add_columns("task", "state", "try")
        await self.refresh_data()
        self.set_interval(self.refresh_s, self.refresh_data, name="lite.tui.refresh")

    async def on_unmount(self) -> None:
        if self.session is not None:
            await self.session.close()

    def _status_line(self) -> str:
        st = self.lite_status
        parts = [self.base]
        if st is not None:
            parts += [f"datastore: {st.datastore.split(' in ')[0]}", f"executor: {st.executor}"]
        if self.message:
            parts.append(self.message)
        return "  ·  ".join(parts)

    # ---------------------------------------------------------------- HTTP

    async def _get(self, path: str, **params: Any) -> Any:
        assert self.session is not None
        async with self.session.get(self.api + path, params=params) as resp:
            resp.raise_for_status()
            return await resp.json()

    async def _send(self, method: str, path: str, body: dict[str, Any]) -> Any:
        assert self.session is not None
        async with self.session.request(method, self.api + path, json=body) as resp:
            data = await resp.json(content_type=None)
            if resp.status >= 400:
                detail = data.get("detail") if isinstance(data, dict) else data
                raise RuntimeError(f"{resp.status}: {detail}")
            return data

    # ---------------------------------------------------------------- refresh

    async def refresh_data(self) -> None:
        """Read the API and redraw; an unreachable API shows as a message, not a crash."""
        try:
            await self._refresh()
            if self.message.startswith("API unreachable"):
                self.message = ""
        except (aiohttp.ClientError, TimeoutError) as exc:
            self.message = f"API unreachable: {exc.__class__.__name__}"
        self.refreshes += 1
        self.query_one("#status", Static).update(self._status_line())

    async def _refresh(self) -> None:
        params: dict[str, Any] = {"limit": 100, "order_by": "dag_id"}
        if self.pattern:
            params["dag_id_pattern"] = self.pattern
        self.dags = (await self._get("/dags", **params))["dags"]
        recent: dict[str, list[str | None]] = {}
        for dag in self.dags[:40]:
            runs = await self._get(
                f"/dags/{quote(dag['dag_id'], safe='')}/dagRuns",
                limit=RUN_CELLS,
                order_by="-run_after",
            )
            recent[dag["dag_id"]] = [r["state"] for r in reversed(runs["dag_runs"])]
        ids = [d["dag_id"] for d in self.dags]
        if self.selected_dag not in ids:
            self.selected_dag = ids[0] if ids else None
        self._draw_dags(recent)
        await self._refresh_runs()
        self.import_errors = (await self._get("/importErrors", limit=20))["import_errors"]
        self._draw_errors()
        await self._refresh_log()

    def _draw_dags(self, recent: dict[str, list[str | None]]) -> None:
        table = self.query_one("#dags", DataTable)
        table.clear()
        for dag in self.dags:
            next_run = dag.get("next_dagrun_run_after") or dag.get("next_dagrun_logical_date")
            table.add_row(
                dag["dag_id"],
                "⏸" if dag.get("is_paused") else "▶",
                dag.get("timetable_summary") or "None",
                run_cells(recent.get(dag["dag_id"], [])),
                (next_run or "")[:16].replace("T", " "),
                key=dag["dag_id"],
            )
        if self.selected_dag is not None:
            with contextlib.suppress(Exception):
                table.move_cursor(row=table.get_row_index(self.selected_dag))

    async def _refresh_runs(self) -> None:
        runs_t = self.query_one("#runs", DataTable)
        tis_t = self.query_one("#tis", DataTable)
        runs_t.clear()
        tis_t.clear()
        self.runs, self.tis = [], []
        if self.selected_dag is None:
            return
        dag = quote(self.selected_dag, safe="")
        data = await self._get(f"/dags/{dag}/dagRuns", limit=10, order_by="-run_after")
        self.runs = data["dag_runs"]
        run_ids = [r["dag_run_id"] for r in self.runs]
        if self.selected_run not in run_ids:
            self.selected_run = run_ids[0] if run_ids else None
        for run in self.runs:
            runs_t.add_row(run["dag_run_id"][-24:], state_text(run["state"]), key=run["dag_run_id"])
        if self.selected_run is None:
            return
        with contextlib.suppress(Exception):
            runs_t.move_cursor(row=runs_t.get_row_index(self.selected_run))
        run_q = quote(self.selected_run, safe="")
        tis = await self._get(f"/dags/{dag}/dagRuns/{run_q}/taskInstances", limit=100)
        self.tis = tis["task_instances"]
        keys = [self._ti_key(t) for t in self.tis]
        if self.selected_ti is None or self._ti_key(self.selected_ti) not in keys:
            failed = [t for t in self.tis if t["state"] == "failed"]
            pick = failed or self.tis
            self.selected_ti = pick[0] if pick else None
        else:
            self.selected_ti = self.tis[keys.index(self._ti_key(self.selected_ti))]
        for ti in self.tis:
            name = ti["task_id"] if ti["map_index"] < 0 else f"{ti['task_id']}[{ti['map_index']}]"
            tis_t.add_row(
                name, state_text(ti["state"]), str(ti["try_number"]), key=self._ti_key(ti)
            )
        if self.selected_ti is not None:
            with contextlib.suppress(Exception):
                tis_t.move_cursor(row=tis_t.get_row_index(self._ti_key(self.selected_ti)))

    @staticmethod
    def _ti_key(ti: dict[str, Any]) -> str:
        return f"{ti['task_id']}:{ti['map_index']}"

    def _draw_errors(self) -> None:
        widget = self.query_one("#errors", Static)
        if not self.import_errors:
            widget.update("")
            return
        first = self.import_errors[0]
        trace = (first.get("stack_trace") or "").strip().splitlines()
        more = f" (+{len(self.import_errors) - 1} more)" if len(self.import_errors) > 1 else ""
        widget.update(
            f"Import errors{more}: {first['filename']}: {trace[-1] if trace else ''}"[:300]
        )

    async def _refresh_log(self) -> None:
        widget = self.query_one("#log", Static)
        ti = self.selected_ti
        if ti is None or not ti.get("try_number") or self.selected_dag is None:
            widget.update("")
            return
        path = (
            f"/dags/{quote(self.selected_dag, safe='')}/dagRuns/{quote(ti['dag_run_id'], safe='')}"
            f"/taskInstances/{quote(ti['task_id'], safe='')}/logs/{ti['try_number']}"
        )
        params = {"map_index": ti["map_index"]} if ti["map_index"] >= 0 else {}
        try:
            data = await self._get(path, **params)
        except aiohttp.ClientResponseError:
            widget.update("")
            return
        events = [
            str(line.get("event", ""))
            for line in data.get("content", [])
            if not str(line.get("event", "")).startswith("::")
        ]
        header = f"log {ti['task_id']} try {ti['try_number']}:"
        widget.update("\n".join([header, *events[-LOG_LINES:]]))

    # ---------------------------------------------------------------- selection

    async def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        key = event.row_key.value
        table = event.data_table.id
        if table == "dags" and key != self.selected_dag:
            self.selected_dag, self.selected_run, self.selected_ti = key, None, None
        elif table == "runs" and key != self.selected_run:
            self.selected_run, self.selected_ti = key, None
        elif table == "tis":
            for ti in self.tis:
                if self._ti_key(ti) == key:
                    self.selected_ti = ti
            return
        else:
            return
        with contextlib.suppress(aiohttp.ClientError, TimeoutError):
            await self._refresh_runs()
            await self._refresh_log()

    # ---------------------------------------------------------------- actions

    def _selected(self) -> dict[str, Any] | None:
        return next((d for d in self.dags if d["dag_id"] == self.selected_dag), None)

    async def _act(self, what: str, method: str, path: str, body: dict[str, Any]) -> None:
        try:
            await self._send(method, path, body)
            self.message = what
        except (aiohttp.ClientError, TimeoutError, RuntimeError) as exc:
            self.message = f"{what} failed: {exc}"
        await self.refresh_data()

    async def action_trigger(self) -> None:
        dag = self._selected()
        if dag is not None:
            path = f"/dags/{quote(dag['dag_id'], safe='')}/dagRuns"
            await self._act(f"triggered {dag['dag_id']}", "POST", path, {"logical_date": None})

    async def action_pause(self) -> None:
        dag = self._selected()
        if dag is not None:
            paused = not dag.get("is_paused")
            word = "paused" if paused else "unpaused"
            path = f"/dags/{quote(dag['dag_id'], safe='')}"
            await self._act(f"{word} {dag['dag_id']}", "PATCH", path, {"is_paused": paused})

    async def action_clear(self) -> None:
        ti = self.selected_ti
        if ti is None or self.selected_dag is None:
            return
        if ti["state"] not in ("failed", "upstream_failed"):
            self.message = f"{ti['task_id']} is {ti['state']}: only failed tasks are cleared"
            self.query_one("#status", Static).update(self._status_line())
            return
        body = {
            "dry_run": False,
            "dag_run_id": ti["dag_run_id"],
            "task_ids": [ti["task_id"]],
            "only_failed": True,
            "include_downstream": True,
        }
        path = f"/dags/{quote(self.selected_dag, safe='')}/clearTaskInstances"
        await self._act(f"cleared {ti['task_id']}", "POST", path, body)

    def action_open(self) -> None:
        url = self.base + (f"/dags/{quote(self.selected_dag)}" if self.selected_dag else "/")
        self.opened.append(url)
        with contextlib.suppress(Exception):
            webbrowser.open(url)

    def action_filter(self) -> None:
        box = self.query_one("#filter", Input)
        box.add_class("shown")
        box.value = self.pattern
        box.focus()

    async def on_input_submitted(self, event: Input.Submitted) -> None:
        self.pattern = event.value.strip()
        event.input.remove_class("shown")
        self.query_one("#dags", DataTable).focus()
        await self.refresh_data()
