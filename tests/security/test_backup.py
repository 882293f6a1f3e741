"""Backup and restore into an empty database: every table comes back row for row; files too."""

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

from chitieu.ops.backup import BackupError, backup, read_manifest, restore
from chitieu.reporting.services import value_save


def _rows_sqlite(path: str) -> dict[str, list]:
    con = sqlite3.connect(path)
    try:
        tables = [
            r[0]
            for r in con.execute(
                "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%'"
            )
        ]
        return {t: sorted(map(repr, con.execute(f'SELECT * FROM "{t}"').fetchall())) for t in tables}
    finally:
        con.close()


def _rows_pg(dbname: str) -> dict[str, list]:
    import psycopg

    with psycopg.connect(f"postgresql://postgres@127.0.0.1:5432/{dbname}") as con:
        tables = [r[0] for r in con.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")]
        return {t: sorted(map(repr, con.execute(f'SELECT * FROM "{t}"').fetchall())) for t in tables}


@pytest.mark.django_db(transaction=True)
def test_restore_into_an_empty_database_gives_every_table_back(tree, people, indicators, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    (tmp_path / "media" / "evidence").mkdir(parents=True)
    (tmp_path / "media" / "evidence" / "mc.pdf").write_bytes(b"%PDF-1.4 minh chung")
    value_save(
        actor=people["root"],
        indicator=indicators["online"],
        unit=tree["dept"],
        period="2026Q1",
        numerator=3,
        denominator=4,
    )
    archive = tmp_path / "sao-luu.tar.gz"
    manifest = backup(archive)
    assert (
        manifest["tables"]["reporting_datavalue"] == 1
        and read_manifest(archive)["engine"] == connection.vendor
    )
    env = dict(os.environ, MEDIA_ROOT=str(tmp_path / "media2"))
    if connection.vendor == "sqlite":
        target = tmp_path / "khoi-phuc.sqlite3"
        env["DATABASE_URL"] = f"sqlite:///{target}"
    else:
        import psycopg

        target = f"chitieu_restore_{os.getpid()}"
        with psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres", autocommit=True) as con:
            con.execute(f"DROP DATABASE IF EXISTS {target}")
            con.execute(f"CREATE DATABASE {target}")
        env["DATABASE_URL"] = f"postgres://postgres@127.0.0.1:5432/{target}"
    r = subprocess.run(
        [sys.executable, "-m", "chitieu.cli", "restore", str(archive)],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert r.returncode == 0, r.stderr
    assert "số dòng khớp bản sao lưu" in r.stdout
    if connection.vendor == "sqlite":
        before, after = _rows_sqlite(settings.DATABASES["default"]["NAME"]), _rows_sqlite(str(target))
    else:
        before, after = _rows_pg(settings.DATABASES["default"]["NAME"]), _rows_pg(target)
    assert before.keys() == after.keys() and len(before) > 30
    for table in before:
        assert before[table] == after[table], table
    assert (tmp_path / "media2" / "evidence" / "mc.pdf").read_bytes() == b"%PDF-1.4 minh chung"
    # a second restore over data is refused without --force
    r = subprocess.run(
        [sys.executable, "-m", "chitieu.cli", "restore", str(archive)],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert r.returncode == 2 and "đã có dữ liệu" in r.stderr
    if connection.vendor == "postgresql":
        import psycopg

        with psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres", autocommit=True) as con:
            con.execute(f"DROP DATABASE IF EXISTS {target} WITH (FORCE)")


@pytest.mark.django_db
def test_a_foreign_or_hostile_archive_is_refused(tmp_path):
    import io
    import tarfile

    bad = tmp_path / "x.tar.gz"
    bad.write_bytes(b"not an archive")
    with pytest.raises(BackupError, match="không phải tệp sao lưu"):
        read_manifest(bad)
    evil = tmp_path / "evil.tar.gz"
    with tarfile.open(evil, "w:gz") as tar:
        for name, data in (
            ("manifest.json", b'{"format": 1, "engine": "%s", "tables": {}}' % connection.vendor.encode()),
            ("../../etc/x", b"x"),
        ):
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    with pytest.raises(BackupError, match="không an toàn"):
        restore(evil, force=True)
    assert not Path("/etc/x").exists()
