"""Where imported dossiers live, and the relation the computation reads.

* ``duckdb`` (default): one columnar file, ``MEDIA_ROOT/dossiers/store/dossiers.parquet``; an import
  merges into it (the newest row of each dossier id wins) and replaces it atomically.
* ``postgres``: the ``dossiers_dossier`` table, upserted with ``INSERT ... ON CONFLICT (code)``;
  the computation is pushed down to PostgreSQL as SQL.

Both are written under :class:`StoreLock`, so that app servers sharing one database and one
volume never interleave two merges.

A dossier belongs to the unit that received it. A stored dossier may be changed only by someone
allowed to enter data for the unit it belongs to now, and an import never moves a dossier to
another unit silently: a row whose id is stored under another unit is an **ownership conflict**
(:func:`conflicts`, listed in the import's preview) and :func:`merge` leaves it out, unless the
person asked to move dossiers and may enter data for both units.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
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


def checked_file(import_id: int) -> Path:
    """Every row of a checked import: the canonical columns, ``error`` and ``error_key``."""
    return root() / "staging" / f"import-{import_id}-checked.parquet"


def duck(memory_limit: str | None = None) -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB with bounded memory that spills to disk under the media volume."""
    con = duckdb.connect()
    tmp = root() / "tmp"
    tmp.mkdir(exist_ok=True)
    con.execute(f"SET temp_directory='{tmp}'")
    con.execute(f"SET memory_limit='{memory_limit or getattr(settings, 'CHITIEU_DUCKDB_MEMORY', '1GB')}'")
    con.execute("SET preserve_insertion_order=true")
    con.execute(f"SET TimeZone={_lit(settings.TIME_ZONE)}")  # "+07:00" and "Z" read as local time
    return con


def _lit(text: str) -> str:
    return "'" + str(text).replace("'", "''") + "'"


def has_rows(engine: str) -> bool:
    """Whether the store holds any dossier (an empty one needs no conflict check)."""
    if engine == "postgres":
        with connection.cursor() as cur:
            cur.execute("SELECT EXISTS (SELECT 1 FROM dossiers_dossier)")
            return bool(cur.fetchone()[0])
    return store_file().exists()


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


class StoreConflict(Exception):
    """Some rows would change dossiers of another unit and the import may not skip them."""

    def __init__(self, blocked: int):
        super().__init__(blocked)
        self.blocked = blocked


@dataclass(frozen=True)
class Conflicts:
    """Rows of a staged import whose dossier id is stored under another unit.

    ``takeovers``: the stored unit is one the person may not enter (never written);
    ``moves``: the person may enter both units (written only when moving is asked for);
    ``rows``: the first ones, ``(source_row, code, stored unit id, file's unit id, kind)``."""

    takeovers: int = 0
    moves: int = 0
    rows: list[tuple[int, str, int, int, str]] = field(default_factory=list)

    @property
    def total(self) -> int:
        return self.takeovers + self.moves


def may_sql(allowed: set[int] | None, column: str) -> str:
    """SQL truth of "the person may enter data for the unit in ``column``" (None = every unit)."""
    if allowed is None:
        return "TRUE"
    if not allowed:
        return "FALSE"
    return f"{column} IN ({', '.join(str(int(u)) for u in sorted(allowed))})"


def conflicts(
    good: Path, *, engine: str, allowed: set[int] | None, where: str = "TRUE", limit: int = 200
) -> Conflicts:
    """The ownership conflicts of an import's good rows (the rows of a parquet file with code,
    unit_id and source_row that satisfy ``where``) against the store as it is now."""
    if engine == "postgres":
        with transaction.atomic(), connection.cursor() as cur:
            _copy_to_postgres(cur, good, "dossier_probe", ["code", "unit_id", "source_row"], where)
            base = (
                "SELECT s.source_row, s.code, d.unit_id AS stored, s.unit_id AS given, "
                f"{may_sql(allowed, 'd.unit_id')} AS may "
                "FROM dossier_probe s JOIN dossiers_dossier d ON d.code = s.code WHERE d.unit_id <> s.unit_id"
            )
            cur.execute(
                f"SELECT count(*) FILTER (WHERE NOT may), count(*) FILTER (WHERE may) FROM ({base}) c"
            )
            takeovers, moves = cur.fetchone()
            cur.execute(f"SELECT * FROM ({base}) c ORDER BY source_row LIMIT {int(limit)}")
            rows = cur.fetchall()
            cur.execute("DROP TABLE dossier_probe")
    else:
        target = store_file()
        if not target.exists():
            return Conflicts()
        base = (
            "SELECT s.source_row, s.code, o.unit_id AS stored, s.unit_id AS given, "
            f"{may_sql(allowed, 'o.unit_id')} AS may "
            f"FROM (SELECT * FROM read_parquet('{good}') WHERE {where}) s "
            f"JOIN read_parquet('{target}') o ON o.code = s.code WHERE o.unit_id <> s.unit_id"
        )
        con = duck()
        try:
            takeovers, moves = con.execute(
                f"SELECT count(*) FILTER (WHERE NOT may), count(*) FILTER (WHERE may) FROM ({base})"
            ).fetchall()[0]
            rows = con.execute(f"SELECT * FROM ({base}) ORDER BY source_row LIMIT {int(limit)}").fetchall()
        finally:
            con.close()
    return Conflicts(
        int(takeovers),
        int(moves),
        [(int(r), str(c), int(o), int(g), "move" if may else "takeover") for r, c, o, g, may in rows],
    )


