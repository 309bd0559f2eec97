"""PostgreSQL: pg_dump's custom format and pg_restore, with the connection parameters of the
site's DATABASE_URL passed in libpq's environment variables (the password never appears on a
command line). The client's major version must not be older than the server's: pg_dump says
so if it is. https://www.postgresql.org/docs/current/app-pgdump.html
"""

import os
import shutil
import subprocess

from django.core.management.base import CommandError

FILE_NAME = "db.dump"


def client(program):
    path = shutil.which(program)
    if path is None:
        raise CommandError(
            f"未找到 {program}：请安装与数据库服务器同一主版本的 PostgreSQL 客户端"
            "（apt-get install postgresql-client）。"
        )
    return path


def environment(settings_dict):
    values = {
        "PGHOST": settings_dict.get("HOST"),
        "PGPORT": settings_dict.get("PORT"),
        "PGUSER": settings_dict.get("USER"),
        "PGPASSWORD": settings_dict.get("PASSWORD"),
        "PGDATABASE": settings_dict.get("NAME"),
        "PGSSLMODE": settings_dict.get("OPTIONS", {}).get("sslmode"),
    }
    return {**os.environ, **{key: str(value) for key, value in values.items() if value}}


def run(command, settings_dict):
    done = subprocess.run(command, env=environment(settings_dict), capture_output=True, text=True)
    if done.returncode != 0:
        program = os.path.basename(command[0])
        raise CommandError(f"{program} 失败：{done.stderr.strip()}")
    return done.stdout


def dump(settings_dict, target, derived_tables):
    command = [client("pg_dump"), "--format=custom", "--no-owner", "--no-privileges"]
    command += [f"--exclude-table-data={table}" for table in sorted(derived_tables)]
    run([*command, f"--file={target}"], settings_dict)


def check(path):
    """pg_restore reads the archive's table of contents: a message if it cannot."""
    done = subprocess.run([client("pg_restore"), "--list", str(path)], capture_output=True)
    if done.returncode != 0:
        return f"数据库备份无法读取（{done.stderr.decode(errors='replace').strip()}）"
    return None


def restore(settings_dict, source, tables):
    """Drop the site's tables (`tables`, which the caller has confirmed may go), then load the
    dump in one transaction."""
    from django.db import connection

    if tables:
        with connection.cursor() as cursor:
            quoted = ", ".join(connection.ops.quote_name(table) for table in tables)
            cursor.execute(f"DROP TABLE IF EXISTS {quoted} CASCADE")
    connection.close()
    command = [client("pg_restore"), "--no-owner", "--no-privileges", "--single-transaction"]
    run(
        [*command, "--exit-on-error", f"--dbname={settings_dict['NAME']}", str(source)],
        settings_dict,
    )
