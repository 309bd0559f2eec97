"""Writing many rows of one model at once, the fastest way each database offers.

    writer = bulk_writer(Evaluation, key="number", update_fields=["rating", "appeal"])
    existing = writer.upsert(records)         # dicts by attname; returns how many existed

    writer = bulk_writer(Case, ["number", "window", "accepted_at", ...])
    writer.insert(rows)                       # tuples in that order, foreign keys as ids

`stored_spellings(keys)` finds the stored keys ignoring case, for an importer whose natural
keys are compared so (the database's unique key compares exactly): one statement per batch
on an index of UPPER(key).

`upsert` writes what bulk_create(update_conflicts=True, unique_fields=[key],
update_fields=…) would: INSERT … ON CONFLICT (key) DO UPDATE SET …, with the rows whose key
already exists counted. `insert` writes what bulk_create would, for plain rows nobody has to
look up again. Both skip bulk_create's value-by-value get_db_prep_save (three quarters of the
90 s a 1,000,000-row import first took) and, on SQLite, its new statement per 999
parameters: the values are already valid Python values; only dates, times and decimals need
the backend's adapters. Figures: docs/supervision-import.md, docs/benchmarks.md.

SQLite takes a batch with executemany, PostgreSQL with COPY (into a staging table for an
upsert); another database gets bulk_create for `insert` and has no `upsert`.
"""

import functools
import json
from collections import defaultdict
from contextlib import contextmanager

from django.db import connection
from django.db.models.functions import Upper


def bulk_writer(model, fields=None, *, key=None, update_fields=()):
    """The writer for the default connection's database.

    `fields` names the fields a row gives, in order (names or attnames: "window" or
    "window_id"); by default every concrete field but the primary key. `key` (the natural
    key, a unique field) and `update_fields` (what a row whose key exists overwrites) are
    needed only for `upsert`.
    """
    writer = {"postgresql": PostgresWriter, "sqlite": SQLiteWriter}.get(connection.vendor)
    return (writer or BulkWriter)(model, fields, key=key, update_fields=update_fields)


class BulkWriter:
    """The writer's data and the database-neutral fallback (bulk_create, no upsert)."""

    def __init__(self, model, fields=None, *, key=None, update_fields=()):
        meta, quote = model._meta, connection.ops.quote_name
        self.model, self.key = model, key
        if fields is None:
            self.fields = [field for field in meta.concrete_fields if not field.primary_key]
        else:
            self.fields = [meta.get_field(name) for name in fields]
        self.names = [field.attname for field in self.fields]
        self.defaults = {field.attname: field.get_default() for field in self.fields}
        self.adapters = [
            (index, adapter)
            for index, field in enumerate(self.fields)
            if (adapter := _adapter(field)) is not None
        ]
        self.table = quote(meta.db_table)
        self.columns = ", ".join(quote(field.column) for field in self.fields)
        if key is not None:
            self.key_column = quote(meta.get_field(key).column)
            updates = ", ".join(
                f"{quote(column)} = EXCLUDED.{quote(column)}"
                for column in (meta.get_field(name).column for name in update_fields)
            )
            self.on_conflict = f"ON CONFLICT ({self.key_column}) DO UPDATE SET {updates}"

    def rows(self, records):
        """Records (dicts by attname; a missing field takes its default) → query parameters."""
        names, defaults, adapters = self.names, self.defaults, self.adapters
        rows = ([record.get(name, defaults[name]) for name in names] for record in records)
        return (_adapted(row, adapters) for row in rows) if adapters else rows

    def adapt(self, rows):
        """Rows of values in field order → query parameters. A row with a value to adapt is
        copied first (the caller's rows stay as they are); with no adapters (PostgreSQL) the
        rows go as they are."""
        adapters = self.adapters
        if not adapters:
            return rows
        return (_adapted(list(row), adapters) for row in rows)

    def insert(self, rows):
        """Insert `rows` (sequences of values in field order, foreign keys as ids)."""
        self.model.objects.bulk_create(
            (self.model(**dict(zip(self.names, row, strict=True))) for row in rows),
            batch_size=1000,
        )

    def stored_spellings(self, keys):
        """{upper-case key: {the key as stored, …}} for the rows whose key, upper-cased as the
        database's UPPER() does it, is one of `keys` (upper-case)."""
        found = defaultdict(set)
        step = connection.features.max_query_params or len(keys) or 1
        for start in range(0, len(keys), step):
            rows = (
                self.model.objects.annotate(upper_key=Upper(self.key))
                .filter(upper_key__in=keys[start : start + step])
                .order_by()  # the model's ordering would sort what is only looked up
                .values_list("upper_key", self.key)
            )
            for upper, spelling in rows:
                found[upper].add(spelling)
        return found

    def _spellings(self, sql, parameter):
        found = defaultdict(set)
        with connection.wrap_database_errors, connection.cursor() as cursor:
            cursor.execute(sql, [parameter])
            for upper, spelling in cursor.fetchall():
                found[upper].add(spelling)
        return found

    def upsert(self, records, *, count_only=False):
        """Insert `records` (dicts by attname), overwriting `update_fields` of the rows whose
        key exists; return how many of them existed. `count_only` writes nothing."""
        raise NotImplementedError(f"{connection.vendor} 不支持 INSERT … ON CONFLICT，无法导入")


