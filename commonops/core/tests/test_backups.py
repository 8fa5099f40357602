"""`make backup` and its restore: a restored backup holds every row of every table, on
SQLite and on PostgreSQL (whichever the suite runs on), and the uploaded files."""

import hashlib
import sqlite3
import subprocess
import sys
from contextlib import contextmanager

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import connection

pytestmark = pytest.mark.django_db


def _tables(cursor, vendor):
    if vendor == "sqlite":
        cursor.execute("SELECT name FROM sqlite_master WHERE type = 'table' "
                       "AND name NOT LIKE 'sqlite_%' ORDER BY name")
    else:
        cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public' "
                       "ORDER BY tablename")
    return [row[0] for row in cursor.fetchall()]


def _fingerprint(cursor, vendor) -> dict[str, tuple[int, str]]:
    """Each table: its row count and a digest of every row's every value."""
    result = {}
    for table in _tables(cursor, vendor):
        if vendor == "sqlite":
            cursor.execute(f'SELECT * FROM "{table}"')
            rows = sorted(repr(row) for row in cursor.fetchall())
            result[table] = (len(rows), hashlib.sha256("\n".join(rows).encode()).hexdigest())
        else:
            cursor.execute(f'SELECT count(*), md5(coalesce(string_agg(t::text, E\'\\n\' '
                           f'ORDER BY t::text), \'\')) FROM "{table}" AS t')
            result[table] = tuple(cursor.fetchone())
    return result


@contextmanager
def _restore_target(tmp_path):
    """An empty database of the same kind to restore into; (its URL, a cursor on it)."""
    if connection.vendor == "sqlite":
        path = tmp_path / "restored.sqlite3"
        yield f"sqlite:///{path}", lambda: sqlite3.connect(path).cursor()
        return
    import psycopg

    db = connection.settings_dict
    name = f"{db['NAME']}_restored"[:63]
    credentials = dict(host=db["HOST"] or "localhost", port=db["PORT"] or 5432,
                       user=db["USER"], password=db["PASSWORD"])
    with psycopg.connect(dbname="postgres", autocommit=True, **credentials) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
        admin.execute(f'CREATE DATABASE "{name}"')
    url = (f"postgres://{db['USER']}:{db['PASSWORD']}@{credentials['host']}:"
           f"{credentials['port']}/{name}")
    opened = []

    def cursor():
        opened.append(psycopg.connect(dbname=name, **credentials))
        return opened[-1].cursor()

    try:
        yield url, cursor
    finally:
        for conn in opened:
            conn.close()
        with psycopg.connect(dbname="postgres", autocommit=True, **credentials) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}"')


def _media(root):
    (root / "papers").mkdir(parents=True)
    (root / "papers" / "budget.pdf").write_bytes(b"%PDF-1.4 budget")


def test_a_restored_backup_holds_every_row(tmp_path, settings):
    """On the database the suite runs on: PostgreSQL in CI, SQLite by default."""
    if connection.vendor == "postgresql":
        _check_postgresql(tmp_path, settings)
    else:
        _check_sqlite(tmp_path)


def _check_postgresql(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    _media(tmp_path / "media")
    call_command("backup", "--to", str(tmp_path / "backups"))
    database = next((tmp_path / "backups").glob("commonops-*.pgdump"))
    media = next((tmp_path / "backups").glob("commonops-*-media.tar.gz"))
    with connection.cursor() as cursor:
        source = _fingerprint(cursor.cursor, "postgresql")
    assert source["core_user"][0] > 0 and source["django_migrations"][0] > 0
    with _restore_target(tmp_path) as (url, cursor):
        settings.MEDIA_ROOT = tmp_path / "restored-media"
        call_command("restore_backup", str(database), "--media", str(media),
                     "--database-url", url, "--yes")
        assert _fingerprint(cursor(), "postgresql") == source
    assert (tmp_path / "restored-media" / "papers" / "budget.pdf").read_bytes() == \
        b"%PDF-1.4 budget"


def _check_sqlite(tmp_path):
    """The embedded mode's database is a file in WAL mode, backed up while it is open: done
    here by the commands themselves, as `make backup` runs them."""
    live = tmp_path / "commonops.sqlite3"
    env = {"PATH": "/usr/bin:/bin", "DATABASE_URL": f"sqlite:///{live}",
           "COMMONOPS_VAR_DIR": str(tmp_path), "MEDIA_ROOT": str(tmp_path / "media"),
           "DJANGO_SETTINGS_MODULE": "commonops.settings"}

    def manage(*args):
        result = subprocess.run([sys.executable, str(settings.BASE_DIR / "manage.py"), *args],
                                env=env, capture_output=True, text=True)
        assert result.returncode == 0, result.stderr
        return result.stdout

    # the live database: a copy of this suite's (the demo world), in WAL mode
    connection.ensure_connection()
    with sqlite3.connect(live) as copy:
        from django.db.backends.sqlite3._functions import register

        register(copy)  # Django's SQL functions, which some indexes use
        copy.executescript("\n".join(connection.connection.iterdump()))
        copy.execute("PRAGMA journal_mode=WAL")
    copy.close()
    _media(tmp_path / "media")
    manage("backup", "--to", str(tmp_path / "backups"))
    database = next((tmp_path / "backups").glob("commonops-*.sqlite3"))
    media = next((tmp_path / "backups").glob("commonops-*-media.tar.gz"))
    source = _fingerprint(sqlite3.connect(live).cursor(), "sqlite")
    assert source["core_user"][0] > 0 and source["django_migrations"][0] > 0
    env["MEDIA_ROOT"] = str(tmp_path / "restored-media")
    manage("restore_backup", str(database), "--media", str(media), "--yes",
           "--database-url", f"sqlite:///{tmp_path / 'restored.sqlite3'}")
    assert _fingerprint(sqlite3.connect(tmp_path / "restored.sqlite3").cursor(),
                        "sqlite") == source
    assert (tmp_path / "restored-media" / "papers" / "budget.pdf").read_bytes() == \
        b"%PDF-1.4 budget"


def test_a_restore_must_be_confirmed(tmp_path):
    with pytest.raises(CommandError, match="--yes"):
        call_command("restore_backup", str(tmp_path / "x.sqlite3"))


def test_a_file_that_is_not_a_backup_is_refused(tmp_path):
    stray = tmp_path / "notes.txt"
    stray.write_text("hello")
    with pytest.raises(CommandError, match="not a CommonOps database backup"):
        call_command("restore_backup", str(stray), "--yes",
                     "--database-url", f"sqlite:///{tmp_path / 'x.sqlite3'}")
