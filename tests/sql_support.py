"""Every SQL statement a piece of code sends, for tests that pin statements rather than
queries: Django's ``CaptureQueriesContext`` reads ``connection.queries``, which the importer
empties after each chunk (``reset_queries``), so it would lose all but the last chunk's."""

from django.db import connection


def statements(run) -> list[str]:
    """Every SQL statement ``run()`` sends on the default connection, in order."""
    seen: list[str] = []

    def wrapper(execute, sql, params, many, context):
        seen.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(wrapper):
        run()
    return seen
