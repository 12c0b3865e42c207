"""airflow.sdk.ObjectStoragePath on the local file system: the text forms of Airflow 3.2.1's
class (recorded from it: str, name, suffix, stem, path, key, bucket, protocol, parent) and a
write / list / read / remove round trip; other protocols refuse I/O with a clear message
(corpus rt_rw_object_storage_local runs it inside tasks)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from leoflow.paths import shim_root

sys.path.insert(0, str(shim_root()))
from leoflow_shim._base import ShimError
from leoflow_shim.objectstorage import ObjectStoragePath


def test_text_forms_match_airflow() -> None:
    """Values printed by Airflow 3.2.1's ObjectStoragePath for the same paths."""
    base = ObjectStoragePath("file:///tmp/rwos/")
    q = base / "a" / "b.csv"
    assert (str(base), str(q)) == ("file:///tmp/rwos", "file:///tmp/rwos/a/b.csv")
    assert (q.name, q.suffix, q.stem) == ("b.csv", ".csv", "b")
    assert (q.path, q.key, q.bucket, q.protocol) == (
        "/tmp/rwos/a/b.csv",
        "tmp/rwos/a/b.csv",
        "",
        "file",
    )
    assert str(q.parent) == "file:///tmp/rwos/a"
    plain = ObjectStoragePath("/tmp/rwos/a")
    assert (str(plain), plain.protocol) == ("/tmp/rwos/a", "")
    s3 = ObjectStoragePath("s3://bucket/dir/key.json")
    assert (s3.bucket, s3.key, str(s3)) == ("bucket", "dir/key.json", "s3://bucket/dir/key.json")


def test_local_round_trip(tmp_path: Path) -> None:
    """mkdir, write_text, append through open, iterdir, glob, stat / size, unlink."""
    base = ObjectStoragePath(f"file://{tmp_path}")
    f = base / "exports" / "x.csv"
    f.parent.mkdir(parents=True, exist_ok=True)
    f.write_text("a\n")
    with f.open("a") as out:
        out.write("b\n")
    assert f.read_text() == "a\nb\n"
    assert (f.stat().st_size, f.size()) == (4, 4)
    assert [p.name for p in f.parent.iterdir()] == ["x.csv"]
    assert [str(p) for p in base.glob("**/*.csv")] == [f"file://{tmp_path}/exports/x.csv"]
    f.unlink()
    assert not f.exists()


def test_remote_protocol_refuses_io() -> None:
    """No fsspec in a DAG environment: I/O on s3:// says what is supported."""
    with pytest.raises(ShimError, match="only local paths"):
        ObjectStoragePath("s3://bucket/key").exists()