@dataclass(frozen=True)
class Merged:
    store_rows: int  # dossiers in the store after the merge
    written: int  # rows of the import written (new dossiers and updates)
    blocked: int  # rows left out: the dossier belongs to another unit
    moved: int  # dossiers moved to the file's unit (asked for, allowed on both units)


def merge(
    good: Path,
    *,
    engine: str,
    allowed: set[int] | None = None,
    move: bool = False,
    skip_blocked: bool = True,
    where: str = "TRUE",
) -> Merged:
    """Merge an import's good rows (a parquet file of :data:`COLUMNS`) into the store.

    The conflicts are decided again here, under the lock, against the store as it is at this
    moment (another import may have written since the check): a row whose id is stored under
    another unit is left out, unless ``move`` and the person may enter data for the stored unit
    (``allowed``: the units they may enter, None = every unit). With ``skip_blocked=False`` a
    left-out row refuses the whole merge (:class:`StoreConflict`) and nothing is written."""
    with transaction.atomic():
        lock, _ = StoreLock.objects.get_or_create(pk=1)
        StoreLock.objects.filter(pk=1).update(version=F("version") + 1)  # a write lock on SQLite too
        if engine == "postgres":
            return _merge_postgres(good, allowed=allowed, move=move, skip_blocked=skip_blocked, where=where)
        return _merge_duckdb(good, allowed=allowed, move=move, skip_blocked=skip_blocked, where=where)


def _merge_duckdb(
    good_file: Path, *, allowed: set[int] | None, move: bool, skip_blocked: bool, where: str
) -> Merged:
    """New good rows replace the stored rows with the same dossier id (an anti-join, no sort);
    an import has no repeated id among its good rows (a repeat is a bad row). Rows that would
    change another unit's dossier are left out before anything is replaced. Into an empty store
    the file of good rows is moved as it is (no second copy)."""
    target = store_file()
    tmp = target.with_suffix(".parquet.tmp")
    cols = ", ".join(COLUMNS)
    good = f"(SELECT {cols} FROM read_parquet('{good_file}') WHERE {where})"
    con = duck()
    try:
        if not target.exists():
            total, written = con.execute(
                f"SELECT count(*), count(*) FILTER (WHERE {where}) FROM read_parquet('{good_file}')"
            ).fetchall()[0]
            if total == written:  # every row is good: the file becomes the store as it is
                con.close()
                os.replace(good_file, target)
                return Merged(int(written), int(written), 0, 0)
            con.execute(f"COPY {good} TO '{tmp}' (FORMAT parquet, COMPRESSION zstd, ROW_GROUP_SIZE 500000)")
            con.close()
            os.replace(tmp, target)
            return Merged(int(written), int(written), 0, 0)
        kept = "FALSE" if not move else may_sql(allowed, "o.unit_id")
        con.execute(
            f"CREATE TEMP TABLE elsewhere AS SELECT s.code, {kept} AS kept FROM {good} s "
            f"JOIN read_parquet('{target}') o ON o.code = s.code WHERE o.unit_id <> s.unit_id"
        )
        con.execute("CREATE TEMP TABLE blocked AS SELECT code FROM elsewhere WHERE NOT kept")
        blocked, moved = con.execute(
            "SELECT count(*) FILTER (WHERE NOT kept), count(*) FILTER (WHERE kept) FROM elsewhere"
        ).fetchall()[0]
        if blocked and not skip_blocked:
            raise StoreConflict(int(blocked))
        new = f"SELECT {cols} FROM {good} g WHERE g.code NOT IN (SELECT code FROM blocked)"
        relation = (
            f"SELECT {cols} FROM read_parquet('{target}') AS o "
            f"WHERE o.code NOT IN (SELECT code FROM ({new})) UNION ALL {new}"
        )
        written = int(con.execute(f"SELECT count(*) FROM ({new})").fetchall()[0][0])
        con.execute(f"COPY ({relation}) TO '{tmp}' (FORMAT parquet, COMPRESSION zstd, ROW_GROUP_SIZE 500000)")
        n = con.execute(f"SELECT count(*) FROM read_parquet('{tmp}')").fetchall()[0][0]
    finally:
        con.close()
    os.replace(tmp, target)
    return Merged(int(n), written, int(blocked), int(moved))


