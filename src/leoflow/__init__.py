"""Leoflow: run Apache Airflow 3.2 DAG files without Airflow's control plane."""

__version__ = "0.2.0.dev0"
