"""Where imported dossiers live, and the relation the computation reads.

* ``duckdb`` (default): one columnar file, ``MEDIA_ROOT/dossiers/store/dossiers.parquet``; an import
  merges into it (the newest row of each dossier id wins) and replaces it atomically.
* ``postgres``: the ``dossiers_dossier`` table, upserted with ``INSERT ... ON CONFLICT (code)``;
  the computation is pushed down to PostgreSQL as SQL.

Both are written under :class:`StoreLock`, so that app servers sharing one database and one
volume never interleave two merges.
"""

from __future__ import annotations

import os
from pathlib import Path

import duckdb
from django.conf import settings
from django.db import connection, transaction
from django.db.models import F

from chitieu.dossiers.models import StoreLock
from chitieu.dossiers.normalize import COLUMNS, SCHEMA


def engine_name() -> str:
    name = getattr(settings, "CHITIEU_DOSSIER_ENGINE", "duckdb")
    if name == "postgres" and connection.vendor != "postgresql":
        return "duckdb"
    return name


def root() -> Path:
    p = Path(settings.MEDIA_ROOT) / "dossiers"
    (p / "store").mkdir(parents=True, exist_ok=True)
    (p / "staging").mkdir(parents=True, exist_ok=True)
    return p


def store_file() -> Path:
    return root() / "store" / "dossiers.parquet"


def staging_file(import_id: int) -> Path:
    return root() / "staging" / f"import-{import_id}.parquet"


def duck(memory_limit: str | None = None) -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB with bounded memory that spills to disk under the media volume."""
    con = duckdb.connect()
    tmp = root() / "tmp"
    tmp.mkdir(exist_ok=True)
    con.execute(f"SET temp_directory='{tmp}'")
    con.execute(f"SET memory_limit='{memory_limit or getattr(settings, 'CHITIEU_DUCKDB_MEMORY', '1GB')}'")
    con.execute("SET preserve_insertion_order=true")
    return con


def empty_relation() -> str:
    cols = ", ".join(f"NULL::{t} AS {c}" for c, t in SCHEMA)
    return f"(SELECT {cols} WHERE FALSE)"


def duckdb_relation() -> str:
    f = store_file()
    return f"read_parquet('{f}')" if f.exists() else empty_relation()


def postgres_relation() -> str:
    tz = settings.TIME_ZONE.replace("'", "")
    cols = []
    for c, _ in SCHEMA:
        if c.endswith("_at"):
            cols.append(f"({c} AT TIME ZONE '{tz}') AS {c}")
        else:
            cols.append(c)
    return f"(SELECT {', '.join(cols)} FROM dossiers_dossier)"


def merge(staged: Path, *, engine: str) -> int:
    """Merge the good rows of a staged import into the store; returns the store's row count."""
    with transaction.atomic():
        lock, _ = StoreLock.objects.get_or_create(pk=1)
        StoreLock.objects.filter(pk=1).update(version=F("version") + 1)  # a write lock on SQLite too
        if engine == "postgres":
            return _merge_postgres(staged)
        return _merge_duckdb(staged)


def _merge_duckdb(staged: Path) -> int:
    """New good rows replace the stored rows with the same dossier id (an anti-join, no sort);
    a file has no repeated id among its good rows (a repeat is a bad row)."""
    target = store_file()
    tmp = target.with_suffix(".parquet.tmp")
    cols = ", ".join(COLUMNS)
    new = f"SELECT {cols} FROM read_parquet('{staged}') WHERE error IS NULL"
    if target.exists():
        relation = (
            f"SELECT {cols} FROM read_parquet('{target}') AS o "
            f"WHERE o.code NOT IN (SELECT code FROM read_parquet('{staged}') WHERE error IS NULL) "
            f"UNION ALL {new}"
        )
    else:
        relation = new
    con = duck()
    try:
        con.execute(f"COPY ({relation}) TO '{tmp}' (FORMAT parquet, COMPRESSION zstd, ROW_GROUP_SIZE 500000)")
        n = con.execute(f"SELECT count(*) FROM read_parquet('{tmp}')").fetchall()[0][0]
    finally:
        con.close()
    os.replace(tmp, target)
    return int(n)


def _merge_postgres(staged: Path) -> int:
    """COPY the good rows (as CSV written by DuckDB, streamed in blocks) into a temporary table,
    then one INSERT ... ON CONFLICT (code) DO UPDATE."""
    tz = settings.TIME_ZONE.replace("'", "")
    cols = ", ".join(COLUMNS)
    csv_path = staged.with_suffix(".csv")
    con = duck()
    try:
        con.execute(
            f"COPY (SELECT {cols} FROM read_parquet('{staged}') WHERE error IS NULL) "
            f"TO '{csv_path}' (FORMAT csv, HEADER false, TIMESTAMPFORMAT '%Y-%m-%d %H:%M:%S')"
        )
    finally:
        con.close()
    try:
        with connection.cursor() as cur:
            cur.execute(f"SET LOCAL TIME ZONE '{tz}'")
            cur.execute(
                "CREATE TEMP TABLE dossier_stage (LIKE dossiers_dossier INCLUDING DEFAULTS) ON COMMIT DROP"
            )
            cur.execute("ALTER TABLE dossier_stage DROP COLUMN id")
            raw = getattr(cur, "cursor", cur)
            with (
                raw.copy(f"COPY dossier_stage ({cols}) FROM STDIN WITH (FORMAT csv)") as copy,
                open(csv_path, "rb") as fh,
            ):
                while block := fh.read(1 << 20):
                    copy.write(block)
            updates = ", ".join(f"{c} = EXCLUDED.{c}" for c in COLUMNS if c != "code")
            cur.execute(
                f"""INSERT INTO dossiers_dossier ({cols})
                    SELECT DISTINCT ON (code) {cols} FROM dossier_stage ORDER BY code, source_row DESC
                    ON CONFLICT (code) DO UPDATE SET {updates}"""
            )
            cur.execute("DROP TABLE dossier_stage")
            cur.execute("SELECT count(*) FROM dossiers_dossier")
            return int(cur.fetchall()[0][0])
    finally:
        csv_path.unlink(missing_ok=True)


def clear() -> None:
    """Empty the store (tests and the demo reset)."""
    f = store_file()
    if f.exists():
        f.unlink()
    if connection.vendor == "postgresql":
        with connection.cursor() as cur:
            cur.execute("DELETE FROM dossiers_dossier")
