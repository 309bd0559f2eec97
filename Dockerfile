FROM python:3.11-slim-bookworm
# CJK fonts and WeasyPrint's libraries, as scripts/system-packages.sh installs them on a host.
RUN apt-get update && apt-get install -y --no-install-recommends \
      fonts-noto-cjk libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /srv/app
COPY pyproject.toml ./
COPY config ./config
COPY cms ./cms
COPY publications ./publications
COPY search ./search
COPY supervision ./supervision
COPY imports ./imports
COPY demo ./demo
COPY templates ./templates
# The admin's Chinese for what Wagtail's own catalogues lack (LOCALE_PATHS, locale/README.md).
COPY locale ./locale
COPY manage.py ./
RUN pip install --no-cache-dir .
EXPOSE 8000
