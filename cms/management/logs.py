"""Keeping the libraries' log lines out of a long command's output.

Wagtail logs every page created, edited and published at INFO ("Page created: …",
"Published: …"), and django-tasks every task it runs in the process (Wagtail's reference
index and search index updates: "Task id=… state=RUNNING", then "…SUCCESSFUL"); django-q logs
every task queued (the PDF render and search sync after each publish, "Enqueued …").
A command that saves hundreds of pages would print a dozen of these per page. While the
command runs these loggers pass only what is worth a look: warnings and errors (a failed task
is logged at ERROR), or errors alone; the rest of the process logs as configured.
"""

import logging
from contextlib import contextmanager

CHATTY_LOGGERS = ("wagtail", "django_tasks", "django-q")


@contextmanager
def quiet_loggers(level=logging.WARNING):
    """Within the block, the chatty loggers pass records of `level` and above only; with
    `level` None they are left as they are (a command's -v 3, to see everything)."""
    loggers = [logging.getLogger(name) for name in CHATTY_LOGGERS]
    levels = [logger.level for logger in loggers]
    if level is not None:
        for logger in loggers:
            logger.setLevel(max(level, logger.level))
    try:
        yield
    finally:
        for logger, previous in zip(loggers, levels, strict=True):
            logger.setLevel(previous)
