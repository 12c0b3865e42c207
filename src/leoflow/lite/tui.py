"""The terminal dashboard of `leoflow lite` (Textual), reading through the HTTP API.

It talks to `/api/v2` and `/ui` exactly as the browser does (no second path into the store):
- the DAG list (paused, schedule, the last runs as coloured cells, next run),
- the selected DAG's recent runs and the task states of the selected run, refreshed live,
- import errors, the selected task try's log tail, the datastore / executor / API health, the URL.
Keys: `t` trigger, `p` pause/unpause, `c` clear the selected failed task, `o` open the browser,
`/` filter DAGs by id, `q` quit; Tab moves between the DAG, run and task lists. Fits 80x24.

One background worker polls the API every `refresh_s` (sooner after a key or a selection) and
redraws; key actions run as their own workers, so a slow or dead server never freezes the
screen: it shows as a red notice and the last data stays on screen.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
import webbrowser
from collections.abc import Callable, Sequence
from typing import Any, ClassVar
from urllib.parse import quote

from rich.text import Text
from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.coordinate import Coordinate
from textual.widgets import DataTable, Footer, Input, Static

from leoflow.lite.tui_api import CLEARABLE, FINISHED, JSON, APIError, LiteAPI, Snapshot, ti_key

log = logging.getLogger(__name__)

REFRESH_S = 1.0
RUN_CELLS = 5  # coloured cells of the latest runs per DAG
RUNS_SHOWN = 10  # runs of the selected DAG
LOG_LINES = 5
DAG_ID_WIDTH = 28
TASK_ID_WIDTH = 20

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
LEVEL_COLOURS = {"warning": "yellow", "error": "red", "critical": "bold red"}


def state_text(state: str | None, label: str | None = None) -> Text:
    """`label` (default: the state) in the state's colour, as Airflow's UI colours it."""
    shown = label if label is not None else (state or "none")
    return Text(shown, style=STATE_COLOURS.get(state or "", "grey50"))


def run_cells(states: Sequence[str | None]) -> Text:
    """The last runs, oldest first, as coloured squares."""
    out = Text()
    for state in states:
        out.append("■ ", style=STATE_COLOURS.get(state or "", "grey50"))
    return out


def clip(text: str, width: int) -> str:
    """`text` cut to `width` characters, with an ellipsis when cut."""
    return text if len(text) <= width else text[: width - 1] + "…"


def short_time(iso: str | None) -> str:
    """`2026-11-28T04:58:57.45Z` -> `11-28 04:58` (UTC, as the API gives it)."""
    return (iso or "")[5:16].replace("T", " ")


def run_label(run: JSON) -> str:
    """A run as `manual 11-28 04:58:57` (the run id is long; type and time tell runs apart)."""
    when = str(run.get("run_after") or run.get("logical_date") or "")[5:19].replace("T", " ")
    return f"{run.get('run_type') or 'run'} {when}".strip()


def log_line(event: JSON) -> Text | None:
    """One structured log line as `HH:MM:SS message`; None for the log's group markers."""
    message = str(event.get("event", ""))
    if message.startswith("::") or "sources" in event:
        return None
    stamp = str(event.get("timestamp") or "")[11:19]
    level = str(event.get("level") or "")
    text = Text(f"{stamp} " if stamp else "", style="grey50")
    for stack in event.get("error_detail") or ():  # a failure's traceback: its exceptions
        if isinstance(stack, dict):
            message += f": {stack.get('exc_type')}: {stack.get('exc_value')}"
    text.append(message.replace("\n", " "), style=LEVEL_COLOURS.get(level, ""))
    return text


