"""The workspace of `leoflow lite`: a folder with `leoflow.yaml` and its DAG files.

- `leoflow.yaml` names the DAG folder (`dags_folder`, default `dags`) and the environment.
- A first run in an empty (or missing) folder scaffolds the starter workspace; files that exist
  are never overwritten.
- Each workspace has its own data directory under the Leoflow home, keyed by its absolute path
  (`<home>/workspaces/<name>-<sha256[:12]>`). A missing workspace path that has a data directory
  from earlier runs is NEVER scaffolded anew (an unmounted drive must not look like a new
  project): `WorkspaceError`.
"""

from __future__ import annotations

import errno
import hashlib
import logging
import shutil
import socket
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from leoflow.errors import LeoflowError

log = logging.getLogger(__name__)

CONFIG_NAME = "leoflow.yaml"
DEFAULT_DAGS_FOLDER = "dags"
DEFAULT_ENVIRONMENT = "default"
PORT_TRIES = 50


class WorkspaceError(LeoflowError):
    """The workspace cannot be used as asked; the message says why and what to do."""


def starter_dir() -> Path:
    """The starter workspace shipped with Leoflow (`starter/` of the source tree)."""
    here = Path(__file__).resolve().parent
    installed = here.parent / "_roots" / "starter"
    if installed.is_dir():
        return installed
    return here.parents[2] / "starter"


def data_dir_for(root: Path, home: Path) -> Path:
    """The data directory of the workspace at `root` (absolute path), under `home`."""
    absolute = root.absolute()
    digest = hashlib.sha256(str(absolute).encode()).hexdigest()[:12]
    name = "".join(c if c.isalnum() or c in "-_" else "_" for c in absolute.name)[:40] or "root"
    return home / "workspaces" / f"{name}-{digest}"


@dataclass(frozen=True, slots=True, kw_only=True)
class WorkspaceConfig:
    """What `leoflow.yaml` says."""

    dags_folder: str = DEFAULT_DAGS_FOLDER
    environment: str = DEFAULT_ENVIRONMENT
    raw: dict[str, Any] = field(default_factory=dict)


def read_config(root: Path) -> WorkspaceConfig:
    """Parse `root/leoflow.yaml` (missing file: defaults); WorkspaceError when it is invalid."""
    import yaml  # type: ignore[import-untyped]  # PyYAML ships no type information

    path = root / CONFIG_NAME
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return WorkspaceConfig()
    except OSError as exc:
        raise WorkspaceError(f"{path}: cannot read it: {exc.strerror}") from exc
    try:
        data = yaml.safe_load(text) or {}
    except yaml.YAMLError as exc:
        raise WorkspaceError(
            f"{path}: not valid YAML: {exc}\n  hint: fix the file; the previous settings stay"
        ) from exc
    if not isinstance(data, dict):
        raise WorkspaceError(f"{path}: must be a mapping (key: value lines)")
    dags_folder = data.get("dags_folder", DEFAULT_DAGS_FOLDER)
    environment = data.get("environment", DEFAULT_ENVIRONMENT)
    if not isinstance(dags_folder, str) or not dags_folder.strip():
        raise WorkspaceError(f"{path}: dags_folder must be a folder path, e.g. `dags`")
    if not isinstance(environment, str) or not environment.strip():
        raise WorkspaceError(f"{path}: environment must be a name, e.g. `default`")
    return WorkspaceConfig(dags_folder=dags_folder, environment=environment, raw=data)


@dataclass(slots=True, kw_only=True)
class Workspace:
    """A resolved workspace: its root, its settings and its data directory."""

    root: Path
    config: WorkspaceConfig
    data_dir: Path
    scaffolded: list[str] = field(default_factory=list)  # files written by this start

    @property
    def dags_dir(self) -> Path:
        return (self.root / self.config.dags_folder).absolute()

    @property
    def config_path(self) -> Path:
        return self.root / CONFIG_NAME

    def reload_config(self) -> WorkspaceConfig:
        """Read `leoflow.yaml` again; the new settings (kept on WorkspaceError)."""
        self.config = read_config(self.root)
        return self.config


