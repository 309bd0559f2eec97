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


@checks.register("publications", checks.Tags.security)
def private_files_check(app_configs, **kwargs):
    """Private files must not be reachable through the public media or static folders."""
    from pathlib import Path

    from django.conf import settings

    errors = []
    private = Path(settings.PRIVATE_ROOT).resolve()
    for name in ("MEDIA_ROOT", "STATIC_ROOT"):
        public = Path(getattr(settings, name)).resolve()
        if private.is_relative_to(public) or public.is_relative_to(private):
            errors.append(
                checks.Error(
                    f"PRIVATE_ROOT（{private}）与 {name}（{public}）重叠：督查简报会被公开访问。",
                    hint="把 PRIVATE_ROOT 设在公开目录之外，例如 VAR_DIR/private。",
                    id="publications.E001",
                )
            )
    if settings.PRIVATE_FILES_SERVE not in ("django", "x-accel-redirect", "x-sendfile"):
        errors.append(
            checks.Error(
                f"PRIVATE_FILES_SERVE={settings.PRIVATE_FILES_SERVE!r} 无效。",
                hint="可选 django、x-accel-redirect、x-sendfile。",
                id="publications.E002",
            )
        )
    return errors
