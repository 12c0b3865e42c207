"""Print the README tables from dags/*.py docstrings and airflow/*.json results.

Run from tests/runtime/corpus:  python tools/readme_tables.py
"""

from __future__ import annotations

import ast
import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(HERE / "tools"))
ABBR = {"success": "ok", "skipped": "skip", "failed": "FAIL", "upstream_failed": "UF"}


def _summary(path: Path) -> str:
    doc = ast.get_docstring(ast.parse(path.read_text())) or ""
    return " ".join(doc.split("\n\n")[0].split())


def _label(col: str) -> str:
    return col.replace("teardown_", "teardown: ").replace("_and_", " + ").replace("_", " ")


def main() -> None:
    docs = {
        json.loads(p.read_text())["dag_id"]: json.loads(p.read_text())
        for p in sorted((HERE / "airflow").glob("rt_*.json"))
    }
    print("| DAG id | What it exercises | Airflow run state |")
    print("|---|---|---|")
    for dag_id, d in docs.items():
        state = d.get("run_state") or ("error" if "error" in d else "skipped")
        print(f"| `{dag_id}` | {_summary(HERE / 'dags' / d['file'])} | {state} |")

    print()
    rules = [k for k in docs if k.startswith("rt_tr_")]
    from gen_trigger_rule_dags import SCENARIOS, SETUP_SCENARIOS

    cols = list(SCENARIOS) + [f"teardown_{k}" for k in SETUP_SCENARIOS]
    print("| rule | " + " | ".join(_label(c) for c in cols) + " | run |")
    print("|---|" + "---|" * (len(cols) + 1))
    for k in rules:
        states = {t["task_id"].removeprefix("when_"): t["state"] for t in docs[k]["task_instances"]}
        cells = [ABBR.get(states[c], states[c]) if c in states else "" for c in cols]
        print(
            f"| {k.removeprefix('rt_tr_')} | " + " | ".join(cells) + f" | {docs[k]['run_state']} |"
        )


if __name__ == "__main__":
    main()
