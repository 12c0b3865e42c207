"""The engine: the asyncio loop that runs DAG runs (store + scheduler decisions + executor)."""
