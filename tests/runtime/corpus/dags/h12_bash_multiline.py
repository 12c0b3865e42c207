from __future__ import annotations
from datetime import datetime, timedelta, timezone
START = datetime(2024, 1, 1, tzinfo=timezone.utc)

from airflow.sdk import dag, task

@dag(dag_id="h12_bash_multiline", schedule=None, start_date=START, catchup=False)
def d():
    @task.bash
    def multi():
        return """
        echo first
        X=5
        echo "x is $X"
        echo last line

        """

    @task.bash
    def no_set_e():
        return """
false
echo after false
"""

    @task.bash
    def with_set_e():
        return """set -e
echo before
false
echo never
"""

    @task.bash
    def heredoc():
        return """cat <<'END'
line one
line two
END"""

    @task.bash
    def trailing_blank():
        return "echo a; echo; echo"

    @task.bash
    def pipefail():
        return "set -o pipefail; false | echo piped"

    @task.bash
    def arg_script(n: int, words: list):
        return "\n".join(f"echo {w}{n}" for w in words)

    @task.bash
    def exit_mid():
        return "echo one\nexit 3\necho two"

    @task.bash(trigger_rule="all_done")
    def final():
        return "echo done"

    [multi(), no_set_e(), with_set_e(), heredoc(), trailing_blank(), pipefail(), arg_script(2, ["p", "q"]), exit_mid()] >> final()
d()
