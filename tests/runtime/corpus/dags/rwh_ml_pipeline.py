"""Astronomer-style ML pipeline: feature engineering in a @task_group, dynamic training over a
hyper-parameter grid with expand/partial, model selection, and a conditional deploy."""

from __future__ import annotations

import json
import logging
import math
import random
from datetime import timedelta
from pathlib import Path

import pendulum

from airflow.sdk import Variable, dag, task, task_group, chain
from airflow.providers.standard.operators.empty import EmptyOperator

logger = logging.getLogger(__name__)

MODEL_DIR = Path("/tmp/models")
LEARNING_RATES = [0.001, 0.01, 0.1]
DEPTHS = [2, 4]
MIN_SCORE = float(Variable.get("ml_min_score", default=0.6))


def fake_dataset(seed: int, n: int = 50):
    rng = random.Random(seed)
    return [[rng.random() for _ in range(3)] for _ in range(n)]


def score(lr: float, depth: int) -> float:
    return round(1 - abs(math.log10(lr) + 2) / 4 - 0.05 * abs(depth - 3), 4)


@dag(
    schedule=None,
    start_date=pendulum.datetime(2024, 1, 1, tz="UTC"),
    catchup=False,
    default_args={"retries": 2, "retry_delay": timedelta(seconds=1), "owner": "ml"},
    tags=["ml"],
)
def rwh_ml_pipeline():
    @task
    def ingest() -> str:
        MODEL_DIR.mkdir(parents=True, exist_ok=True)
        path = MODEL_DIR / "raw.json"
        path.write_text(json.dumps(fake_dataset(42)))
        return str(path)

    @task_group(group_id="features")
    def features(raw_path: str):
        @task
        def normalize(path: str) -> str:
            data = json.loads(Path(path).read_text())
            mx = [max(r[i] for r in data) for i in range(3)]
            out = [[r[i] / mx[i] for i in range(3)] for r in data]
            dst = Path(path).with_name("norm.json")
            dst.write_text(json.dumps(out))
            return str(dst)

        @task
        def split(path: str) -> dict:
            data = json.loads(Path(path).read_text())
            cut = int(len(data) * 0.8)
            return {"train": len(data[:cut]), "test": len(data[cut:])}

        @task
        def stats(path: str) -> dict:
            data = json.loads(Path(path).read_text())
            return {"n": len(data), "mean0": round(sum(r[0] for r in data) / len(data), 6)}

        norm = normalize(raw_path)
        return {"split": split(norm), "stats": stats(norm)}

    @task
    def build_grid(split: dict) -> list[dict]:
        return [{"lr": lr, "depth": d, "n_train": split["train"]} for lr in LEARNING_RATES for d in DEPTHS]

    @task(map_index_template="{{ task.op_kwargs['config']['lr'] if false else 'cfg' }}")
    def train(config: dict, epochs: int) -> dict:
        s = score(config["lr"], config["depth"])
        return {**config, "epochs": epochs, "score": s}

    @task
    def select_best(results) -> dict:
        results = list(results)
        best = max(results, key=lambda r: (r["score"], -r["lr"]))
        logger.info("best model %s", best)
        return best

    @task.branch
    def good_enough(best: dict):
        return "deploy" if best["score"] >= MIN_SCORE else "reject"

    @task
    def deploy(best: dict):
        (MODEL_DIR / "model.json").write_text(json.dumps(best))
        return f"deployed lr={best['lr']} depth={best['depth']}"

    reject = EmptyOperator(task_id="reject")
    finish = EmptyOperator(task_id="finish", trigger_rule="none_failed_min_one_success")

    raw = ingest()
    feats = features(raw)
    grid = build_grid(feats["split"])
    results = train.partial(epochs=3).expand(config=grid)
    best = select_best(results)
    d = deploy(best)
    chain(best, good_enough(best), [d, reject], finish)
    feats["stats"] >> finish


rwh_ml_pipeline()
