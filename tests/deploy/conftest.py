"""Tests of a deployment: two gunicorn servers on PostgreSQL and Redis.

They start real servers on a database of their own, so they run only where
asked: `TWO_SERVERS=1` with DATABASE_URL (PostgreSQL) and REDIS_URL set, as
in `.ci/run`'s stage of their own. Elsewhere they are left out at collection
(not skipped: the PostgreSQL stage checks that nothing is skipped)."""

import os
from pathlib import Path

HERE = Path(__file__).resolve().parent


def pytest_collection_modifyitems(config, items):
    if os.environ.get("TWO_SERVERS") == "1":
        return
    mine = [item for item in items if HERE in item.path.resolve().parents]
    if mine:
        config.hook.pytest_deselected(items=mine)
        items[:] = [item for item in items if item not in mine]
