"""Acceptance 2 of the API issue, second half: the real Airflow 3.2.1 UI in headless chromium
(Playwright for Python driving Debian's `chromium`, no browser download) against `leoflow lite`.

Every route of the contract's page map renders without an error page, without console errors
other than the known offline ones, without uncaught exceptions and without failed API calls;
then the user actions: trigger (grid turns green), task log, pause/unpause, clear, and the
variable and connection forms. Screenshots go to test-artifacts/ui-pages/.

Known, allowed noise (the real Airflow 3.2.1 api-server shows the same, offline):
- the `./assets/chunk-*.js` modulepreload that receives index.html (MIME type error);
- Monaco loaded from cdn.jsdelivr.net fails on pages with an editor, which also surfaces as an
  uncaught bare `Event`;
- `/static/wasm/sqlparser_rs_wasm.js` 404s on the rendered-templates page (not in the wheel).
"""

from __future__ import annotations

import re
import shutil
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from .live_server import LiveServer, quote, wait_for

pytestmark = pytest.mark.slow

playwright_api = pytest.importorskip("playwright.sync_api")

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]
ERROR_TEXTS = (
    "Something went wrong",
    "An unexpected error occurred",
    "Page Not Found",
    "Dag Not Found",
    "404 Not Found",
    "Unexpected Application Error",
)
ALLOWED_CONSOLE = (
    re.compile(r"Failed to load module script.*MIME type of \"text/html\""),  # modulepreload
    re.compile(r"Monaco initialization", re.I),
    re.compile(r"cdn\.jsdelivr\.net"),
    re.compile(r"Failed to load resource.*404"),  # checked by URL in PageWatch.problems
    re.compile(r"Failed to load resource.*403.*/api/v2/config$"),  # CONFIG_403
    re.compile(r"Failed to load resource: net::ERR_"),  # offline CDN; same-origin checked apart
)
HITL_TRY_404 = re.compile(r"^404 GET /api/v2/dags/.*/hitlDetails/tries/\d+$")
# `[api] expose_config` is off, as by default in Airflow 3.2.1: its config page gets a 403 too
CONFIG_403 = re.compile(r"^403 GET /api/v2/config(\?.*)?$")
API_PREFIXES = ("/api/", "/ui/", "/auth/")
PAGE_TIMEOUT_S = 25.0
IDLE_S = 1.5
DAG = "ui_showcase"


@dataclass
class PageWatch:
    """What one page did: console errors, uncaught exceptions, API answers, failed requests."""

    base: str
    console: list[str] = field(default_factory=list)
    exceptions: list[str] = field(default_factory=list)
    bad: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)
    inflight: int = 0
    monaco: bool = False  # the page tried to load the Monaco editor from its CDN
    last: float = field(default_factory=time.monotonic)

    def attach(self, page: Any) -> None:
        page.on("console", self._console)
        page.on("pageerror", lambda e: self.exceptions.append(f"{e.name}: {e.message}"[:300]))
        page.on("request", self._request)
        page.on("requestfinished", self._done)
        page.on("requestfailed", self._failed)
        page.on("response", self._response)

    def reset(self) -> None:
        self.console, self.exceptions, self.bad, self.failed, self.requests = [], [], [], [], []
        self.monaco = False

    def _console(self, msg: Any) -> None:
        if msg.type == "error":
            loc = msg.location.get("url", "") if msg.location else ""
            self.console.append(f"{msg.text} {loc}"[:300])

    def _request(self, req: Any) -> None:
        if "cdn.jsdelivr.net" in req.url:
            self.monaco = True
        self.inflight += 1
        self.last = time.monotonic()

    def _done(self, _req: Any) -> None:
        self.inflight = max(0, self.inflight - 1)
        self.last = time.monotonic()

    def _failed(self, req: Any) -> None:
        self._done(req)
        error = req.failure or ""
        # the SPA aborts fetches it no longer needs (navigation, refetch): not a failure
        if self._is_api(req.url) and "ERR_ABORTED" not in error:
            self.failed.append(f"{error} {req.method} {req.url}")

    def _response(self, resp: Any) -> None:
        url = resp.url
        self.requests.append(f"{resp.status} {resp.request.method} {url}")
        if resp.status >= 400 and self._is_api(url):
            self.bad.append(f"{resp.status} {resp.request.method} {url[len(self.base) :]}")
        # /static/wasm/ is not in the wheel: it 404s on real Airflow too
        static = url.startswith(self.base + "/static/") and "/static/wasm/" not in url
        if resp.status >= 400 and static:
            self.bad.append(f"{resp.status} GET {url[len(self.base) :]}")

    def _is_api(self, url: str) -> bool:
        return url.startswith(self.base) and url[len(self.base) :].startswith(API_PREFIXES)

    def idle(self) -> bool:
        return self.inflight == 0 and time.monotonic() - self.last >= IDLE_S

    def problems(self) -> list[str]:
        # a TI without a human-in-the-loop step: real Airflow 3.2.1 answers 404 here too
        out = [
            f"HTTP {b}"
            for b in dict.fromkeys(self.bad)
            if not HITL_TRY_404.search(b) and not CONFIG_403.search(b)
        ]
        out += [f"request failed: {f}" for f in self.failed]
        for exc in self.exceptions:
            if exc.strip(" :") in ("Event", "Error: Event") and self.monaco:
                continue  # Monaco's offline CDN load rejects with a bare Event (editor pages)
            if exc.startswith("AbortError:"):
                # the SPA cancels a query it no longer needs (refetch, navigation) and the
                # cancellation escapes uncaught now and then: a client-side event, no answer
                # of ours is involved, and the same timing raises it against Airflow's server
                continue
            out.append(f"uncaught {exc}")
        out += [
            f"console error: {c}"
            for c in self.console
            if not any(p.search(c) for p in ALLOWED_CONSOLE)
        ]
        return out


