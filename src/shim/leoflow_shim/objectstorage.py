"""`airflow.sdk.ObjectStoragePath` for the local file system (`file://` URLs and plain paths).

Airflow's class is a universal-pathlib path over fsspec; DAG environments have neither, so
this one serves the local protocol with `pathlib` (same names, same text forms) and refuses
I/O on other protocols (s3, gcs, ...) with a message that says so.
"""

from __future__ import annotations

import os
import pathlib
import posixpath
from typing import Any

from leoflow_shim._base import ShimError

_LOCAL = ("", "file", "local")


def _split(url: str) -> tuple[str, str]:
    """(protocol, path): "file:///tmp/x" -> ("file", "/tmp/x"), "/tmp/x" -> ("", "/tmp/x")."""
    if "://" not in url:
        return "", url
    protocol, rest = url.split("://", 1)
    return protocol, rest if protocol not in _LOCAL or rest.startswith("/") else "/" + rest


class ObjectStoragePath(os.PathLike):  # type: ignore[type-arg]
    def __init__(
        self,
        path: Any,
        *args: Any,
        protocol: str | None = None,
        conn_id: str | None = None,
        **storage_options: Any,
    ) -> None:
        if isinstance(path, ObjectStoragePath):
            found, raw = path.protocol, path.path
            conn_id = conn_id or path.conn_id
        else:
            found, raw = _split(os.fspath(path) if isinstance(path, os.PathLike) else str(path))
        self.protocol = protocol if protocol is not None else found
        joined = posixpath.join(raw, *(str(a) for a in args)) if args else raw
        normal = posixpath.normpath(joined) if joined else ""
        self._path = "/" + normal.lstrip("/") if normal.startswith("//") else normal
        self.conn_id = conn_id
        self.storage_options = storage_options

    # --- names ---------------------------------------------------------------------------------
    @property
    def path(self) -> str:
        return self._path

    @property
    def key(self) -> str:
        return self._path.lstrip("/") if self.protocol in _LOCAL else self._path.partition("/")[2]

    @property
    def bucket(self) -> str:
        return "" if self.protocol in _LOCAL else self._path.partition("/")[0]

    container = bucket

    @property
    def namespace(self) -> str:
        return f"{self.protocol}://{self.bucket}" if self.bucket else self.protocol

    @property
    def name(self) -> str:
        return self._pure.name

    @property
    def suffix(self) -> str:
        return self._pure.suffix

    @property
    def suffixes(self) -> list[str]:
        return self._pure.suffixes

    @property
    def stem(self) -> str:
        return self._pure.stem

    @property
    def parts(self) -> tuple[str, ...]:
        return self._pure.parts

    @property
    def parent(self) -> ObjectStoragePath:
        return self._like(str(self._pure.parent))

    @property
    def _pure(self) -> pathlib.PurePosixPath:
        return pathlib.PurePosixPath(self._path)

    def _like(self, path: str) -> ObjectStoragePath:
        return ObjectStoragePath(path, protocol=self.protocol, conn_id=self.conn_id)

    def __str__(self) -> str:
        return f"{self.protocol}://{self._path}" if self.protocol else self._path

    def __repr__(self) -> str:
        return f"ObjectStoragePath({str(self)!r})"

    def __fspath__(self) -> str:
        return self._path

    def __truediv__(self, other: Any) -> ObjectStoragePath:
        return self.joinpath(other)

    def joinpath(self, *others: Any) -> ObjectStoragePath:
        return self._like(posixpath.join(self._path, *(str(o) for o in others)))

    def with_name(self, name: str) -> ObjectStoragePath:
        return self._like(str(self._pure.with_name(name)))

    def with_suffix(self, suffix: str) -> ObjectStoragePath:
        return self._like(str(self._pure.with_suffix(suffix)))

    def __eq__(self, other: Any) -> bool:
        return isinstance(other, ObjectStoragePath) and str(self) == str(other)

    def __hash__(self) -> int:
        return hash(str(self))

    def __lt__(self, other: ObjectStoragePath) -> bool:
        return str(self) < str(other)

    # --- local I/O -----------------------------------------------------------------------------
    @property
    def _local(self) -> pathlib.Path:
        if self.protocol not in _LOCAL:
            raise ShimError(
                f"ObjectStoragePath {str(self)!r}: Leoflow serves only local paths (file://); "
                f"the {self.protocol!r} protocol needs fsspec and its provider"
            )
        return pathlib.Path(self._path)

    def exists(self) -> bool:
        return self._local.exists()

    def is_dir(self) -> bool:
        return self._local.is_dir()

    def is_file(self) -> bool:
        return self._local.is_file()

    def mkdir(self, mode: int = 0o777, parents: bool = False, exist_ok: bool = False) -> None:
        self._local.mkdir(mode=mode, parents=parents, exist_ok=exist_ok)

    def touch(self, exist_ok: bool = True) -> None:
        self._local.touch(exist_ok=exist_ok)

    def open(self, mode: str = "r", **kwargs: Any) -> Any:
        return self._local.open(mode, **kwargs)

    def read_text(self, encoding: str | None = None, errors: str | None = None) -> str:
        return self._local.read_text(encoding=encoding, errors=errors)

    def read_bytes(self) -> bytes:
        return self._local.read_bytes()

    def write_text(self, data: str, encoding: str | None = None, **kwargs: Any) -> int:
        return self._local.write_text(data, encoding=encoding, **kwargs)

    def write_bytes(self, data: bytes) -> int:
        return self._local.write_bytes(data)

    def iterdir(self) -> Any:
        return (self._like(str(p)) for p in self._local.iterdir())

    def glob(self, pattern: str) -> Any:
        return (self._like(str(p)) for p in self._local.glob(pattern))

    def rglob(self, pattern: str) -> Any:
        return (self._like(str(p)) for p in self._local.rglob(pattern))

    def stat(self) -> os.stat_result:
        return self._local.stat()

    def size(self) -> int:
        return self._local.stat().st_size

    def unlink(self, missing_ok: bool = False) -> None:
        self._local.unlink(missing_ok=missing_ok)

    def rmdir(self, recursive: bool = True) -> None:
        import shutil

        if recursive:
            shutil.rmtree(self._local)
        else:
            self._local.rmdir()

    def rename(self, target: Any) -> ObjectStoragePath:
        dest = target if isinstance(target, ObjectStoragePath) else self._like(str(target))
        self._local.rename(dest._local)
        return dest

    def copy(self, dst: Any, recursive: bool = False, **kwargs: Any) -> None:
        import shutil

        dest = dst if isinstance(dst, ObjectStoragePath) else ObjectStoragePath(dst)
        if self.is_dir():
            shutil.copytree(self._local, dest._local, dirs_exist_ok=True)
        else:
            target = dest._local / self.name if dest.is_dir() else dest._local
            shutil.copyfile(self._local, target)

    def move(self, path: Any, recursive: bool = False, **kwargs: Any) -> None:
        self.copy(path, recursive=recursive, **kwargs)
        if self.is_dir():
            self.rmdir(recursive=True)
        else:
            self.unlink()


ObjectStoragePath.__module__ = "airflow.sdk.io.path"
