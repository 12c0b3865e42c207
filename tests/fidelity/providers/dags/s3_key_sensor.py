"""S3KeySensor (apache-airflow-providers-amazon): single key, several keys, wildcards,
reschedule and deferrable modes."""

from __future__ import annotations

import pendulum

from airflow.providers.amazon.aws.sensors.s3 import S3KeySensor
from airflow.sdk import DAG, task


def _big_enough(files: list, **kwargs) -> bool:
    return all(f.get("Size", 0) > 0 for f in files)


with DAG(
    dag_id="fidp_s3_key_sensor",
    start_date=pendulum.datetime(2024, 1, 1, tz="UTC"),
    schedule="@daily",
) as dag:
    one = S3KeySensor(
        task_id="one_key",
        bucket_name="landing",
        bucket_key="incoming/{{ ds }}/data.csv",
        aws_conn_id="aws_lake",
        mode="reschedule",
        poke_interval=120,
    )
    many = S3KeySensor(
        task_id="many_keys",
        bucket_key=["s3://landing/a/_SUCCESS", "s3://landing/b/_SUCCESS"],
        check_fn=_big_enough,
        region_name="eu-west-1",
        verify=False,
    )
    wildcard = S3KeySensor(
        task_id="wildcard",
        bucket_name="landing",
        bucket_key="incoming/{{ ds_nodash }}/*.parquet",
        wildcard_match=True,
        deferrable=True,
        metadata_keys=["Size", "LastModified"],
    )

    @task
    def process():
        return "done"

    [one, many, wildcard] >> process()
