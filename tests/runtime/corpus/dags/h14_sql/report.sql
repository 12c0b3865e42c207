SELECT * FROM sales WHERE region = '{{ params.region }}' AND day = '{{ ds }}' LIMIT {{ params.limit }};