@dataclass
class Browser:
    """One chromium page with its watcher, shared by the tests of this module."""

    server: LiveServer
    page: Any
    watch: PageWatch
    shots: Path

    def open(self, path: str, expect: list[str], name: str) -> str:
        """Navigate to `path`, wait for the texts and an idle network; the page's text."""
        self.watch.reset()
        self.page.goto(self.server.url + path)
        return self.settle(expect, name)

    def settle(self, expect: list[str], name: str, timeout_s: float = PAGE_TIMEOUT_S) -> str:
        deadline = time.monotonic() + timeout_s
        while True:
            text = self.text()
            if all(e in text for e in expect) and self.watch.idle():
                break
            if time.monotonic() > deadline:
                break
            self.page.wait_for_timeout(200)
        self.page.screenshot(path=str(self.shots / f"{name}.png"))
        (self.shots / f"{name}.requests.txt").write_text("\n".join(self.watch.requests) + "\n")
        return text

    def text(self) -> str:
        return str(self.page.evaluate("document.body ? document.body.innerText : ''"))

    def check(self, path: str, expect: list[str], name: str, *, error_page: bool = False) -> None:
        """Open a page and assert it rendered cleanly."""
        text = self.open(path, expect, name)
        problems = [f"missing text {e!r}" for e in expect if e not in text]
        if not error_page:
            problems += [f"error text {e!r}" for e in ERROR_TEXTS if e in text]
        problems += self.watch.problems()
        if self.page.url.split("?")[0].startswith(self.server.url + "/auth/"):
            problems.append(f"bounced to {self.page.url}")
        assert not problems, f"{name} ({path}): {problems}\ntext: {text[:400]!r}"


@pytest.fixture(scope="module")
def rich_run(live_server: LiveServer) -> str:
    """A successful run of ui_showcase (task group, mapped task, XComs)."""
    run_id = f"ui_rich_{uuid.uuid4().hex[:8]}"
    live_server.trigger(DAG, run_id)
    assert live_server.wait_run(DAG, run_id) == "success", live_server.output()
    return run_id


@pytest.fixture(scope="module")
def browser(live_server: LiveServer, artifacts: Path) -> Iterator[Browser]:
    """Debian's chromium, headless, through Playwright (no browser download)."""
    binary = shutil.which("chromium")
    if binary is None:
        pytest.skip("chromium is not installed (make deps, or apt-get install -y chromium)")
    shots = artifacts / "ui-pages"
    shots.mkdir(parents=True, exist_ok=True)
    with playwright_api.sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=binary, args=CHROMIUM_ARGS)
        context = chromium.new_context(viewport={"width": 1440, "height": 900})
        page = context.new_page()
        page.set_default_timeout(PAGE_TIMEOUT_S * 1000)
        watch = PageWatch(live_server.url)
        watch.attach(page)
        try:
            yield Browser(live_server, page, watch, shots)
        finally:
            context.close()
            chromium.close()


