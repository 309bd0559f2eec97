"""A search document as the embedded backend's rows: its IndexedDocument columns, its
suggestion keys, and its facet values in one column. Shared by the backend and the dialects."""

from django.db import connection

from search.backends.base import FACET_FIELDS, MULTI_VALUED
from search.models import IndexedDocument, IndexState, SuggestionKey

ENTRY = IndexedDocument._meta.db_table
KEYS = SuggestionKey._meta.db_table
STATE = IndexState._meta.db_table
# The columns a document writes, but its id and generation.
ENTRY_FIELDS = [
    f for f in IndexedDocument._meta.concrete_fields if not f.primary_key and f.name != "generation"
]
ENTRY_COLUMNS = ["generation", *(f.column for f in ENTRY_FIELDS)]
KEY_COLUMNS = ["generation", "page_id", "key", "weight"]
# Columns whose Python values the database adapter cannot take as they are.
ADAPTED = {"date", "expire_at", "details"}


def entry_values(doc) -> list:
    """A document's IndexedDocument columns (ENTRY_FIELDS) as Python values; built without
    model instances, since a rebuild writes 55,000."""
    values = {
        "page_id": doc.page_id,
        "kind": doc.kind,
        "facets": facets_column(doc),
        "high_frequency": bool(doc.high_frequency),
        "boost": doc.boost,
        "title_length": len(doc.title),
        "date": doc.date.date() if hasattr(doc.date, "date") else doc.date,
        "expire_at": doc.expire_at,
        "title": doc.title[:255],
        "url": doc.url,
        "summary": doc.summary or "",
        "details": dict(doc.details or {}),
        "keywords": doc.keywords or "",
        "materials": doc.materials or "",
        "body": doc.body or "",
    }
    return [values[field.name] for field in ENTRY_FIELDS]


def adapted(values) -> list:
    """entry_values as the database takes them (dates, JSON): in the writing process, since
    the adapted forms are the connection's (a PostgreSQL Jsonb does not cross a pipe)."""
    return [
        field.get_db_prep_save(value, connection) if field.name in ADAPTED else value
        for field, value in zip(ENTRY_FIELDS, values, strict=True)
    ]


def facets_column(doc) -> str:
    """A document's facet values as one string: "|kind=guide|department=D01|theme=t1|…|".
    One value is found with instr(), and grouping by the string counts every facet at once."""
    pairs = [(field, getattr(doc, field)) for field in FACET_FIELDS.values()]
    return "|" + "".join(
        f"{field}={value}|"
        for field, values in pairs
        for value in (values if field in MULTI_VALUED else [values])
        if value
    )


def facet_test(field, value) -> str:
    return f"|{field}={value}|"


def facet_values(column: str) -> dict:
    """facets_column read back: field → value, or field → [values] for multi-valued fields."""
    row = {field: [] if field in MULTI_VALUED else "" for field in FACET_FIELDS.values()}
    for pair in column.strip("|").split("|"):
        field, _, value = pair.partition("=")
        if field in MULTI_VALUED:
            row[field].append(value)
        elif field in row:
            row[field] = value
    return row
