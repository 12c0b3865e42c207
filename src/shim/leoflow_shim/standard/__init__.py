"""Stand-ins for apache-airflow-providers-standard 1.x operators, sensors and decorators."""
