"""Queries of a fixed shape compiled to SQL once per process (issue 16.4).

A panel page's queries differ from one request to the next only in their arguments (the
subscriber, the moment), yet the ORM compiles each again every time, and for the dashboard's
checklist or the billing page's histories that compilation cost more than the database's work
(bench/profile_page.py). FixedQuery keeps the ORM's queryset as the one definition: it builds it
once with stand-in arguments (marks: a key no row has, a moment nobody uses), keeps the SQL the
ORM compiled, finds the marks among its parameters and, on each run, puts the real arguments in
their places. A mark the ORM wrote into the SQL instead of passing it as a parameter is an error,
never a silent constant (an argument the queryset does not use is no error).

PostgreSQL only: elsewhere (SQLite, the embedded `make run`) the queryset itself runs, with the
ORM's conversions of the values.

On PostgreSQL such a statement is also prepared on the server, once per database session
(`execute_prepared`): its planning (1.6 ms for the billing page's nine histories, more than their
execution) is then done by the server's plan cache instead of on every request.
`DATABASE_PREPARED_STATEMENTS=false` turns it off, for a pooler in transaction mode (pgbouncer),
which does not keep a session's prepared statements.
"""

import datetime
import hashlib
import re
import weakref
from collections.abc import Callable

from django.conf import settings
from django.db import connection
from django.db.models import QuerySet

# Per raw connection (a reconnect starts a new set): the statements prepared in its session.
_PREPARED: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
_PLACEHOLDER = re.compile(r"%(%|s)")


def _numbered(sql: str) -> str:
    """psycopg2's `%s` placeholders as PREPARE's `$1, $2…` (a literal `%%` stays as it is)."""
    count = 0

    def number(match: re.Match) -> str:
        nonlocal count
        if match.group(1) == "%":
            return "%%"
        count += 1
        return f"${count}"

    return _PLACEHOLDER.sub(number, sql)


def execute_prepared(cursor, sql: str, params: list) -> None:
    """Run `sql` (with psycopg2's `%s` placeholders) through a prepared statement of this
    database session: the first run in a session sends `PREPARE …; EXECUTE …` as one statement
    (so a page's query count does not depend on which connection served it), later runs only
    `EXECUTE`. The statement's name is a hash of its text. Elsewhere (SQLite) a plain run.

    If a run fails, what the server holds is unknown (PREPARE is not undone by a rollback; a
    pooler may have discarded the session's statements), so this session stops preparing: the
    error goes up as any query's would, and the session's later runs are plain ones."""
    if cursor.db.vendor != "postgresql" or not settings.DATABASE_PREPARED_STATEMENTS:
        cursor.execute(sql, params)
        return
    raw = cursor.connection
    prepared = _PREPARED.setdefault(raw, set())
    if prepared is None:
        cursor.execute(sql, params)
        return
    name = "onebuh_" + hashlib.sha1(sql.encode(), usedforsecurity=False).hexdigest()[:20]
    arguments = ", ".join(["%s"] * len(params))
    execute = f"EXECUTE {name}({arguments})" if params else f"EXECUTE {name}"
    try:
        if name in prepared:
            cursor.execute(execute, params)
            return
        cursor.execute(f"PREPARE {name} AS {_numbered(sql)}; {execute}", params)
    except Exception:
        _PREPARED[raw] = None
        raise
    prepared.add(name)


_KEY_MARK = -987_654_321
_MOMENT_MARK = datetime.datetime(1970, 1, 2, 3, 4, 5, tzinfo=datetime.UTC)


def _mark(index: int, sample):
    if isinstance(sample, datetime.datetime):
        return _MOMENT_MARK + datetime.timedelta(seconds=index)
    if isinstance(sample, int) and not isinstance(sample, bool):
        return _KEY_MARK - index
    raise TypeError(f"FixedQuery takes keys and moments as arguments, not {type(sample)}")


class FixedQuery:
    """`build(**arguments)` → a values() queryset; `rows(**arguments)` its rows as dicts,
    `sql(**arguments)` its SQL and parameters (to put into a larger statement)."""

    def __init__(self, build: Callable[..., QuerySet]):
        self.build = build
        self._compiled = None

    def _compile(self, arguments: dict) -> tuple[str, list, dict[int, str], list[str]]:
        marks = {name: _mark(index, value) for index, (name, value) in enumerate(arguments.items())}
        queryset = self.build(**marks)
        sql, params = queryset.query.sql_with_params()
        slots = {}
        for name, mark in marks.items():
            found = [i for i, p in enumerate(params) if type(p) is type(mark) and p == mark]
            written = str(mark.date()) if isinstance(mark, datetime.datetime) else str(mark)
            if not found and written in sql:
                raise RuntimeError(f"{name} is written into the compiled query, not a parameter")
            slots.update(dict.fromkeys(found, name))
        query = queryset.query
        names = [*query.extra_select, *query.values_select, *query.annotation_select]
        return sql, list(params), slots, names

    def sql(self, **arguments) -> tuple[str, list]:
        if self._compiled is None:
            self._compiled = self._compile(arguments)
        sql, params, slots, _names = self._compiled
        params = list(params)
        for index, name in slots.items():
            params[index] = arguments[name]
        return sql, params

    def rows(self, **arguments) -> list[dict]:
        if connection.vendor != "postgresql":
            return list(self.build(**arguments))
        sql, params = self.sql(**arguments)
        names = self._compiled[3]
        with connection.cursor() as cursor:
            execute_prepared(cursor, sql, params)
            return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
