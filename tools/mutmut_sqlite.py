"""pytest plugin for mutation runs only (tools/mutate.py, [tool.mutmut] in pyproject.toml).

mutmut starts one pytest session per mutant. Building the SQLite test database
(every migration, with the DigComp data) is most of such a session's time, so
this plugin gives each concurrent session a database file of its own, from a
few numbered slots under .mutate-db/ in the directory mutmut runs in, and
`--reuse-db` keeps it from one session to the next. Tests run in transactions
that are rolled back, so the next session finds it as migrations left it. A
session that ran a transactional test (which empties the tables) deletes its
file, and the next session in that slot builds it again.

It also runs a mutant's tests quickest first (by the durations mutmut
recorded), so that with -x a mutant that some quick test kills costs little.

Loaded with `-p tools.mutmut_sqlite --reuse-db`; never part of `make test`.
"""

from __future__ import annotations

import fcntl
import json
import os
from pathlib import Path

SLOTS = 16

_lock_file = None
_db_path: Path | None = None
_dirty = False


def _acquire_slot() -> tuple[object, Path]:
    folder = Path.cwd() / ".mutate-db"
    folder.mkdir(exist_ok=True)
    for slot in range(SLOTS):
        handle = open(folder / f"slot-{slot}.lock", "w")  # noqa: SIM115 - held for the session
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.close()
            continue
        return handle, folder / f"test-{slot}.sqlite3"
    raise RuntimeError(f"all {SLOTS} test database slots of {folder} are taken")


def pytest_sessionstart(session) -> None:
    global _lock_file, _db_path, _dirty
    from django.db import connections

    settings_dict = connections["default"].settings_dict
    if settings_dict["ENGINE"] != "django.db.backends.sqlite3":
        return
    _lock_file, _db_path = _acquire_slot()
    _dirty = False
    settings_dict.setdefault("TEST", {})["NAME"] = str(_db_path)


def pytest_collection_modifyitems(session, config, items) -> None:
    if "__mutmut_" not in os.environ.get("MUTANT_UNDER_TEST", ""):
        return  # stats, clean and forced-fail runs keep pytest's order
    try:
        durations = json.loads(Path("mutmut-stats.json").read_text())["duration_by_test"]
    except (OSError, ValueError, KeyError):
        return
    items.sort(key=lambda item: durations.get(item.nodeid, 0.0))


def pytest_runtest_setup(item) -> None:
    global _dirty
    marker = item.get_closest_marker("django_db")
    transactional = bool(
        {"transactional_db", "live_server", "django_db_serialized_rollback"}
        & set(item.fixturenames)
    ) or bool(marker and (marker.kwargs.get("transaction") or (marker.args and marker.args[0])))
    if transactional:
        _dirty = True


def pytest_sessionfinish(session, exitstatus) -> None:
    global _lock_file, _db_path
    if _lock_file is None:
        return
    if _dirty and _db_path is not None:
        from django.db import connections

        connections.close_all()
        for suffix in ("", "-journal", "-wal", "-shm"):
            Path(str(_db_path) + suffix).unlink(missing_ok=True)
    fcntl.flock(_lock_file, fcntl.LOCK_UN)
    _lock_file.close()
    _lock_file = _db_path = None


# A forked child must not inherit its parent's slot.
os.register_at_fork(after_in_child=lambda: globals().update(_lock_file=None, _db_path=None))
