"""Checks shared by the tests of named constraints (tests/*/test_constraints.py)."""

from django.db import connection


def assert_unique_violated(excinfo, *, name: str, columns: list[str]) -> None:
    """The database refused a row for a unique constraint: PostgreSQL names
    the constraint; SQLite lists the columns instead."""
    message = str(excinfo.value)
    if connection.vendor == "sqlite":
        assert f"UNIQUE constraint failed: {', '.join(columns)}" in message
    else:
        assert name in message


def assert_unique_check(excinfo, fields: tuple[str, ...]) -> None:
    """``full_clean()`` refused a row for a unique constraint on ``fields``:
    Django reports it as "already exists", naming the fields, not the constraint."""
    (error,) = excinfo.value.error_dict["__all__"]
    assert error.code == "unique_together"
    assert error.params["unique_check"] == fields