def _copy_to_postgres(cur, staged: Path, table: str, columns: list[str], where: str = "TRUE") -> None:
    """A temporary table ``table`` holding ``columns`` of the staged import's good rows (CSV
    written by DuckDB, streamed to COPY in blocks); the whole dossier row, or a narrow one."""
    cols = ", ".join(columns)
    csv_path = staged.with_suffix(f".{table}.csv")
    con = duck()
    try:
        con.execute(
            f"COPY (SELECT {cols} FROM read_parquet('{staged}') WHERE {where}) "
            f"TO '{csv_path}' (FORMAT csv, HEADER false, TIMESTAMPFORMAT '%Y-%m-%d %H:%M:%S')"
        )
    finally:
        con.close()
    try:
        if columns == COLUMNS:
            cur.execute(
                f"CREATE TEMP TABLE {table} (LIKE dossiers_dossier INCLUDING DEFAULTS) ON COMMIT DROP"
            )
            cur.execute(f"ALTER TABLE {table} DROP COLUMN id")
        else:
            types = dict(SCHEMA)
            defs = ", ".join(f"{c} {types[c].replace('VARCHAR', 'TEXT')}" for c in columns)
            cur.execute(f"CREATE TEMP TABLE {table} ({defs}) ON COMMIT DROP")
        raw = getattr(cur, "cursor", cur)
        with (
            raw.copy(f"COPY {table} ({cols}) FROM STDIN WITH (FORMAT csv)") as copy,
            open(csv_path, "rb") as fh,
        ):
            while block := fh.read(1 << 20):
                copy.write(block)
    finally:
        csv_path.unlink(missing_ok=True)


def _merge_postgres(
    staged: Path, *, allowed: set[int] | None, move: bool, skip_blocked: bool, where: str
) -> Merged:
    """COPY the good rows into a temporary table, leave out the ones that would change another
    unit's dossier, then one INSERT ... ON CONFLICT (code) DO UPDATE."""
    tz = settings.TIME_ZONE.replace("'", "")
    cols = ", ".join(COLUMNS)
    with connection.cursor() as cur:
        cur.execute(f"SET LOCAL TIME ZONE '{tz}'")
        _copy_to_postgres(cur, staged, "dossier_stage", COLUMNS, where)
        kept = "FALSE" if not move else may_sql(allowed, "d.unit_id")
        cur.execute(
            f"SELECT count(*) FILTER (WHERE NOT ({kept})), count(*) FILTER (WHERE {kept}) "
            "FROM dossier_stage s JOIN dossiers_dossier d ON d.code = s.code WHERE d.unit_id <> s.unit_id"
        )
        blocked, moved = (int(x) for x in cur.fetchone())
        cur.execute(
            "DELETE FROM dossier_stage s USING dossiers_dossier d "
            f"WHERE d.code = s.code AND d.unit_id <> s.unit_id AND NOT ({kept})"
        )
        if blocked and not skip_blocked:
            raise StoreConflict(blocked)
        updates = ", ".join(f"{c} = EXCLUDED.{c}" for c in COLUMNS if c != "code")
        cur.execute(
            f"""INSERT INTO dossiers_dossier ({cols})
                SELECT DISTINCT ON (code) {cols} FROM dossier_stage ORDER BY code, source_row DESC
                ON CONFLICT (code) DO UPDATE SET {updates}"""
        )
        written = max(cur.rowcount, 0)
        cur.execute("DROP TABLE dossier_stage")
        cur.execute("SELECT count(*) FROM dossiers_dossier")
        return Merged(int(cur.fetchall()[0][0]), written, blocked, moved)


def clear() -> None:
    """Empty the store (tests and the demo reset)."""
    f = store_file()
    if f.exists():
        f.unlink()
    if connection.vendor == "postgresql":
        with connection.cursor() as cur:
            cur.execute("DELETE FROM dossiers_dossier")
