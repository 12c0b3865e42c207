SELECT * FROM events WHERE day = '{{ ds }}' AND tag = '{{ params.label }}'
