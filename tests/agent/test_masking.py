"""Secrets fetched during a try are `***` in every line of its log, as Airflow's secrets masker."""

from __future__ import annotations

import json
import subprocess
import textwrap

from conftest import AGENT_ROOT, PYTHON, bash_task, python_task

PASSWORD = "s3cr3t-p@ss/word"
API_TOKEN = "tok-0123456789"
EXTRA = {"region": "eu-west-1", "api_token": API_TOKEN, "nested": {"private_key": "-----KEY-----"}}

LEAK_SRC = """
import logging, subprocess, sys
from airflow.sdk import Connection
def leak():
    c = Connection.get("db")
    print("stdout", c.password)
    print("stderr", c.password, file=sys.stderr)
    logging.getLogger("user.code").info("record %s", c.password)
    logging.getLogger("user.code").warning("extra %s", c.extra_dejson["api_token"])
    subprocess.run(["echo", "child " + c.password], check=True)
    print("region", c.extra_dejson["region"], "key", c.extra_dejson["nested"]["private_key"])
    print("uri", c.get_uri())
    raise ValueError("cannot log in with " + c.password)
with DAG("d", schedule=None, start_date=START):
    PythonOperator(task_id="leak", python_callable=leak)
"""


def _all_text(out) -> str:
    return "\n".join(json.dumps(line) for line in out.log)


def test_connection_secrets_are_masked_in_every_stream(server, run_agent, dag_file):
    """A connection's password and the sensitive values of its extra are `***` in stdout,
    stderr, logging records, a child process's output, the traceback and the reported error;
    non-sensitive extra values stay readable."""
    server.connections["db"] = {
        "conn_type": "postgres",
        "host": "dbhost",
        "login": "user",
        "password": PASSWORD,
        "extra": json.dumps(EXTRA),
    }
    out = run_agent(server.add_ti(python_task("leak")), dag_file=dag_file(LEAK_SRC))
    assert out.state == "failed", out.text()
    text = _all_text(out)
    for secret in (PASSWORD, API_TOKEN, "-----KEY-----"):
        assert secret not in text
        assert secret not in out.report["error"]
    stdout = out.events("task.stdout")
    assert "stdout ***" in stdout
    assert "child ***" in stdout
    assert "region eu-west-1 key ***" in stdout
    assert "stderr ***" in out.events("task.stderr")
    assert out.events("user.code") == ["record ***", "extra ***"]
    assert any("cannot log in with ***" in e for e in out.events("airflow.task"))
    assert out.report["error"] == "ValueError: cannot log in with ***"


def test_variables_masked_by_sensitive_key(server, run_agent):
    """Variables whose key holds a sensitive word (Airflow's list) are masked wherever they are
    printed; other keys, values shorter than 5 characters and "airflow" are not."""
    server.variables.update(
        my_api_key="key-abcdef123",
        DB_PASSWORD="hunter2hunter2",
        service_account_json="svc-account-777",
        greeting="hello world",
        short_token="abc",
        secret_name="airflow",
    )
    command = " ".join(
        f"echo {k}={{{{ var.value.{k} }}}};"
        for k in (
            "my_api_key",
            "DB_PASSWORD",
            "service_account_json",
            "greeting",
            "short_token",
            "secret_name",
        )
    )
    out = run_agent(server.add_ti(bash_task("b", command)))
    assert out.state == "success", out.text()
    assert out.events("task.stdout") == [
        "my_api_key=***",
        "DB_PASSWORD=***",
        "service_account_json=***",
        "greeting=hello world",
        "short_token=abc",
        "secret_name=airflow",
    ]
    assert "hunter2hunter2" not in _all_text(out)


def test_masker_settings_from_airflow_env(server, run_agent):
    """`[core] sensitive_var_conn_names` adds words, `[logging] secret_mask_adapter` masks
    derived forms (here the URL-quoted password) and `[logging] min_length_masked_secret`
    changes the length limit, read from AIRFLOW__* variables as Airflow does."""
    server.variables.update(region_code="eu-west-1", tiny_token="abc")
    server.connections["db"] = {"conn_type": "http", "host": "h", "password": "p@ss word!"}
    command = (
        "echo {{ var.value.region_code }}; echo {{ var.value.tiny_token }}; "
        "echo '{{ conn.db.get_uri() }}'"
    )
    env = {
        "AIRFLOW__CORE__SENSITIVE_VAR_CONN_NAMES": "region, other",
        "AIRFLOW__LOGGING__SECRET_MASK_ADAPTER": "urllib.parse.quote",
        "AIRFLOW__LOGGING__MIN_LENGTH_MASKED_SECRET": "3",
    }
    out = run_agent(server.add_ti(bash_task("b", command)), env=env)
    assert out.state == "success", out.text()
    assert out.events("task.stdout") == ["***", "***", "http://:***@h"]


def _masker(script: str) -> object:
    """Run `script` against the agent's masking module in a fresh interpreter; its JSON print."""
    proc = subprocess.run(
        [PYTHON, "-c", "from leoflow_agent import masking as m\n" + textwrap.dedent(script)],
        env={"PYTHONPATH": str(AGENT_ROOT), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=30,
        check=True,
    )
    return json.loads(proc.stdout)


def test_redact_follows_airflow_rules():
    """`redact` masks registered secrets inside strings and every value under a sensitive key,
    at any depth; a secret holding a shorter one is masked whole; the word list is Airflow's."""
    result = _masker(
        """
        import json
        m.mask_secret("abcdefgh")
        m.mask_secret("abcdefgh-longer")
        m.mask_secret("visible1", "not_sensitive")
        print(json.dumps({
            "text": m.redact_text("x abcdefgh-longer y abcdefgh z visible1"),
            "nested": m.redact({"env": {"API_KEY": "k", "list": ["a abcdefgh", 3]},
                                "conn": {"password": ["p1", {"x": "p2"}]}}),
            "fields": sorted(m.DEFAULT_SENSITIVE_FIELDS),
        }))
        """
    )
    assert result == {
        "text": "x *** y *** z visible1",
        "nested": {
            "env": {"API_KEY": "***", "list": ["a ***", 3]},
            "conn": {"password": ["***", {"x": "***"}]},
        },
        "fields": sorted(
            [
                "access_key",
                "access_token",
                "api_key",
                "apikey",
                "authorization",
                "connection_string",
                "passphrase",
                "passwd",
                "password",
                "private_key",
                "proxy",
                "proxy_password",
                "proxies",
                "secret",
                "token",
                "keyfile_dict",
                "service_account",
            ]
        ),
    }
