echo "script for {{ ds }} in {{ dag.dag_id }} with {{ params.label }}"
