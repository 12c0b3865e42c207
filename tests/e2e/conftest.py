"""Fixtures of the end-to-end API/UI tests: one running `leoflow lite` for the session.

- `checks_dir` (session): the shared black-box checks (`../shared/tools/api-ui-checks`, or
  `$LEOFLOW_API_UI_CHECKS`); tests that need them skip when they are absent.
- `e2e_dag_python` (session): the default DAG environment (built once, cached across runs).
- `live_server` (session): `leoflow lite` serving a workspace whose dags/ holds the checks' DAGs
  and `ui_workspace/dags/`, over a database of the session's Postgres (see `live_server.py`).
- `artifacts` (session): `test-artifacts/` of the repository (gitignored), for screenshots.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from leoflow import environments
from leoflow.store.db import EmbeddedPostgres, drop_database, ensure_database

from .live_server import REPO, LiveServer, make_workspace, ui_cache

TEST_HOME = Path.home() / ".cache" / "leoflow-test" / "home"
UI_DAGS = Path(__file__).parent / "ui_workspace" / "dags"
CHECK_DAG_IDS = ("check_bash_chain", "check_xcom")
UI_DAG_IDS = ("ui_showcase",)


@pytest.fixture(scope="session")
def checks_dir() -> Path:
    """The shared API/UI checks folder (api_client_check.py, ui_browser_check.py, check_dags/)."""
    path = Path(os.environ.get("LEOFLOW_API_UI_CHECKS", REPO.parent / "shared/tools/api-ui-checks"))
    if not (path / "api_client_check.py").is_file():
        pytest.skip(f"the shared API/UI checks are not at {path} (set LEOFLOW_API_UI_CHECKS)")
    return path


def shared_dag_python() -> str:
    """The default DAG environment's Python, built once under the tests' home and cached across
    runs, for tests that give each run its own LEOFLOW_HOME."""
    return str(environments.ensure(home=TEST_HOME).python)


@pytest.fixture(scope="session")
def e2e_dag_python() -> Path:
    """The default DAG environment's Python (built once, cached across test runs)."""
    return environments.ensure(home=TEST_HOME).python


@pytest.fixture(scope="session")
def artifacts() -> Path:
    """`test-artifacts/` of the repository: screenshots and request lists of the UI tests."""
    path = REPO / "test-artifacts"
    path.mkdir(exist_ok=True)
    return path


@pytest.fixture(scope="session")
def live_server(
    pg: EmbeddedPostgres,
    checks_dir: Path,
    e2e_dag_python: Path,
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[LiveServer]:
    """`leoflow lite` on a free port with the check DAGs and the UI DAGs registered."""
    root = tmp_path_factory.mktemp("live")
    dag_files = sorted((checks_dir / "check_dags").glob("*.py")) + sorted(UI_DAGS.glob("*.py"))
    workspace = make_workspace(root / "ws", dag_files)
    name = f"e2e_{uuid.uuid4().hex[:10]}"
    url = ensure_database(pg.url("postgres"), name, template="tmpl")
    server = LiveServer.start(
        workspace,
        home=root / "home",
        database_url=url,
        ui_cache_dir=ui_cache(tmp_path_factory.mktemp("ui-cache")),
        dag_python=e2e_dag_python,
    )
    try:
        server.wait_dags(CHECK_DAG_IDS + UI_DAG_IDS)
        yield server
    finally:
        server.stop()
        drop_database(pg.url("postgres"), name)
