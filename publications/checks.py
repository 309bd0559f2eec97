"""System checks: warn at `manage.py check` (and every start) when PDFs would come out wrong.

A missing Chinese font would print empty boxes and a missing HarfBuzz subsetter makes every PDF
several times slower; both are a package away (scripts/system-packages.sh installs them), so they
are warnings that name the package rather than errors that stop the site.
"""

from django.core import checks

from publications.pdf import setup_problems


@checks.register("publications")
def pdf_setup_check(app_configs, **kwargs):
    return [
        checks.Warning(
            message,
            hint="scripts/system-packages.sh run 会安装所需的系统软件包。",
            id="publications.W001" if fatal else "publications.W002",
        )
        for fatal, message in setup_problems()
    ]
