INSERT INTO daily_totals (ds, total)
SELECT '{{ ds }}', sum(amount) FROM orders WHERE created_at::date = '{{ ds }}';
