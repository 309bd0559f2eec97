"""Writing a batch of imported rows: INSERT … ON CONFLICT (natural key) DO UPDATE SET …, with
the rows whose key already exists counted first. One writer per database engine.

Both write what bulk_create(update_conflicts=True, unique_fields=…, update_fields=…) would,
faster. bulk_create sends every value through its field's get_db_prep_save and, on SQLite,
builds a new statement per 999 parameters: that was three quarters of the 90 s a
1,000,000-row import first took. The values here are already validated Python values; only
dates, times and decimals need the backend's adapters. Figures: docs/supervision-import.md.
"""

import functools

from django.db import connection


def for_connection(model, key, update_fields):
    if not connection.features.supports_update_conflicts_with_target:
        raise NotImplementedError(f"{connection.vendor} 不支持 INSERT … ON CONFLICT，无法导入")
    writer = PostgresWriter if connection.vendor == "postgresql" else SQLiteWriter
    return writer(model, key, update_fields)


class Writer:
    def __init__(self, model, key, update_fields):
        meta, quote = model._meta, connection.ops.quote_name
        self.model, self.key = model, key
        self.fields = [field for field in meta.concrete_fields if not field.primary_key]
        self.names = [field.attname for field in self.fields]
        self.defaults = {field.attname: field.get_default() for field in self.fields}
        self.adapters = [
            (index, adapter)
            for index, field in enumerate(self.fields)
            if (adapter := _adapter(field)) is not None
        ]
        self.table = quote(meta.db_table)
        self.columns = ", ".join(quote(field.column) for field in self.fields)
        self.key_column = quote(meta.get_field(key).column)
        updates = ", ".join(
            f"{quote(column)} = EXCLUDED.{quote(column)}"
            for column in (meta.get_field(name).column for name in update_fields)
        )
        self.on_conflict = f"ON CONFLICT ({self.key_column}) DO UPDATE SET {updates}"

    def rows(self, records):
        names, defaults, adapters = self.names, self.defaults, self.adapters
        for record in records:
            row = [record.get(name, defaults[name]) for name in names]
            for index, adapter in adapters:
                if row[index] is not None:
                    row[index] = adapter(row[index])
            yield row

    def write(self, records, *, count_only=False):
        """Write `records`; return how many of them already existed (by natural key)."""
        raise NotImplementedError


class SQLiteWriter(Writer):
    """SQLite runs in the process: a prepared statement executed once per row (executemany)
    costs no round trip."""

    def __init__(self, model, key, update_fields):
        super().__init__(model, key, update_fields)
        placeholders = ", ".join(["%s"] * len(self.fields))
        self.sql = (
            f"INSERT INTO {self.table} ({self.columns}) VALUES ({placeholders}) {self.on_conflict}"
        )

    def write(self, records, *, count_only=False):
        keys = [record[self.key] for record in records]
        step = connection.features.max_query_params
        existing = sum(
            self.model.objects.filter(**{f"{self.key}__in": keys[start : start + step]}).count()
            for start in range(0, len(keys), step)
        )
        if not count_only:
            with connection.cursor() as cursor:
                cursor.executemany(self.sql, list(self.rows(records)))
        return existing


class PostgresWriter(Writer):
    """PostgreSQL would answer each row of an executemany separately, and a statement carrying
    a whole batch as parameters is quoted value by value on the client. So a batch is copied
    (COPY, formatted by psycopg in C) into a temporary table without indexes and moved over
    with one INSERT … SELECT, which also counts the rows it updated.
    https://www.postgresql.org/docs/current/populate.html
    """

    def __init__(self, model, key, update_fields):
        super().__init__(model, key, update_fields)
        self.staging = connection.ops.quote_name(f"import_{model._meta.db_table}")
        self.created = False

    def write(self, records, *, count_only=False):
        with connection.wrap_database_errors, connection.cursor() as cursor:
            if not self.created:
                # Dropped at commit; a rolled-back import takes it away with everything else.
                cursor.execute(f"DROP TABLE IF EXISTS {self.staging}")
                cursor.execute(
                    f"CREATE TEMPORARY TABLE {self.staging} ON COMMIT DROP AS "
                    f"SELECT {self.columns} FROM {self.table} WITH NO DATA"
                )
                self.created = True
            else:
                cursor.execute(f"TRUNCATE {self.staging}")
            with cursor.copy(f"COPY {self.staging} ({self.columns}) FROM STDIN") as copy:
                for row in self.rows(records):
                    copy.write_row(row)
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