def _is_empty(folder: Path) -> bool:
    return not any(p for p in folder.iterdir() if p.name not in (".DS_Store",))


def scaffold(root: Path, starter: Path | None = None) -> list[str]:
    """Copy the starter workspace into `root` without overwriting anything; files written."""
    source = starter or starter_dir()
    written: list[str] = []
    for src in sorted(source.rglob("*")):
        if "__pycache__" in src.parts or not src.is_file():
            continue
        rel = src.relative_to(source)
        dest = root / rel
        if dest.exists() or dest.is_symlink():
            continue
        dest.parent.mkdir(parents=True, exist_ok=True)
        try:
            with dest.open("xb") as out:  # "x": never replace a file that appeared meanwhile
                out.write(src.read_bytes())
        except FileExistsError:
            continue
        shutil.copymode(src, dest)
        written.append(rel.as_posix())
    return written


def resolve(path: Path, home: Path, *, starter: Path | None = None) -> Workspace:
    """The workspace at `path`, scaffolded when new; WorkspaceError when unusable (fail-safe)."""
    root = path.expanduser().absolute()
    data_dir = data_dir_for(root, home)
    try:
        exists = root.exists()
    except OSError as exc:
        raise WorkspaceError(f"{root}: cannot reach it: {exc.strerror}") from exc
    if not exists:
        if data_dir.exists():
            raise WorkspaceError(
                f"{root}: the workspace is missing, but Lite has data for it in {data_dir}\n"
                "  hint: mount or restore the folder; Lite does not create a new, empty "
                "workspace over an old one (remove that data directory to start afresh)"
            )
        root.mkdir(parents=True)
    if not root.is_dir():
        raise WorkspaceError(f"{root}: not a folder\n  hint: pass a workspace folder")
    try:
        empty = _is_empty(root)
    except OSError as exc:
        raise WorkspaceError(f"{root}: cannot read it: {exc.strerror}") from exc
    written: list[str] = []
    if empty:
        if data_dir.exists():
            raise WorkspaceError(
                f"{root}: the workspace is empty, but Lite has data for it in {data_dir}\n"
                "  hint: restore its files; Lite does not scaffold over an old workspace "
                "(remove that data directory to start afresh)"
            )
        written = scaffold(root, starter)
    elif not (root / CONFIG_NAME).exists():
        # A folder of DAG files without leoflow.yaml: mark it as a workspace, DAGs where they are.
        folder = DEFAULT_DAGS_FOLDER if (root / DEFAULT_DAGS_FOLDER).is_dir() else "."
        with (root / CONFIG_NAME).open("x", encoding="utf-8") as out:
            out.write(
                "# A Leoflow workspace (written by `leoflow lite`).\n"
                f"dags_folder: {folder}\nenvironment: {DEFAULT_ENVIRONMENT}\n"
            )
        written = [CONFIG_NAME]
    config = read_config(root)
    dags = root / config.dags_folder
    if not dags.exists() and not data_dir.exists():  # a known workspace's folder is never made
        dags.mkdir(parents=True)
    if written:
        log.info(
            "Scaffolded the workspace.",
            extra={"event": "lite.scaffold", "root": str(root), "files": written},
        )
    return Workspace(root=root, config=config, data_dir=data_dir, scaffolded=written)


def port_free(host: str, port: int) -> bool:
    """True when `host:port` can be bound now."""
    with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as sock:
        try:
            sock.bind((host, port))
        except OSError as exc:
            if exc.errno in (errno.EADDRINUSE, errno.EACCES):
                return False
            raise
    return True


def pick_port(host: str, wanted: int, tries: int = PORT_TRIES) -> int:
    """`wanted` when free, else the next free port after it; WorkspaceError when none is."""
    for port in range(wanted, min(wanted + tries, 65536)):
        if port_free(host, port):
            return port
    raise WorkspaceError(
        f"no free port on {host} in {wanted}..{wanted + tries - 1}\n  hint: pass --port"
    )
