"""pytest plugin for mutation runs only (tools/mutate.py, [tool.mutmut] in pyproject.toml).

mutmut starts one pytest session per mutant. Building the SQLite test database
(every migration, with the DigComp data) is most of such a session's time, so
this plugin gives each concurrent session a database file of its own, from a
few numbered slots under .mutate-db/ in the directory mutmut runs in, and
`--reuse-db` keeps it from one session to the next. Tests run in transactions
that are rolled back, so the next session finds it as migrations left it. A
session that ran a transactional test (which empties the tables) deletes its
file, and the next session in that slot builds it again.

Once a slot's file has been built and left clean, the next sessions skip
even Django's check of the migrations and only connect to it.

It also runs a mutant's tests quickest first (by the durations mutmut
recorded), so that with -x a mutant that some quick test kills costs little,
and skips pytest's closing garbage collection (it only looks for unraisable
exceptions, and costs half a second in a process of mutmut's size).

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
_used_db = False


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

    import django.test.utils

    if not hasattr(django.test.utils, "_mutmut_setup_databases"):
        django.test.utils._mutmut_setup_databases = django.test.utils.setup_databases
    django.test.utils.setup_databases = _setup_databases

    if "__mutmut_" in os.environ.get("MUTANT_UNDER_TEST", ""):
        import _pytest.unraisableexception

        _pytest.unraisableexception.gc_collect_harder = lambda *args, **kwargs: None


def _ready_marker() -> Path:
    return Path(str(_db_path) + ".ready")


def _setup_databases(*args, aliases=None, serialized_aliases=None, **kwargs):
    """django.test.utils.setup_databases, without the migrate check on a clean kept file."""
    global _used_db
    import django.test.utils
    from django.conf import settings
    from django.db import connections

    _used_db = True
    if (
        _db_path is None
        or not _ready_marker().exists()
        or serialized_aliases
        or set(aliases or {"default"}) != {"default"}
        or not kwargs.get("keepdb")
    ):
        return django.test.utils._mutmut_setup_databases(
            *args, aliases=aliases, serialized_aliases=serialized_aliases, **kwargs
        )
    connection = connections["default"]
    old_name = connection.settings_dict["NAME"]
    connection.close()
    settings.DATABASES["default"]["NAME"] = str(_db_path)
    connection.settings_dict["NAME"] = str(_db_path)
    connection.ensure_connection()
    return [(connection, old_name, True)]


def pytest_collection_modifyitems(session, config, items) -> None:
    if "__mutmut_" not in os.environ.get("MUTANT_UNDER_TEST", ""):
        return  # stats, clean and forced-fail runs keep pytest's order
    try:
        durations = json.loads(Path("mutmut-stats.json").read_text())["duration_by_test"]
    except (OSError, ValueError, KeyError):
        return
    # Transactional tests empty the tables (DigComp data included): always last.
    items.sort(key=lambda item: (_transactional(item), durations.get(item.nodeid, 0.0)))


def pytest_runtest_setup(item) -> None:
    global _dirty
    if _transactional(item):
        _dirty = True


def _transactional(item) -> bool:
    marker = item.get_closest_marker("django_db")
    transactional = bool(
        {"transactional_db", "live_server", "django_db_serialized_rollback"}
        & set(item.fixturenames)
    ) or bool(marker and (marker.kwargs.get("transaction") or (marker.args and marker.args[0])))
    return transactional


def pytest_sessionfinish(session, exitstatus) -> None:
    global _lock_file, _db_path, _used_db
    if _lock_file is None:
        return
    if _dirty and _db_path is not None:
        from django.db import connections

        connections.close_all()
        for suffix in ("", "-journal", "-wal", "-shm", ".ready"):
            Path(str(_db_path) + suffix).unlink(missing_ok=True)
    elif _used_db and _db_path is not None and _db_path.exists():
        _ready_marker().touch()
    fcntl.flock(_lock_file, fcntl.LOCK_UN)
    _lock_file.close()
    _lock_file = _db_path = None
    _used_db = False


# A forked child must not inherit its parent's slot.
os.register_at_fork(after_in_child=lambda: globals().update(_lock_file=None, _db_path=None))