def routes(run_id: str) -> list[tuple[str, str, list[str]]]:
    """(name, SPA path, expected texts) for every route of the contract's page map."""
    d, r = DAG, quote(run_id)
    run = f"/dags/{d}/runs/{r}"
    return [
        ("home", "/", ["Welcome", "Health"]),
        ("dags_list", "/dags", [DAG]),
        ("dag_overview_grid", f"/dags/{d}", [DAG, "numbers"]),
        ("dag_runs_tab", f"/dags/{d}/runs", [run_id]),
        ("dag_tasks_tab", f"/dags/{d}/tasks", ["numbers", "double"]),
        ("dag_calendar_tab", f"/dags/{d}/calendar", [DAG]),
        ("dag_required_actions_tab", f"/dags/{d}/required_actions", [DAG]),
        ("dag_backfills_tab", f"/dags/{d}/backfills", [DAG]),
        ("dag_events_tab", f"/dags/{d}/events", [DAG]),
        ("dag_code_tab", f"/dags/{d}/code", [DAG]),
        ("dag_details_tab", f"/dags/{d}/details", [DAG]),
        ("dag_run", run, [run_id, "numbers"]),
        ("dag_run_details", f"{run}/details", [run_id]),
        ("dag_run_asset_events", f"{run}/asset_events", [run_id]),
        ("dag_run_events", f"{run}/events", [run_id]),
        ("dag_run_code", f"{run}/code", [run_id]),
        ("task_instance_logs", f"{run}/tasks/numbers", ["numbers ready"]),
        ("task_instance_xcom", f"{run}/tasks/numbers/xcom", ["return_value"]),
        ("task_instance_details", f"{run}/tasks/numbers/details", ["numbers"]),
        (
            "task_instance_rendered_templates",
            f"{run}/tasks/numbers/rendered_templates",
            ["numbers"],
        ),
        ("task_instance_events", f"{run}/tasks/numbers/events", ["numbers"]),
        ("task_instance_code", f"{run}/tasks/numbers/code", ["numbers"]),
        ("task_instance_asset_events", f"{run}/tasks/numbers/asset_events", ["numbers"]),
        ("task_instance_required_actions", f"{run}/tasks/numbers/required_actions", ["numbers"]),
        ("mapped_task_list", f"{run}/tasks/double/mapped", ["double"]),
        ("mapped_task_instance", f"{run}/tasks/double/mapped/1", ["double 2"]),
        ("run_task_group", f"{run}/tasks/group/group_1", ["group_1"]),
        ("dag_task", f"/dags/{d}/tasks/numbers", ["numbers"]),
        ("dag_task_group", f"/dags/{d}/tasks/group/group_1", ["group_1"]),
        ("dag_runs_global", "/dag_runs", [run_id]),
        ("task_instances_global", "/task_instances", ["numbers"]),
        ("required_actions_global", "/required_actions", []),
        ("assets_list", "/assets", []),
        ("audit_log", "/events", []),
        ("xcoms", "/xcoms", ["return_value"]),
        ("variables", "/variables", []),
        ("pools", "/pools", ["default_pool"]),
        ("connections", "/connections", []),
        ("providers", "/providers", []),
        ("plugins", "/plugins", []),
        ("config", "/configs", ["chose not to expose the configuration"]),
        ("jobs", "/jobs", []),
    ]


ROUTE_NAMES = [name for name, _, _ in routes("x")]


@pytest.mark.parametrize("name", ROUTE_NAMES)
def test_page_renders_cleanly(browser: Browser, rich_run: str, name: str) -> None:
    """Each route of the page map shows its data with no error page, no uncaught exception,
    no console error beyond the known offline ones and no API answer >= 400."""
    path, expect = next((p, e) for n, p, e in routes(rich_run) if n == name)
    browser.check(path, expect, name)


def test_graph_view_renders(browser: Browser, rich_run: str) -> None:
    """The DAG overview in graph mode (localStorage `dag_view-<dag>` = graph) draws the nodes,
    the task group and the mapped task."""
    browser.open("/dags", [DAG], "graph_setup")
    browser.page.evaluate("([k, v]) => localStorage.setItem(k, v)", [f"dag_view-{DAG}", '"graph"'])
    try:
        browser.check(f"/dags/{DAG}", ["numbers", "group_1", "done"], "dag_overview_graph")
    finally:
        browser.page.evaluate(f"localStorage.removeItem('dag_view-{DAG}')")


