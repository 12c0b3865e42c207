from datetime import datetime, timezone
from airflow.sdk import DAG
from airflow.providers.standard.operators.bash import BashOperator

with DAG("h10_bash_exit_edges", schedule=None, start_date=datetime(2024, 1, 1, tzinfo=timezone.utc), catchup=False):
    BashOperator(task_id="skip_on_zero", bash_command="echo hi; exit 0", skip_on_exit_code=0)
    BashOperator(task_id="skip_list_empty", bash_command="exit 99", skip_on_exit_code=[])
    BashOperator(task_id="skip_none", bash_command="exit 99", skip_on_exit_code=None)
    BashOperator(task_id="skip_tuple", bash_command="exit 3", skip_on_exit_code=(2, 3))
    BashOperator(task_id="trailing_blank", bash_command="echo first; echo last; echo")
    BashOperator(task_id="no_output", bash_command="true")
    BashOperator(task_id="spaces_only", bash_command="echo 'val   '; echo '   '")
    BashOperator(task_id="no_newline", bash_command="printf 'a\\nb'")
    BashOperator(task_id="unicode", bash_command="echo 'héllo → wörld'")
    BashOperator(task_id="stderr_last", bash_command="echo out; echo err 1>&2")
    BashOperator(task_id="multi_set_e", bash_command="set -e\necho one\nfalse\necho two\n")
    BashOperator(task_id="pipefail_off", bash_command="false | echo piped")
    BashOperator(task_id="cmd_not_found", bash_command="h10_no_such_cmd_xyz")
    BashOperator(task_id="exit_in_sub", bash_command="(exit 5); echo after")
