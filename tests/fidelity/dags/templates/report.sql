-- rendered by Airflow's Jinja at run time
SELECT count(*) AS n
FROM {{ params.table }}
WHERE ds = '{{ ds }}'
  AND region = '{{ region_of(params.table) }}';