def test_unknown_route_shows_the_spa_404(browser: Browser) -> None:
    """An unknown path gets index.html and the SPA's own "Page Not Found", with the bootstrap
    calls answering normally."""
    browser.check("/no/such/page", ["Page Not Found"], "not_found", error_page=True)


def _grid_badges(browser: Browser, run_id: str) -> list[dict[str, Any]]:
    script = """(run) => [...document.querySelectorAll(`a[data-testid^="grid-${run}-"]`)]
      .map(a => { const b = a.querySelector('[data-testid=task-state-badge]');
                  const p = b && b.querySelector('path');
                  return {id: a.dataset.testid, bg: b ? getComputedStyle(b).backgroundColor : '',
                          icon: p ? p.getAttribute('d') : ''}; })"""
    return list(browser.page.evaluate(script, run_id))


SUCCESS_ICON = "M20 6 9 17l-5-5"  # the check mark of a success badge


def _green(color: str) -> bool:
    """Whether a CSS color (oklch or rgb, as chromium reports it) is a saturated green."""
    if m := re.match(r"oklch\(([\d.]+) ([\d.]+) ([\d.]+)", color):
        return float(m[2]) > 0.05 and 120 <= float(m[3]) <= 170
    if m := re.match(r"rgba?\((\d+), (\d+), (\d+)", color):
        return int(m[2]) > int(m[1]) + 40 and int(m[2]) > int(m[3]) + 40
    return False


def test_trigger_from_ui_turns_grid_green(browser: Browser, live_server: LiveServer) -> None:
    """Trigger check_bash_chain with the Trigger button and dialog; the new run appears in the
    grid and all its task cells end green (success), as the API confirms."""
    dag = "check_bash_chain"
    live_server.ok("PATCH", f"/api/v2/dags/{dag}", {"is_paused": False})
    before = {
        r["dag_run_id"]
        for r in live_server.ok("GET", f"/api/v2/dags/{dag}/dagRuns?limit=100")["dag_runs"]
    }
    browser.open(f"/dags/{dag}", [dag, "say_hello"], "trigger_before")
    browser.page.get_by_test_id("trigger-dag-button").click()
    browser.page.get_by_test_id("trigger-dag-submit").click()

    def new_run() -> str | None:
        runs = live_server.ok("GET", f"/api/v2/dags/{dag}/dagRuns?limit=100")["dag_runs"]
        fresh = [r["dag_run_id"] for r in runs if r["dag_run_id"] not in before]
        return fresh[0] if fresh else None

    run_id = wait_for(new_run, 20)
    assert live_server.wait_run(dag, run_id) == "success", live_server.output()

    def all_green() -> bool:
        badges = _grid_badges(browser, run_id)
        return len(badges) == 3 and all(
            _green(b["bg"]) and b["icon"] == SUCCESS_ICON for b in badges
        )

    try:  # the SPA polls while the run is pending, then shows success
        wait_for(all_green, 30, 0.5)
    except TimeoutError:
        browser.settle([], "trigger_grid_timeout")
        raise AssertionError(f"grid of {run_id}: {_grid_badges(browser, run_id)}") from None
    browser.settle([dag], "trigger_grid_green")
    problems = browser.watch.problems()
    assert not problems, problems


def test_task_log_shows_output(browser: Browser, live_server: LiveServer) -> None:
    """The log tab of a bash task shows the command's output line."""
    dag = "check_bash_chain"
    run_id = f"ui_log_{uuid.uuid4().hex[:8]}"
    live_server.trigger(dag, run_id, {"greeting": "from-the-ui-test"})
    assert live_server.wait_run(dag, run_id) == "success", live_server.output()
    path = f"/dags/{dag}/runs/{quote(run_id)}/tasks/say_conf"
    browser.check(path, ["conf greeting=from-the-ui-test"], "task_log_output")


