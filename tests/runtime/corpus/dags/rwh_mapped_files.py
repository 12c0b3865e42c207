"""Dynamic task mapping over files found with pathlib: a producer writes CSV files, a glob lists
them, mapped tasks parse each file (one file is corrupt), .map() transforms the list, and
expand_kwargs drives a classic operator; a reducer sums with trigger_rule all_done."""

from __future__ import annotations

import csv
import logging
from datetime import timedelta
from pathlib import Path

import pendulum

from airflow.providers.standard.operators.bash import BashOperator
from airflow.sdk import dag, task

log = logging.getLogger(__name__)
INBOX = Path("/tmp/inbox")


def _is_valid(path: str) -> bool:
    return not path.endswith("corrupt.csv")


@dag(
    schedule=None,
    start_date=pendulum.datetime(2024, 1, 1, tz="UTC"),
    catchup=False,
    default_args={"retries": 1, "retry_delay": timedelta(seconds=1)},
    max_active_tasks=8,
)
def rwh_mapped_files():
    @task
    def land_files() -> int:
        INBOX.mkdir(parents=True, exist_ok=True)
        for name, rows in {"a": 3, "b": 5, "c": 0, "corrupt": 2}.items():
            with open(INBOX / f"{name}.csv", "w", newline="") as f:
                w = csv.writer(f)
                w.writerow(["id", "amount"])
                for i in range(rows):
                    w.writerow([i, "oops" if name == "corrupt" else i * 10])
        return len(list(INBOX.glob("*.csv")))

    @task
    def list_files(n: int) -> list[str]:
        files = sorted(str(p) for p in INBOX.glob("*.csv"))
        assert len(files) == n
        return files

    @task(retries=0)
    def parse(path: str) -> dict:
        total = 0
        with open(path) as f:
            for row in csv.DictReader(f):
                total += int(row["amount"])
        return {"file": Path(path).name, "total": total}

    @task(trigger_rule="all_done")
    def summarize(results) -> dict:
        ok = [r for r in results if r is not None]
        return {"files": len(ok), "total": sum(r["total"] for r in ok)}

    def to_cmd(path: str) -> dict:
        return {"bash_command": f"wc -l < {path}", "env": {"FILE": Path(path).stem}}

    files = list_files(land_files())
    parsed = parse.expand(path=files)
    summarize(parsed)

    BashOperator.partial(task_id="count_lines", append_env=True).expand_kwargs(files.map(to_cmd))

    @task
    def size_of(name: str) -> int:
        return len(name)

    size_of.expand(name=files.map(lambda p: Path(p).stem))


rwh_mapped_files()
