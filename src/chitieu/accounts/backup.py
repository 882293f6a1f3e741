"""Backup and restore: the database and the files (evidence, reports, dossier store) in one archive.

* SQLite: the online backup API (a consistent copy while the app runs).
* PostgreSQL: ``pg_dump --format=custom`` / ``pg_restore``.

The archive is a ``.tar.gz`` holding ``manifest.json`` (engine, time, row count of every table),
``database.sqlite3`` or ``database.dump``, and ``media/``. A restore goes into an empty database
(or, with ``force``, over an existing one) and checks the row counts against the manifest.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from pathlib import Path

from django.conf import settings
from django.db import connection

from chitieu.core.errors import Invalid

FORMAT = 1


class BackupError(Invalid):
    pass


def table_counts() -> dict[str, int]:
    with connection.cursor() as cur:
        tables = connection.introspection.table_names(cur)
        out = {}
        for t in sorted(tables):
            cur.execute(f'SELECT count(*) FROM "{t}"')
            out[t] = int(cur.fetchone()[0])
    return out


def _pg_env() -> tuple[dict, list[str]]:
    db = settings.DATABASES["default"]
    env = dict(os.environ)
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = str(db["PASSWORD"])
    args = [
        "-h",
        str(db.get("HOST") or "127.0.0.1"),
        "-p",
        str(db.get("PORT") or 5432),
        "-U",
        str(db.get("USER") or "postgres"),
    ]
    return env, args


def backup(path: Path, *, media: bool = True) -> dict:
    """Write the archive; returns its manifest."""
    path = Path(path)
    vendor = connection.vendor
    manifest = {
        "format": FORMAT,
        "engine": vendor,
        "created": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "tables": table_counts(),
        "media": media,
    }
    with tempfile.TemporaryDirectory() as tmp:
        tmpdir = Path(tmp)
        if vendor == "sqlite":
            db_file = tmpdir / "database.sqlite3"
            src = sqlite3.connect(settings.DATABASES["default"]["NAME"])
            dst = sqlite3.connect(db_file)
            try:
                with dst:
                    src.backup(dst)
            finally:
                dst.close()
                src.close()
        elif vendor == "postgresql":
            db_file = tmpdir / "database.dump"
            env, args = _pg_env()
            name = settings.DATABASES["default"]["NAME"]
            r = subprocess.run(
                ["pg_dump", *args, "-Fc", "--no-owner", "-f", str(db_file), name],
                env=env,
                capture_output=True,
                text=True,
            )
            if r.returncode != 0:
                raise BackupError(f"pg_dump không chạy được: {r.stderr.strip()[:300]}")
        else:
            raise BackupError(f"Chưa hỗ trợ sao lưu cơ sở dữ liệu {vendor}.")
        with tarfile.open(path, "w:gz") as tar:
            data = json.dumps(manifest, ensure_ascii=False, indent=2).encode()
            info = tarfile.TarInfo("manifest.json")
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
            tar.add(db_file, arcname=db_file.name)
            media_root = Path(settings.MEDIA_ROOT)
            if media and media_root.exists():
                tar.add(media_root, arcname="media")
    return manifest


def _safe_members(tar: tarfile.TarFile) -> list[tarfile.TarInfo]:
    members = []
    for m in tar.getmembers():
        name = m.name
        if name.startswith("/") or ".." in Path(name).parts or m.issym() or m.islnk():
            raise BackupError(f"Tệp sao lưu có đường dẫn không an toàn: {name}")
        members.append(m)
    return members


def read_manifest(path: Path) -> dict:
    try:
        with tarfile.open(path, "r:gz") as tar:
            f = tar.extractfile("manifest.json")
            if f is None:
                raise KeyError
            return json.loads(f.read())
    except (tarfile.TarError, KeyError, OSError, json.JSONDecodeError):
        raise BackupError(f"{path}: không phải tệp sao lưu của chitieu.")


def restore(path: Path, *, force: bool = False) -> dict:
    """Restore the archive into the configured database and MEDIA_ROOT."""
    path = Path(path)
    manifest = read_manifest(path)
    if manifest.get("format") != FORMAT:
        raise BackupError(f"{path}: định dạng sao lưu {manifest.get('format')} không đọc được.")
    vendor = connection.vendor
    if manifest["engine"] != vendor:
        raise BackupError(f"Tệp sao lưu của {manifest['engine']}, không khôi phục vào {vendor} được.")
    if not force:
        current = table_counts()
        busy = [t for t, n in current.items() if n and t != "django_migrations"]
        if busy:
            raise BackupError(f"Cơ sở dữ liệu đích đã có dữ liệu ({len(busy)} bảng); dùng --force để ghi đè.")
    with tempfile.TemporaryDirectory() as tmp, tarfile.open(path, "r:gz") as tar:
        members = _safe_members(tar)
        tar.extractall(tmp, members=members, filter="data")
        tmpdir = Path(tmp)
        if vendor == "sqlite":
            connection.close()
            target = Path(settings.DATABASES["default"]["NAME"])
            for suffix in ("-wal", "-shm"):
                Path(f"{target}{suffix}").unlink(missing_ok=True)
            src = sqlite3.connect(tmpdir / "database.sqlite3")
            dst = sqlite3.connect(target)
            try:
                with dst:
                    src.backup(dst)
            finally:
                dst.close()
                src.close()
        else:
            env, args = _pg_env()
            name = settings.DATABASES["default"]["NAME"]
            connection.close()
            r = subprocess.run(
                [
                    "pg_restore",
                    *args,
                    "--no-owner",
                    "--clean",
                    "--if-exists",
                    "-d",
                    name,
                    str(tmpdir / "database.dump"),
                ],
                env=env,
                capture_output=True,
                text=True,
            )
            if r.returncode != 0 and "error" in r.stderr.lower():
                raise BackupError(f"pg_restore báo lỗi: {r.stderr.strip()[:300]}")
        media = tmpdir / "media"
        if media.exists():
            media_root = Path(settings.MEDIA_ROOT)
            if media_root.exists() and any(media_root.iterdir()) and not force:
                raise BackupError(f"{media_root} đã có tệp; dùng --force để ghi đè.")
            shutil.copytree(media, media_root, dirs_exist_ok=True)
    counts = table_counts()
    wrong = {t: (n, counts.get(t)) for t, n in manifest["tables"].items() if counts.get(t) != n}
    if wrong:
        raise BackupError(f"Khôi phục xong nhưng số dòng khác bản sao lưu: {wrong}")
    return manifest