class SQLiteWriter(BulkWriter):
    """SQLite runs in the process: a prepared statement executed once per row (executemany)
    costs no round trip."""

    def __init__(self, model, fields=None, *, key=None, update_fields=()):
        super().__init__(model, fields, key=key, update_fields=update_fields)
        placeholders = ", ".join(["%s"] * len(self.fields))
        self.sql = f"INSERT INTO {self.table} ({self.columns}) VALUES ({placeholders})"

    def insert(self, rows):
        with connection.cursor() as cursor:
            cursor.executemany(self.sql, list(self.adapt(rows)))

    def stored_spellings(self, keys):
        # The keys as one JSON parameter: the ORM's IN (…) takes 999 parameters a statement
        # and was six times slower for 200,000 keys (1.35 s against 0.22 s).
        return self._spellings(
            f"SELECT UPPER({self.key_column}), {self.key_column} FROM {self.table} "
            f"WHERE UPPER({self.key_column}) IN (SELECT value FROM json_each(%s))",
            json.dumps(keys),
        )

    def upsert(self, records, *, count_only=False):
        keys = [record[self.key] for record in records]
        step = connection.features.max_query_params
        existing = sum(
            self.model.objects.filter(**{f"{self.key}__in": keys[start : start + step]}).count()
            for start in range(0, len(keys), step)
        )
        if not count_only:
            with connection.cursor() as cursor:
                cursor.executemany(f"{self.sql} {self.on_conflict}", list(self.rows(records)))
        return existing


class PostgresWriter(BulkWriter):
    """PostgreSQL would answer each row of an executemany separately, and a statement carrying
    a whole batch as parameters is quoted value by value on the client. So rows are copied
    (COPY, formatted by psycopg in C): straight into the table for an insert; for an upsert
    into a temporary table without indexes, moved over with one INSERT … SELECT, which also
    counts the rows it updated.
    https://www.postgresql.org/docs/current/populate.html
    """

    def __init__(self, model, fields=None, *, key=None, update_fields=()):
        super().__init__(model, fields, key=key, update_fields=update_fields)
        # psycopg adapts dates, aware datetimes and decimals itself; Django's PostgreSQL
        # adapters hand them over unchanged, so calling them per value is only cost.
        self.adapters = []
        self.staging = connection.ops.quote_name(f"import_{model._meta.db_table}")
        self.staged = False

    def stored_spellings(self, keys):
        return self._spellings(
            f"SELECT UPPER({self.key_column}), {self.key_column} FROM {self.table} "
            f"WHERE UPPER({self.key_column}) = ANY(%s)",
            list(keys),
        )

    def copy(self, cursor, table, rows):
        with cursor.copy(f"COPY {table} ({self.columns}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)

    def insert(self, rows):
        with connection.wrap_database_errors, connection.cursor() as cursor:
            self.copy(cursor, self.table, self.adapt(rows))

    def upsert(self, records, *, count_only=False):
        with connection.wrap_database_errors, connection.cursor() as cursor:
            if not self.staged:
                # Dropped at commit; a rolled-back import takes it away with everything else.
                cursor.execute(f"DROP TABLE IF EXISTS {self.staging}")
                cursor.execute(
                    f"CREATE TEMPORARY TABLE {self.staging} ON COMMIT DROP AS "
                    f"SELECT {self.columns} FROM {self.table} WITH NO DATA"
                )
                self.staged = True
            else:
                cursor.execute(f"TRUNCATE {self.staging}")
            self.copy(cursor, self.staging, self.rows(records))
            if count_only:
                cursor.execute(
                    f"SELECT count(*) FROM {self.staging} AS new JOIN {self.table} AS old "
                    f"ON old.{self.key_column} = new.{self.key_column}"
                )
            else:
                # Counted by the INSERT itself: a row version this statement inserted has
                # xmax 0, an updated one the updating transaction's id. A separate count
                # joined the staging table to the whole real table (the planner's choice for
                # 5,000 rows), one full scan per batch.
                cursor.execute(
                    f"WITH written AS (INSERT INTO {self.table} ({self.columns}) "
                    f"SELECT {self.columns} FROM {self.staging} {self.on_conflict} "
                    "RETURNING xmax = 0 AS created) "
                    "SELECT count(*) FILTER (WHERE NOT created) FROM written"
                )
            (existing,) = cursor.fetchone()
        return existing


@contextmanager
def foreign_keys_checked_per_row():
    """On PostgreSQL, check foreign keys as each row is written instead of at commit.

    Django declares them DEFERRABLE INITIALLY DEFERRED, so every inserted row queues its
    checks until the commit, which then works through three million of them for a million
    evaluations; checked per row, the same import took 35.1 s instead of 38.9 s. The
    transaction's default comes back afterwards (after an error, with the rollback: PostgreSQL
    keeps the SET CONSTRAINTS state per savepoint).
    https://www.postgresql.org/docs/current/sql-set-constraints.html
    """
    if connection.vendor != "postgresql":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    yield
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")


def _adapted(row, adapters):
    for index, adapter in adapters:
        if row[index] is not None:
            row[index] = adapter(row[index])
    return row


def _adapter(field):
    """How a field's Python value becomes a query parameter; None when it goes as it is
    (text, integers, ids, booleans)."""
    kind = field.get_internal_type()
    if kind == "DateTimeField":  # aware datetimes; SQLite stores them as UTC text
        return connection.ops.adapt_datetimefield_value
    if kind == "DateField":
        return connection.ops.adapt_datefield_value
    if kind == "DecimalField":
        return functools.partial(
            connection.ops.adapt_decimalfield_value,
            max_digits=field.max_digits,
            decimal_places=field.decimal_places,
        )
    return None
