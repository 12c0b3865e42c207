"""The Airflow 3.2.1 UI bundle: fetched from the pinned `apache-airflow-core` wheel, not committed.

`leoflow ui fetch` downloads the wheel with pip (so the user's index settings apply), checks its
sha256, and extracts the two built SPAs (the main UI and the simple auth manager's login page) and
the OpenAPI specs into a cache folder. The API server serves from there.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path

from leoflow.errors import LeoflowError

AIRFLOW_CORE_VERSION = "3.2.1"
WHEEL_NAME = f"apache_airflow_core-{AIRFLOW_CORE_VERSION}-py3-none-any.whl"
WHEEL_SHA256 = "9f13bb8bde8ab5e4910c5fc2d1fd637af488f56e4c32c062c1de6dc83593a1b5"
DOWNLOAD_TIMEOUT_S = 300.0

# wheel member prefix -> folder inside the bundle cache
_MEMBERS = {
    "airflow/ui/dist/": "ui",
    "airflow/api_fastapi/auth/managers/simple/ui/dist/": "auth-ui",
    "airflow/api_fastapi/core_api/openapi/": "openapi",
}
_MARKER = ".complete"


class BundleError(LeoflowError):
    """The UI bundle could not be fetched or verified."""


@dataclass(frozen=True, slots=True)
class Bundle:
    root: Path

    @property
    def ui(self) -> Path:
        return self.root / "ui"

    @property
    def auth_ui(self) -> Path:
        return self.root / "auth-ui"

    @property
    def openapi(self) -> Path:
        return self.root / "openapi"


def cache_dir() -> Path:
    """Where bundles live: `$LEOFLOW_UI_CACHE`, else the user cache folder of platformdirs."""
    override = os.environ.get("LEOFLOW_UI_CACHE")
    if override:
        return Path(override)
    import platformdirs

    return Path(platformdirs.user_cache_dir("leoflow")) / "ui"


def installed(root: Path | None = None) -> Bundle | None:
    """The extracted bundle, or None when it has not been fetched (or was left half-written)."""
    bundle = Bundle((root or cache_dir()) / AIRFLOW_CORE_VERSION)
    return bundle if (bundle.root / _MARKER).is_file() else None


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def download_wheel(dest: Path) -> Path:
    """Download the pinned wheel into `dest` with pip; raise BundleError with pip's reason."""
    cmd = [
        sys.executable,
        "-m",
        "pip",
        "download",
        "--no-deps",
        "--only-binary=:all:",
        "--disable-pip-version-check",
        "-d",
        str(dest),
        f"apache-airflow-core=={AIRFLOW_CORE_VERSION}",
    ]
    try:
        proc = subprocess.run(
            cmd, capture_output=True, text=True, timeout=DOWNLOAD_TIMEOUT_S, check=False
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise BundleError(f"could not run pip to download the Airflow UI: {exc}") from exc
    wheel = dest / WHEEL_NAME
    if proc.returncode != 0 or not wheel.is_file():
        tail = (proc.stderr or proc.stdout).strip().splitlines()[-3:]
        raise BundleError(
            "could not download apache-airflow-core=="
            f"{AIRFLOW_CORE_VERSION} from the package index: {' / '.join(tail)}\n"
            "  hint: check network access to PyPI, or pass --wheel PATH to a downloaded copy"
        )
    return wheel


def extract(wheel: Path, root: Path | None = None) -> Bundle:
    """Verify `wheel` against the pinned sha256 and extract the bundle atomically."""
    actual = sha256_of(wheel)
    if actual != WHEEL_SHA256:
        raise BundleError(
            f"{wheel} has sha256 {actual}, expected {WHEEL_SHA256} "
            f"(apache-airflow-core {AIRFLOW_CORE_VERSION}); refusing to use it"
        )
    base = root or cache_dir()
    base.mkdir(parents=True, exist_ok=True)
    final = base / AIRFLOW_CORE_VERSION
    staging = Path(tempfile.mkdtemp(prefix=".staging-", dir=base))
    try:
        with zipfile.ZipFile(wheel) as zf:
            for info in zf.infolist():
                for prefix, folder in _MEMBERS.items():
                    if info.filename.startswith(prefix) and not info.is_dir():
                        rel = Path(info.filename[len(prefix) :])
                        if rel.is_absolute() or ".." in rel.parts:
                            raise BundleError(f"unsafe path in wheel: {info.filename}")
                        target = staging / folder / rel
                        target.parent.mkdir(parents=True, exist_ok=True)
                        with zf.open(info) as src, target.open("wb") as dst:
                            shutil.copyfileobj(src, dst)
        (staging / _MARKER).write_text(WHEEL_SHA256)
        if final.exists():
            shutil.rmtree(final)
        staging.rename(final)
    finally:
        if staging.exists():
            shutil.rmtree(staging, ignore_errors=True)
    return Bundle(final)


def fetch(wheel: Path | None = None, root: Path | None = None) -> Bundle:
    """Install the bundle from `wheel` (or a fresh download) unless it is already there."""
    existing = installed(root)
    if existing is not None and wheel is None:
        return existing
    if wheel is not None:
        return extract(wheel, root)
    with tempfile.TemporaryDirectory(prefix="leoflow-ui-") as tmp:
        return extract(download_wheel(Path(tmp)), root)
