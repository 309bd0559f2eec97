"""All or nothing: an import writes every row of a file, or none."""

from contextlib import contextmanager

from django.db import transaction


@contextmanager
def all_or_nothing(keep=lambda: True):
    """Run an import's writes in one transaction. It is rolled back when the block raises,
    or when `keep()`, asked at the end of the block, says no (a rejected file whose rows were
    checked to the end, a dry run)."""
    with transaction.atomic():
        yield
        if not keep():
            transaction.set_rollback(True)
