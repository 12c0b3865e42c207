"""Row ids."""

from __future__ import annotations

from leoflow.store.models import uuid7


def test_uuid7_ids_increase_in_creation_order() -> None:
    """Ids made in one burst (many in one millisecond) sort as they were made, as the uuid6
    package Airflow uses makes them: lists ordered by id follow creation order."""
    ids = [uuid7() for _ in range(2000)]
    assert ids == sorted(ids)
    assert len(set(ids)) == len(ids)
    assert {i.version for i in ids} == {7}
