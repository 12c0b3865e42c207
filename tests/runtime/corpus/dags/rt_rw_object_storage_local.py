"""ObjectStoragePath on the local file system (file:// and a plain path), as in Airflow's
object-storage tutorial: a task writes a CSV under a base path (mkdir of the parent, write_text,
open in append mode), a second lists and reads it (iterdir, glob, exists, stat, size, name /
suffix / stem / parent / path / key / protocol), and a third removes it (unlink)."""

from __future__ import annotations

from datetime import datetime, timezone

from airflow.sdk import DAG, ObjectStoragePath, task

BASE = ObjectStoragePath("file:///tmp/rt_rw_object_storage_local/")


@task
def write(ds=None):
    path = BASE / "exports" / f"{ds}.csv"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("id,amount\n1,10\n")
    with path.open("a") as f:
        f.write("2,20\n")
    return str(path)


@task
def inspect(location):
    path = ObjectStoragePath(location)
    plain = ObjectStoragePath("/tmp/rt_rw_object_storage_local/exports")
    return {
        "text": path.read_text(),
        "exists": path.exists(),
        "size": path.stat().st_size,
        "size_method": path.size(),
        "name": path.name,
        "suffix": path.suffix,
        "stem": path.stem,
        "parent": str(path.parent),
        "path": path.path,
        "key": path.key,
        "protocol": path.protocol,
        "listing": sorted(p.name for p in (BASE / "exports").iterdir()),
        "glob": sorted(p.name for p in BASE.glob("**/*.csv")),
        "plain": [str(plain), plain.protocol, plain.is_dir()],
    }


@task
def remove(location):
    path = ObjectStoragePath(location)
    path.unlink()
    return path.exists()


with DAG(
    dag_id="rt_rw_object_storage_local",
    schedule=None,
    start_date=datetime(2024, 1, 1, tzinfo=timezone.utc),
    catchup=False,
    tags=["leoflow-corpus"],
):
    loc = write()
    inspect(loc) >> remove(loc)