def test_pause_and_unpause_from_the_toggle(browser: Browser, live_server: LiveServer) -> None:
    """The pause switch of the DAG header pauses and unpauses the DAG (PATCH is_paused)."""
    live_server.ok("PATCH", f"/api/v2/dags/{DAG}", {"is_paused": False})
    browser.open(f"/dags/{DAG}", [DAG], "pause_before")
    toggle = browser.page.get_by_test_id("toggle-pause")
    for paused in (True, False):
        toggle.click()
        wait_for(
            lambda p=paused: live_server.ok("GET", f"/api/v2/dags/{DAG}")["is_paused"] is p, 10
        )
        state = "unchecked" if paused else "checked"
        wait_for(lambda s=state: toggle.get_attribute("data-state") == s, 10)
    browser.settle([DAG], "pause_after")
    assert not browser.watch.problems(), browser.watch.problems()


def test_clear_a_task_reruns_it(browser: Browser, live_server: LiveServer, rich_run: str) -> None:
    """ "Clear Task Instance" + Confirm on a finished task runs it again (try 2) and the run
    ends successful again."""
    live_server.ok("PATCH", f"/api/v2/dags/{DAG}", {"is_paused": False})
    ti_path = f"/api/v2/dags/{DAG}/dagRuns/{quote(rich_run)}/taskInstances/done"
    tries = live_server.ok("GET", ti_path)["try_number"]
    browser.open(f"/dags/{DAG}/runs/{quote(rich_run)}/tasks/done", ["showcase done"], "clear_1")
    browser.page.get_by_role("button", name="Clear Task Instance").click()
    browser.page.get_by_role("button", name="Confirm").click()
    wait_for(lambda: live_server.ok("GET", ti_path)["try_number"] > tries, 20)
    assert live_server.wait_run(DAG, rich_run) == "success", live_server.output()
    ti = live_server.ok("GET", ti_path)
    assert ti["state"] == "success"
    browser.settle([], "clear_after")


def test_create_variable_through_the_form(browser: Browser, live_server: LiveServer) -> None:
    """Admin > Variables > Add Variable: the form creates the variable (201) and the list
    shows it."""
    key = f"ui_var_{uuid.uuid4().hex[:8]}"
    browser.open("/variables", [], "variable_form_before")
    browser.page.get_by_role("button", name="Add Variable").click()
    browser.page.locator("input[name=key]").fill(key)
    browser.page.locator("textarea[name=value]").fill("made-in-the-form")
    browser.page.locator("textarea[name=description]").fill("created by the UI test")
    browser.page.get_by_role("button", name="Save").click()
    wait_for(lambda: live_server.call("GET", f"/api/v2/variables/{key}")[0] == 200, 10)
    assert live_server.ok("GET", f"/api/v2/variables/{key}")["value"] == "made-in-the-form"
    text = browser.settle([key], "variable_form_after")
    assert key in text
    assert not browser.watch.problems(), browser.watch.problems()
    live_server.ok("DELETE", f"/api/v2/variables/{key}")


def test_create_connection_through_the_form(browser: Browser, live_server: LiveServer) -> None:
    """Admin > Connections > Add Connection: pick the postgres type, fill host/login/password,
    save; the connection exists with those fields and the list shows it."""
    conn_id = f"ui_conn_{uuid.uuid4().hex[:8]}"
    page = browser.page
    browser.open("/connections", [], "connection_form_before")
    page.get_by_role("button", name="Add Connection").click()
    page.locator("input[name=connection_id]").fill(conn_id)
    type_input = page.locator("[role=dialog] input:not([name])").first
    type_input.click()
    type_input.fill("postgres")
    page.keyboard.press("Enter")
    page.locator("[role=dialog] input[name=host]").fill("db.example.internal")
    page.locator("[role=dialog] input[name=login]").fill("ui_user")
    page.locator("[role=dialog] input[name=password]").fill("ui-secret-pw")
    page.get_by_role("button", name="Save").click()
    wait_for(lambda: live_server.call("GET", f"/api/v2/connections/{conn_id}")[0] == 200, 10)
    conn = live_server.ok("GET", f"/api/v2/connections/{conn_id}")
    assert (conn["conn_type"], conn["host"], conn["login"]) == (
        "postgres",
        "db.example.internal",
        "ui_user",
    )
    assert conn["password"] == "***"  # stored, never returned
    text = browser.settle([conn_id], "connection_form_after")
    assert conn_id in text
    assert "ui-secret-pw" not in text
    assert not browser.watch.problems(), browser.watch.problems()
    live_server.ok("DELETE", f"/api/v2/connections/{conn_id}")
