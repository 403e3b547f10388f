"""Races for the "at most once" rules: the same call from many threads,
released together, each on its own database connection (PostgreSQL: SQLite
serialises writers, so the race only exists there)."""

import threading

from django.db import connection


def race(target, workers: int) -> tuple[list, list]:
    """Run ``target`` in ``workers`` threads released together; return what
    they returned and the errors they raised."""
    barrier = threading.Barrier(workers, timeout=60)
    results, errors = [], []

    def run():
        try:
            barrier.wait()
            results.append(target())
        except Exception as exc:  # noqa: BLE001 - reported by the test
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return results, errors
