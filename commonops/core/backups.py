"""Backups of the database and of the uploaded files, and their restore.

- SQLite (the embedded mode): SQLite's online backup copies the open database page by page,
  consistent even while the server writes (the WAL included).
- PostgreSQL: `pg_dump --format=custom` (a consistent snapshot while the server runs);
  restored with `pg_restore --clean --if-exists --single-transaction`.
- Uploaded files (MEDIA_ROOT): a .tar.gz beside the database backup.

`make backup` (manage.py backup) writes them to BACKUP_DIR; `manage.py restore_backup`
restores them. docs/deployment.md says when and how.
"""

import os
import sqlite3
import subprocess
import tarfile
from pathlib import Path

import dj_database_url
from django.conf import settings
from django.db import connection


class BackupError(Exception):
    pass


def _postgres_env(database: dict) -> dict:
    env = dict(os.environ)
    for key, variable in (("HOST", "PGHOST"), ("PORT", "PGPORT"), ("USER", "PGUSER"),
                          ("PASSWORD", "PGPASSWORD")):
        if database.get(key):
            env[variable] = str(database[key])
    return env


def _run(command: list[str], env: dict) -> None:
    result = subprocess.run(command, env=env, capture_output=True, text=True)
    if result.returncode != 0:
        raise BackupError(f"{command[0]} failed: {result.stderr.strip()}")


def backup_database(folder: Path, stamp: str) -> Path:
    """Back up the database the application uses; the file written."""
    vendor = connection.vendor
    if vendor == "sqlite":
        target = folder / f"commonops-{stamp}.sqlite3"
        connection.ensure_connection()
        with sqlite3.connect(target) as copy:
            connection.connection.backup(copy)
        copy.close()
        return target
    if vendor == "postgresql":
        target = folder / f"commonops-{stamp}.pgdump"
        database = connection.settings_dict
        _run(["pg_dump", "--format=custom", "--no-owner", "--no-privileges",
              f"--file={target}", database["NAME"]], _postgres_env(database))
        return target
    raise BackupError(f"No backup for a {vendor} database.")


def backup_media(folder: Path, stamp: str) -> Path | None:
    media = Path(settings.MEDIA_ROOT)
    if not media.is_dir() or not any(media.iterdir()):
        return None
    target = folder / f"commonops-{stamp}-media.tar.gz"
    with tarfile.open(target, "w:gz") as archive:
        archive.add(media, arcname="media")
    return target


def restore_database(path: Path, database_url: str) -> None:
    """Replace the contents of the database at `database_url` with the backup at `path`."""
    database = dj_database_url.parse(database_url)
    engine = database["ENGINE"]
    if path.suffix == ".sqlite3":
        if not engine.endswith("sqlite3"):
            raise BackupError("A SQLite backup restores into a SQLite database.")
        with sqlite3.connect(path) as source, sqlite3.connect(database["NAME"]) as target:
            source.backup(target)
        source.close()
        target.close()
        return
    if path.suffix == ".pgdump":
        if "postgresql" not in engine:
            raise BackupError("A PostgreSQL backup restores into a PostgreSQL database.")
        _run(["pg_restore", "--clean", "--if-exists", "--no-owner", "--no-privileges",
              "--single-transaction", f"--dbname={database['NAME']}", str(path)],
             _postgres_env(database))
        return
    raise BackupError(f"{path.name} is not a CommonOps database backup (.sqlite3, .pgdump).")


def restore_media(path: Path, media_root: Path) -> None:
    media_root.mkdir(parents=True, exist_ok=True)
    with tarfile.open(path, "r:gz") as archive:
        members = [m for m in archive.getmembers()
                   if m.name == "media" or m.name.startswith("media/")]
        for member in members:
            member.name = member.name[len("media/"):] if member.name != "media" else "."
        archive.extractall(media_root, members=members, filter="data")
