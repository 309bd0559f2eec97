"""The generated rows as database rows, and the batch writer that puts them in."""

from django.db import connection

FINDING_FIELDS = [
    "number",
    "round",
    "window",
    "department",
    "staff",
    "category",
    "description",
    "deduction",
    "fix_deadline",
    "fixed_at",
]
CASE_FIELDS = [
    "number",
    "item_code",
    "item_name",
    "window",
    "department",
    "accepted_at",
    "promised_days",
    "legal_days",
    "completed_at",
    "promised_due",
    "legal_due",
]
EVALUATION_FIELDS = [
    "number",
    "case_number",
    "window",
    "department",
    "staff",
    "channel",
    "rating",
    "comment",
    "evaluated_at",
    "appeal",
    "follow_up",
]


def finding_db_row(row, round_ids):
    staff = row[4]
    return (
        row[0],
        round_ids[row[1]],
        row[2].pk,
        row[3],
        staff.pk if staff else None,
        *row[5:],
    )


def case_db_row(row):
    return (*row[:3], row[3].pk, *row[4:])


def evaluation_db_row(row):
    return (*row[:2], row[2].pk, row[3], row[4].pk, *row[5:])


class RowWriter:
    """Inserts tuples of field values (foreign keys as ids) into a model's table without
    model instances: executemany on SQLite, COPY on PostgreSQL, bulk_create elsewhere."""

    def __init__(self, model, field_names):
        self.model = model
        self.fields = [model._meta.get_field(name) for name in field_names]
        self.attnames = [f.attname for f in self.fields]
        quote = connection.ops.quote_name
        self.table = quote(model._meta.db_table)
        self.columns = ", ".join(quote(f.column) for f in self.fields)
        # SQLite stores datetimes as UTC text, dates as ISO text, decimals as text; the
        # backend's own adapters do it the way the ORM does, so queries compare alike.
        ops = connection.ops
        adapters = {
            "DateTimeField": ops.adapt_datetimefield_value,
            "DateField": ops.adapt_datefield_value,
        }
        self.converters = []
        for i, f in enumerate(self.fields):
            kind = f.get_internal_type()
            if kind in adapters:
                self.converters.append((i, adapters[kind]))
            elif kind == "DecimalField":
                digits, places = f.max_digits, f.decimal_places
                self.converters.append(
                    (i, lambda v, d=digits, p=places: ops.adapt_decimalfield_value(v, d, p))
                )

    def write(self, rows):
        if not rows:
            return
        if connection.vendor == "postgresql":
            self._copy(rows)
        elif connection.vendor == "sqlite":
            self._executemany(rows)
        else:
            self.model.objects.bulk_create(
                (self.model(**dict(zip(self.attnames, row, strict=True))) for row in rows),
                batch_size=1000,
            )

    def _executemany(self, rows):
        converters = self.converters
        if converters:
            converted = []
            for row in rows:
                row = list(row)
                for i, adapt in converters:
                    if row[i] is not None:
                        row[i] = adapt(row[i])
                converted.append(row)
            rows = converted
        placeholders = ", ".join(["%s"] * len(self.fields))
        with connection.cursor() as cursor:
            cursor.executemany(
                f"INSERT INTO {self.table} ({self.columns}) VALUES ({placeholders})", rows
            )

    def _copy(self, rows):
        # psycopg adapts dates, aware datetimes and decimals itself.
        connection.ensure_connection()
        with connection.connection.cursor() as cursor:
            with cursor.copy(f"COPY {self.table} ({self.columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
