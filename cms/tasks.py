"""Jobs the django-q2 worker runs. Thin: each calls one service function or command."""

from django.core.management import call_command


def publish_scheduled_pages():
    """Publish pages whose go-live time has come and unpublish expired ones.

    Wagtail leaves this to a cron job running `publish_scheduled`
    (https://docs.wagtail.org/en/stable/reference/management_commands.html#publish-scheduled);
    the worker's scheduler runs it every minute instead, so no cron is needed.
    """
    call_command("publish_scheduled", verbosity=0)


def check_guide_links():
    """Check the guides' external links the job checked longest ago (cms.audit.links); the
    guide audit reads the stored outcome."""
    from cms.audit.links import check_links

    return check_links()