class LiteDashboard(App[None]):
    """The Lite dashboard; `url` is the Lite's base URL (`http://host:port`). `status` is the
    running Lite's `Status` (datastore, executor) when there is one; `opener` opens a URL in a
    browser (tests inject their own)."""

    TITLE = "Leoflow Lite"
    ENABLE_COMMAND_PALETTE = False
    AUTO_FOCUS = "#dags"
    CSS = """
    #status { height: 1; background: $panel; }
    #filter { display: none; height: 1; border: none; padding: 0 1; }
    #log, #errors, #notice { text-wrap: nowrap; text-overflow: ellipsis; }
    #dags { height: 1fr; min-height: 3; }
    #detail { height: 1fr; min-height: 4; }
    #runs { width: 34; }
    #tis { width: 1fr; }
    #log { height: 6; border-top: solid $primary; border-title-align: left; }
    #errors { height: 1; color: $text-muted; }
    #errors.some { color: $error; }
    #notice { height: 1; }
    #notice.bad { color: $error; }
    DataTable { scrollbar-size-vertical: 1; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("t", "trigger", "Trigger"),
        Binding("p", "pause", "Pause"),
        Binding("c", "clear", "Clear failed"),
        Binding("o", "open", "Open UI"),
        Binding("slash", "filter", "Filter", key_display="/"),
        Binding("q", "quit", "Quit"),
        Binding("escape", "cancel_filter", "Cancel filter", show=False),
    ]

    def __init__(
        self,
        url: str,
        *,
        status: Any = None,
        refresh_s: float = REFRESH_S,
        opener: Callable[[str], Any] = webbrowser.open,
        timeout_s: float = 3.0,
    ) -> None:
        super().__init__()
        self.base = url.rstrip("/")
        self.lite_status = status
        self.refresh_s = refresh_s
        self.opener = opener
        self.api = LiteAPI(self.base, timeout_s=timeout_s)
        self.snapshot = Snapshot()
        self.selected_dag: str | None = None
        self.selected_run: str | None = None
        self.selected_ti: str | None = None
        self.pattern = ""
        self.api_error: str | None = None  # the last failed read, while the API is down
        self.refreshes = 0  # completed reads (tests wait on it)
        self._wake = asyncio.Event()
        self._log_cache: tuple[tuple[Any, ...], list[Text]] | None = None
        self.shown_dags: dict[str, JSON] = {}  # what the DAG list shows, by dag_id
        self.shown_tis: dict[str, tuple[str, JSON]] = {}  # the task list: key -> (dag_id, ti)

    # ---------------------------------------------------------------- layout

    def compose(self) -> ComposeResult:
        yield Static(self._status_line(), id="status")
        yield Input(placeholder="filter DAG ids (Enter applies, empty shows all)", id="filter")
        yield DataTable(id="dags", cursor_type="row", zebra_stripes=True)
        with Horizontal(id="detail"):
            yield DataTable(id="runs", cursor_type="row")
            yield DataTable(id="tis", cursor_type="row")
        yield Static("", id="log")
        yield Static("", id="errors")
        yield Static("connecting…", id="notice")
        yield Footer()

    def on_mount(self) -> None:
        dags = self.query_one("#dags", DataTable)
        dags.add_column("DAG", key="dag", width=DAG_ID_WIDTH)
        dags.add_column("paused", key="paused", width=6)
        dags.add_column("schedule", key="schedule", width=12)
        dags.add_column("last runs", key="runs", width=2 * RUN_CELLS)
        dags.add_column("next run", key="next", width=11)
        runs = self.query_one("#runs", DataTable)
        runs.add_column("run", key="run", width=21)
        runs.add_column("state", key="state", width=7)
        tis = self.query_one("#tis", DataTable)
        tis.add_column("task", key="task", width=TASK_ID_WIDTH)
        tis.add_column("state", key="state", width=15)
        tis.add_column("try", key="try", width=3)
        self.query_one("#log", Static).border_title = "log"
        self.api.start()
        self.run_worker(self._poll(), name="lite.tui.poll", exit_on_error=False)

    async def on_unmount(self) -> None:
        await self.api.close()

    # ---------------------------------------------------------------- polling

    async def _poll(self) -> None:
        """Read and redraw every `refresh_s`, or as soon as something asks (`_wake`)."""
        while True:
            self._wake.clear()
            await self.refresh_now()
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(self.refresh_s):
                    await self._wake.wait()

    async def refresh_now(self) -> None:
        """One read of the API and a redraw; a failed read shows as a notice, never raises."""
        asked = self._selection()
        try:
            snap = await self.api.snapshot(
                pattern=self.pattern,
                dag_id=self.selected_dag,
                run_id=self.selected_run,
                ti=self.selected_ti,
                runs_per_dag=RUN_CELLS,
                runs_limit=RUNS_SHOWN,
            )
            lines = await self._log_lines(snap)
        except APIError as exc:
            self._api_down(str(exc))
            return
        except Exception as exc:  # a bug must not kill the dashboard of a running Lite
            log.exception("Dashboard refresh failed.", extra={"event": "lite.tui.refresh"})
            self._api_down(f"dashboard error: {exc.__class__.__name__}: {exc}")
            return
        if self.api_error is not None:
            self.api_error = None
            self._notice("API reachable again")
        self._draw(snap, lines, asked)
        self.refreshes += 1

    def _api_down(self, reason: str) -> None:
        if self.api_error != reason:  # said once; the status line keeps showing "API ✗"
            log.warning(
                "Dashboard cannot read the API: %s", reason, extra={"event": "lite.tui.api_down"}
            )
            self._notice(
                f"API unreachable: {reason}; retrying every {self.refresh_s:g} s", bad=True
            )
        self.api_error = reason
        self.query_one("#status", Static).update(self._status_line())

    async def _log_lines(self, snap: Snapshot) -> list[Text]:
        """The log tail of the selected task try; re-read only while it can still change."""
        ti = snap.ti
        if ti is None or snap.dag_id is None or not ti.get("try_number"):
            return []
        key = (snap.dag_id, ti["dag_run_id"], ti_key(ti), ti["try_number"], ti.get("state"))
        cached = self._log_cache
        if cached is not None and cached[0] == key and ti.get("state") in FINISHED:
            return cached[1]
        try:
            events = await self.api.log_events(snap.dag_id, ti)
        except APIError as exc:
            return [Text(f"(no log: {exc})", style="grey50")]
        lines = [line for line in map(log_line, events) if line is not None]
        self._log_cache = (key, lines)
        return lines

    # ---------------------------------------------------------------- drawing

    def _status_line(self) -> Text:
        """URL, API health, filter, datastore, executor: most important first (80 columns cut
        the rest)."""
        out = Text(self.base, style="bold")
        if self.api_error is not None:
            out.append(" · API ✗", style="bold red")
        else:
            health = self.snapshot.health
            for name, label in (("metadatabase", "db"), ("scheduler", "scheduler")):
                state = (health.get(name) or {}).get("status")
                if state is not None:
                    good = state == "healthy"
                    out.append(f" {label} " if label == "scheduler" else f" · {label} ")
                    out.append("✓" if good else f"✗ {state}", style="green" if good else "bold red")
        if self.pattern:
            out.append(f" · filter: {clip(self.pattern, 12)}", style="yellow")
        st = self.lite_status
        if st is not None:
            datastore = " ".join(str(st.datastore).split()[:2])  # "managed Postgres in …"
            out.append(f" · {datastore} · {str(st.executor).split(' (')[0]} executor")
        return out

    def _notice(self, message: str, *, bad: bool = False) -> None:
        widget = self.query_one("#notice", Static)
        stamp = time.strftime("%H:%M:%S")
        widget.update(Text(f"{stamp} {message}"))
        widget.set_class(bad, "bad")

    def _selection(self) -> tuple[str | None, str | None, str | None]:
        return self.selected_dag, self.selected_run, self.selected_ti

    def _draw(self, snap: Snapshot, lines: list[Text], asked: tuple[Any, ...]) -> None:
        self.snapshot = snap
        self.query_one("#status", Static).update(self._status_line())
        if self.refreshes == 0:
            notes = list(getattr(self.lite_status, "notes", None) or [])
            self._notice("; ".join(notes) or f"{len(snap.dags)} DAGs · Tab: next list")
        self._draw_errors(snap.import_errors)
        if self._selection() != asked:
            return  # the selection moved during the read: the next read draws the details
        self.selected_dag, self.selected_run = snap.dag_id, snap.run_id
        self.selected_ti = ti_key(snap.ti) if snap.ti is not None else None
        self._draw_dags(snap)
        self._draw_runs(snap)
        self._draw_tis(snap)
        self._draw_log(snap.ti, lines)

    def _draw_dags(self, snap: Snapshot) -> None:
        rows = []
        for dag in snap.dags:
            recent = [r.get("state") for r in reversed(dag.get("latest_dag_runs") or [])]
            paused = bool(dag.get("is_paused"))
            rows.append(
                (
                    str(dag["dag_id"]),
                    [
                        clip(str(dag["dag_id"]), DAG_ID_WIDTH),
                        Text("paused", style="yellow") if paused else Text("no", style="grey50"),
                        clip(str(dag.get("timetable_summary") or "None"), 12),
                        run_cells(recent),
                        short_time(dag.get("next_dagrun_run_after")),
                    ],
                )
            )
        fill_table(self.query_one("#dags", DataTable), rows, snap.dag_id)
        self.shown_dags = {str(d["dag_id"]): d for d in snap.dags}

    def _draw_runs(self, snap: Snapshot) -> None:
        rows = [
            (str(run["dag_run_id"]), [run_label(run), state_text(run.get("state"))])
            for run in snap.runs
        ]
        fill_table(self.query_one("#runs", DataTable), rows, snap.run_id)

    def _draw_tis(self, snap: Snapshot) -> None:
        rows = [
            (
                ti_key(ti),
                [
                    clip(ti_key(ti), TASK_ID_WIDTH),
                    state_text(ti.get("state")),
                    str(ti.get("try_number", 0)),
                ],
            )
            for ti in snap.tis
        ]
        fill_table(self.query_one("#tis", DataTable), rows, self.selected_ti)
        self.shown_tis = {ti_key(ti): (str(snap.dag_id), ti) for ti in snap.tis}

    def _draw_log(self, ti: JSON | None, lines: list[Text]) -> None:
        widget = self.query_one("#log", Static)
        if ti is None:
            widget.border_title = "log"
            widget.update(Text("no task selected", style="grey50"))
            return
        widget.border_title = f"log · {ti_key(ti)} · try {ti.get('try_number', 0)}"
        if not lines:
            widget.update(Text("no log yet", style="grey50"))
            return
        widget.update(Text("\n").join(lines[-LOG_LINES:]))

    def _draw_errors(self, errors: list[JSON]) -> None:
        widget = self.query_one("#errors", Static)
        widget.set_class(bool(errors), "some")
        if not errors:
            widget.update("import errors: none")
            return
        first = errors[0]
        trace = str(first.get("stack_trace") or "").strip().splitlines()
        more = f" (+{len(errors) - 1} more)" if len(errors) > 1 else ""
        text = f"import errors{more}: {first.get('filename')}: {trace[-1] if trace else ''}"
        widget.update(Text(text))

    # ---------------------------------------------------------------- selection

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        """The user moved a cursor: select that DAG / run / task and read it now."""
        key = event.row_key.value
        table = event.data_table.id
        if table == "dags" and key != self.selected_dag:
            self.selected_dag, self.selected_run, self.selected_ti = key, None, None
            self._log_cache = None
        elif table == "runs" and key != self.selected_run:
            self.selected_run, self.selected_ti = key, None
        elif table == "tis" and key != self.selected_ti:
            self.selected_ti = key
        else:
            return
        self._wake.set()

    # ---------------------------------------------------------------- actions

    def _at_cursor(self, table_id: str, act: Callable[[str | None], None]) -> None:
        """`act(the row key under the table's cursor)`, once the table has handled the keys
        typed before this one (Down then `t` acts on the row Down moved to)."""
        table = self.query_one(f"#{table_id}", DataTable)

        def run() -> None:
            key = None
            if table.row_count and table.is_valid_row_index(table.cursor_row):
                key = table.coordinate_to_cell_key(Coordinate(table.cursor_row, 0)).row_key.value
            act(key)

        table.call_later(run)

    def _act(self, name: str, work: Any) -> None:
        self.run_worker(work, name=f"lite.tui.{name}", group="actions", exit_on_error=False)

    async def _do(self, work: Any, done: Callable[[Any], str], failed: str) -> None:
        try:
            result = await work
        except APIError as exc:
            self._notice(f"{failed}: {exc}", bad=True)
        else:
            self._notice(done(result))
        self._wake.set()

    def action_trigger(self) -> None:
        self._at_cursor("dags", self._trigger)

    def _trigger(self, dag_id: str | None) -> None:
        if dag_id is None:
            self._notice("no DAG selected", bad=True)
            return

        unpause = bool((self.shown_dags.get(dag_id) or {}).get("is_paused"))

        def done(run: JSON) -> str:
            if run.get("dag_run_id") and self.selected_dag == dag_id:
                self.selected_run, self.selected_ti = str(run["dag_run_id"]), None
            verb = "unpaused and triggered" if unpause else "triggered"
            return f"{verb} {dag_id}: {run.get('dag_run_id', '?')}"

        self._act(
            "trigger",
            self._do(self.api.trigger(dag_id, unpause=unpause), done, f"trigger {dag_id}"),
        )

    def action_pause(self) -> None:
        self._at_cursor("dags", self._pause)

    def _pause(self, dag_id: str | None) -> None:
        dag = self.shown_dags.get(dag_id or "")
        if dag_id is None or dag is None:
            self._notice("no DAG selected", bad=True)
            return
        paused = not dag.get("is_paused")
        word = "paused" if paused else "unpaused"
        self._act(
            "pause",
            self._do(self.api.set_paused(dag_id, paused), lambda _: f"{word} {dag_id}", word),
        )

    def action_clear(self) -> None:
        self._at_cursor("tis", self._clear)

    def _clear(self, key: str | None) -> None:
        if key is None or key not in self.shown_tis:
            self._notice("select a failed task first (Tab to the task list)", bad=True)
            return
        dag_id, ti = self.shown_tis[key]
        if ti.get("state") not in CLEARABLE:
            self._notice(f"{key} is {ti.get('state')}: only failed tasks are cleared")
            return
        self._act(
            "clear",
            self._do(
                self.api.clear(dag_id, ti),
                lambda n: f"cleared {key} ({n} task instance(s)): it runs again",
                f"clear {key}",
            ),
        )

    def action_open(self) -> None:
        self._at_cursor("dags", self._open_dag)

    def _open_dag(self, dag_id: str | None) -> None:
        url = self.base + (f"/dags/{quote(dag_id, safe='')}" if dag_id else "/")
        self._act("open", self._open(url))

    async def _open(self, url: str) -> None:
        try:
            opened = await asyncio.to_thread(self.opener, url)
        except Exception as exc:  # any browser launcher failure is only worth a notice
            self._notice(f"could not open a browser ({exc}): {url}", bad=True)
            return
        if opened is False:  # webbrowser.open found no browser (a server, a container)
            self._notice(f"no browser found here: open {url}", bad=True)
        else:
            self._notice(f"opened {url}")

    def action_filter(self) -> None:
        box = self.query_one("#filter", Input)
        box.display = True  # inline style: focusable at once (a class applies on refresh)
        box.value = self.pattern
        box.focus()

    def action_cancel_filter(self) -> None:
        box = self.query_one("#filter", Input)
        if box.display:
            box.display = False
            self.query_one("#dags", DataTable).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        """Apply the filter (an empty one shows every DAG) and go back to the DAG list."""
        self.pattern = event.value.strip()
        event.input.display = False
        self.query_one("#dags", DataTable).focus()
        self.selected_dag = self.selected_run = self.selected_ti = None
        self._notice(f"filter: {self.pattern}" if self.pattern else "filter cleared")
        self.query_one("#status", Static).update(self._status_line())
        self._wake.set()


def fill_table(
    table: DataTable[Any], rows: list[tuple[str, list[Any]]], selected: str | None
) -> None:
    """Show `rows` (key, cells) in `table` with the cursor on `selected`: cells are updated in
    place when the rows are the same (no flicker, the cursor stays), else the table is rebuilt.
    The redraw never reports a highlight (only the user's moves do)."""
    keys = [key for key, _ in rows]
    with table.prevent(DataTable.RowHighlighted):
        if keys == [k.value for k in table.rows]:
            columns = list(table.columns)
            for key, cells in rows:
                for column, value in zip(columns, cells, strict=True):
                    if table.get_cell(key, column) != value:
                        table.update_cell(key, column, value)
        else:
            table.clear()
            for key, cells in rows:
                table.add_row(*cells, key=key)
        if selected in keys:
            index = keys.index(selected)
            if table.cursor_row != index:
                table.move_cursor(row=index, animate=False)
