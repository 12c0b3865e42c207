"""Airflow 3.2.1's default connections (`airflow.utils.db.get_default_connections`): what
`POST /api/v2/connections/defaults` creates, each only when no connection has its id.

Extras are kept as JSON objects and stored compactly dumped (Airflow stores its source's
indented text; the same JSON).
"""

from __future__ import annotations

import json
from typing import Any


def _conn(
    conn_id: str, *, extra: dict[str, Any] | None = None, **fields: Any
) -> tuple[str, dict[str, Any]]:
    if extra is not None:
        fields["extra"] = json.dumps(extra)
    return conn_id, fields


DEFAULT_CONNECTIONS: tuple[tuple[str, dict[str, Any]], ...] = (
    _conn("airflow_db", conn_type="mysql", host="mysql", login="root", schema="airflow"),
    _conn("athena_default", conn_type="athena"),
    _conn("aws_default", conn_type="aws"),
    _conn(
        "azure_batch_default",
        conn_type="azure_batch",
        login="<ACCOUNT_NAME>",
        extra={"account_url": "<ACCOUNT_URL>"},
    ),
    _conn(
        "azure_cosmos_default",
        conn_type="azure_cosmos",
        extra={"database_name": "<DATABASE_NAME>", "collection_name": "<COLLECTION_NAME>"},
    ),
    _conn(
        "azure_data_explorer_default",
        conn_type="azure_data_explorer",
        host="https://<CLUSTER>.kusto.windows.net",
        extra={
            "auth_method": "<AAD_APP | AAD_APP_CERT | AAD_CREDS | AAD_DEVICE>",
            "tenant": "<TENANT ID>",
            "certificate": "<APPLICATION PEM CERTIFICATE>",
            "thumbprint": "<APPLICATION CERTIFICATE THUMBPRINT>",
        },
    ),
    _conn(
        "azure_data_lake_default",
        conn_type="azure_data_lake",
        extra={"tenant": "<TENANT>", "account_name": "<ACCOUNTNAME>"},
    ),
    _conn("azure_default", conn_type="azure"),
    _conn("cassandra_default", conn_type="cassandra", host="cassandra", port=9042),
    _conn("databricks_default", conn_type="databricks", host="localhost"),
    _conn("dingding_default", conn_type="http", host=""),
    _conn(
        "drill_default",
        conn_type="drill",
        host="localhost",
        port=8047,
        extra={"dialect_driver": "drill+sadrill", "storage_plugin": "dfs"},
    ),
    _conn(
        "druid_broker_default",
        conn_type="druid",
        host="druid-broker",
        port=8082,
        extra={"endpoint": "druid/v2/sql"},
    ),
    _conn(
        "druid_ingest_default",
        conn_type="druid",
        host="druid-overlord",
        port=8081,
        extra={"endpoint": "druid/indexer/v1/task"},
    ),
    _conn(
        "elasticsearch_default",
        conn_type="elasticsearch",
        host="localhost",
        schema="http",
        port=9200,
    ),
    _conn(
        "emr_default",
        conn_type="emr",
        extra={
            "Name": "default_job_flow_name",
            "LogUri": "s3://my-emr-log-bucket/default_job_flow_location",
            "ReleaseLabel": "emr-4.6.0",
            "Instances": {
                "Ec2KeyName": "mykey",
                "Ec2SubnetId": "somesubnet",
                "InstanceGroups": [
                    {
                        "Name": "Master nodes",
                        "Market": "ON_DEMAND",
                        "InstanceRole": "MASTER",
                        "InstanceType": "r3.2xlarge",
                        "InstanceCount": 1,
                    },
                    {
                        "Name": "Core nodes",
                        "Market": "ON_DEMAND",
                        "InstanceRole": "CORE",
                        "InstanceType": "r3.2xlarge",
                        "InstanceCount": 1,
                    },
                ],
                "TerminationProtected": False,
                "KeepJobFlowAliveWhenNoSteps": False,
            },
            "Applications": [{"Name": "Spark"}],
            "VisibleToAllUsers": True,
            "JobFlowRole": "EMR_EC2_DefaultRole",
            "ServiceRole": "EMR_DefaultRole",
            "Tags": [
                {"Key": "app", "Value": "analytics"},
                {"Key": "environment", "Value": "development"},
            ],
        },
    ),
    _conn(
        "facebook_default",
        conn_type="facebook_social",
        extra={
            "account_id": "<AD_ACCOUNT_ID>",
            "app_id": "<FACEBOOK_APP_ID>",
            "app_secret": "<FACEBOOK_APP_SECRET>",
            "access_token": "<FACEBOOK_AD_ACCESS_TOKEN>",
        },
    ),
    _conn("fs_default", conn_type="fs", extra={"path": "/"}),
    _conn(
        "ftp_default",
        conn_type="ftp",
        host="localhost",
        login="airflow",
        password="airflow",
        port=21,
        extra={"key_file": "~/.ssh/id_rsa", "no_host_key_check": True},
    ),
    _conn("google_cloud_default", conn_type="google_cloud_platform", schema="default"),
    _conn("gremlin_default", conn_type="gremlin", host="gremlin", port=8182),
    _conn(
        "hive_cli_default",
        conn_type="hive_cli",
        host="localhost",
        schema="default",
        port=10000,
        extra={"use_beeline": True, "auth": ""},
    ),
    _conn(
        "hiveserver2_default",
        conn_type="hiveserver2",
        host="localhost",
        schema="default",
        port=10000,
    ),
    _conn("http_default", conn_type="http", host="https://www.httpbin.org/"),
    _conn("iceberg_default", conn_type="iceberg", host="https://api.iceberg.io/ws/v1"),
    _conn("impala_default", conn_type="impala", host="localhost", port=21050),
    _conn(
        "kafka_default",
        conn_type="kafka",
        extra={"bootstrap.servers": "broker:29092", "group.id": "my-group"},
    ),
    _conn("kubernetes_default", conn_type="kubernetes"),
    _conn(
        "kylin_default",
        conn_type="kylin",
        host="localhost",
        login="ADMIN",
        password="KYLIN",
        port=7070,
    ),
    _conn("leveldb_default", conn_type="leveldb", host="localhost"),
    _conn("livy_default", conn_type="livy", host="livy", port=8998),
    _conn(
        "local_mysql",
        conn_type="mysql",
        host="localhost",
        login="airflow",
        password="airflow",
        schema="airflow",
    ),
    _conn(
        "metastore_default",
        conn_type="hive_metastore",
        host="localhost",
        port=9083,
        extra={"authMechanism": "PLAIN"},
    ),
    _conn("mongo_default", conn_type="mongo", host="mongo", port=27017),
    _conn("mssql_default", conn_type="mssql", host="localhost", port=1433),
    _conn("mysql_default", conn_type="mysql", host="mysql", login="root", schema="airflow"),
    _conn("opensearch_default", conn_type="opensearch", host="localhost", schema="http", port=9200),
    _conn("opsgenie_default", conn_type="http", host=""),
    _conn(
        "oracle_default",
        conn_type="oracle",
        host="localhost",
        login="root",
        password="password",
        schema="schema",
        port=1521,
    ),
    _conn(
        "oss_default",
        conn_type="oss",
        extra={
            "auth_type": "AK",
            "access_key_id": "<ACCESS_KEY_ID>",
            "access_key_secret": "<ACCESS_KEY_SECRET>",
            "region": "<YOUR_OSS_REGION>",
        },
    ),
    _conn("pig_cli_default", conn_type="pig_cli", schema="default"),
    _conn("pinot_admin_default", conn_type="pinot", host="localhost", port=9000),
    _conn(
        "pinot_broker_default",
        conn_type="pinot",
        host="localhost",
        port=9000,
        extra={"endpoint": "/query", "schema": "http"},
    ),
    _conn(
        "postgres_default",
        conn_type="postgres",
        host="postgres",
        login="postgres",
        password="airflow",
        schema="airflow",
    ),
    _conn("presto_default", conn_type="presto", host="localhost", schema="hive", port=3400),
    _conn("qdrant_default", conn_type="qdrant", host="qdrant", port=6333),
    _conn("redis_default", conn_type="redis", host="redis", port=6379, extra={"db": 0}),
    _conn(
        "redshift_default",
        conn_type="redshift",
        extra={
            "iam": True,
            "cluster_identifier": "<REDSHIFT_CLUSTER_IDENTIFIER>",
            "port": 5439,
            "profile": "default",
            "db_user": "awsuser",
            "database": "dev",
            "region": "",
        },
    ),
    _conn(
        "salesforce_default",
        conn_type="salesforce",
        login="username",
        password="password",
        extra={"security_token": "security_token"},
    ),
    _conn("segment_default", conn_type="segment", extra={"write_key": "my-segment-write-key"}),
    _conn(
        "sftp_default",
        conn_type="sftp",
        host="localhost",
        login="airflow",
        port=22,
        extra={"key_file": "~/.ssh/id_rsa", "no_host_key_check": True},
    ),
    _conn("spark_default", conn_type="spark", host="yarn", extra={"queue": "root.default"}),
    _conn("sqlite_default", conn_type="sqlite", host="/tmp/sqlite_default.db"),
    _conn("ssh_default", conn_type="ssh", host="localhost"),
    _conn(
        "tableau_default",
        conn_type="tableau",
        host="https://tableau.server.url",
        login="user",
        password="password",
        extra={"site_id": "my_site"},
    ),
    _conn(
        "teradata_default",
        conn_type="teradata",
        host="localhost",
        login="user",
        password="password",
        schema="schema",
    ),
    _conn("trino_default", conn_type="trino", host="localhost", schema="hive", port=3400),
    _conn("vertica_default", conn_type="vertica", host="localhost", port=5433),
    _conn("wasb_default", conn_type="wasb", extra={"sas_token": None}),
    _conn("webhdfs_default", conn_type="hdfs", host="localhost", port=50070),
    _conn("yandexcloud_default", conn_type="yandexcloud", schema="default"),
    _conn(
        "ydb_default",
        conn_type="ydb",
        host="grpc://localhost",
        port=2135,
        extra={"database": "/local"},
    ),
)
