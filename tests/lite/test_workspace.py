"""Workspace resolution: scaffolding, never overwriting, the fail-safe, data dirs and ports."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest

from leoflow.lite.workspace import WorkspaceError, data_dir_for, pick_port, resolve


def test_empty_folder_is_scaffolded_from_starter(tmp_path: Path) -> None:
    """A first run in an empty folder writes the starter workspace (leoflow.yaml + dags/)."""
    ws = resolve(tmp_path / "new", tmp_path / "home")
    assert (ws.root / "leoflow.yaml").is_file()
    assert (ws.dags_dir / "etl_pipeline.py").is_file()
    assert "leoflow.yaml" in ws.scaffolded


def test_user_files_are_never_overwritten(tmp_path: Path) -> None:
    """A folder with the user's own files keeps them byte for byte; only leoflow.yaml is added."""
    root = tmp_path / "mine"
    (root / "dags").mkdir(parents=True)
    (root / "dags" / "etl_pipeline.py").write_text("# mine\n")
    ws = resolve(root, tmp_path / "home")
    assert (root / "dags" / "etl_pipeline.py").read_text() == "# mine\n"
    assert ws.scaffolded == ["leoflow.yaml"]
    assert ws.config.dags_folder == "dags"


def test_missing_or_empty_known_workspace_is_not_scaffolded(tmp_path: Path) -> None:
    """A missing (or emptied) path that has a data dir from earlier runs is refused, untouched."""
    home = tmp_path / "home"
    root = tmp_path / "drive" / "ws"
    data_dir_for(root, home).mkdir(parents=True)
    with pytest.raises(WorkspaceError, match="does not create a new"):
        resolve(root, home)
    assert not root.exists()
    root.mkdir(parents=True)
    with pytest.raises(WorkspaceError, match="does not scaffold"):
        resolve(root, home)
    assert list(root.iterdir()) == []


def test_each_workspace_has_its_own_data_dir(tmp_path: Path) -> None:
    """Two workspaces (even with the same folder name) get different data dirs."""
    home = tmp_path / "home"
    a = data_dir_for(tmp_path / "a" / "ws", home)
    b = data_dir_for(tmp_path / "b" / "ws", home)
    assert a != b
    assert a.parent == b.parent == home / "workspaces"


def test_busy_port_moves_to_the_next_free_one() -> None:
    """A port in use makes Lite pick the next free one."""
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        assert pick_port("127.0.0.1", port) > port


def test_invalid_yaml_is_a_clear_error(tmp_path: Path) -> None:
    """A broken leoflow.yaml is reported with its path, not a traceback."""
    root = tmp_path / "ws"
    root.mkdir()
    (root / "leoflow.yaml").write_text("dags_folder: [\n")
    with pytest.raises(WorkspaceError, match="not valid YAML"):
        resolve(root, tmp_path / "home")
