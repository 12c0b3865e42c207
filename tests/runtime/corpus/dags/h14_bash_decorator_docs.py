from __future__ import annotations
from datetime import datetime, timedelta, timezone
from airflow.sdk import DAG, task

with DAG("h14_bash_decorator_docs", schedule=None, start_date=datetime(2024, 1, 1, tzinfo=timezone.utc), catchup=False, params={"name": "world"}):
    @task.bash
    def setup_dir():
        return "mkdir -p /tmp/h14_h14_bash_decorator_docs && echo created"

    @task.bash(env={"GREETING": "hi"}, append_env=True, cwd="/tmp/h14_h14_bash_decorator_docs")
    def greet(name: str):
        return f'echo "$GREETING {name} from $(basename $(pwd)) [{{{{ params.name }}}}]"'

    @task.bash(skip_on_exit_code=[3])
    def maybe_skip():
        return "exit 3"

    @task.bash
    def multi_line(n: int):
        return f"""
for i in $(seq 1 {n}); do
  echo "line $i"
done
"""

    @task.bash(output_processor=lambda out: int(out) * 2)
    def processed():
        return "echo 21"

    @task.bash
    def fails():
        return "echo about to fail; exit 2"

    @task.bash(trigger_rule="all_done")
    def after(greeting, lines, val):
        return f"echo '{greeting}|{lines}|{val}'"

    s = setup_dir()
    g = greet("airflow")
    s >> g
    after(g, multi_line(3), processed()) << [maybe_skip(), fails()]
