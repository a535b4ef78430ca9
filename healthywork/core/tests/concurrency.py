"""Running work in threads released together, each with its own database connection (for tests of
locks and unique keys on PostgreSQL; SQLite takes one writer at a time)."""

import threading
import unittest

from django.db import connection

requires_concurrent_writers = unittest.skipUnless(
    connection.vendor == "postgresql", "needs concurrent writers (PostgreSQL)"
)

THREADS = 8


def run_together(work, count: int = THREADS) -> tuple[list, list]:
    """Call `work(index)` in `count` threads started at once; (results, exceptions)."""
    from django.db import connections

    barrier = threading.Barrier(count)
    results, errors = [], []
    lock = threading.Lock()

    def target(index: int) -> None:
        try:
            barrier.wait()
            value = work(index)
            with lock:
                results.append(value)
        except Exception as error:  # noqa: BLE001 - collected and asserted on by the test
            with lock:
                errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=target, args=(index,)) for index in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results, errors
