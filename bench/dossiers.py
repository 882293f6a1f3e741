"""Dossier import and indicator computation at scale, against a floor and a pandas baseline.

On N synthetic dossiers (``chitieu gen-dossiers``; default 10 million, 500 units, one year) it
measures, each phase in its own process so that peak memory is its own:

* read floor: DuckDB alone reading, typing and writing the same CSV to Parquet (and counting it),
  the least any import of this file costs on this machine, measured in the same run;
* import: CSV -> parsed, checked, staged and merged into the columnar store (rows per second,
  and its ratio to the read floor);
* engine: chitieu's computation (``dossiers.services.compute_rows``) for every unit and the four
  quarter windows (Decree 09 cut-off);
* floor: one hand-written DuckDB SQL query computing the same numbers from the same file;
* pandas: the same numbers with vectorised pandas (no Python loop over rows), reading the same file.

Engine, floor and pandas each report the best of three runs.

It checks that the three agree, prints the table, and ends with one machine-readable line:

    rows=10000000 floor_ratio=1.12 pandas_speedup=2.6 peak_rss_mb=812 import_rows_per_s=250000 import_floor_ratio=1.31

Usage: python bench/dossiers.py [--rows N] [--units U] [--quick]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
YEAR = 2025
QUARTERS = [f"{YEAR}Q{q}" for q in (1, 2, 3, 4)]
COMPARED = [
    "processed",
    "new",
    "carried",
    "online",
    "online_full",
    "finished",
    "early",
    "on_time",
    "late",
    "overdue",
    "not_due",
    "digitised",
    "paper",
    "e_result",
    "fee_due",
    "paid_online",
    "reuse",
    "synced",
]
RUNS = 3  # engine, floor and pandas: the best of three runs each
EXTRA = ["online_partial", "postal", "result_digitised", "unhappy", "procs_online", "procs_offered"]


def _setup_django(workdir: Path) -> None:
    os.environ["DATABASE_URL"] = f"sqlite:///{workdir}/bench.sqlite3"
    os.environ["MEDIA_ROOT"] = str(workdir / "media")
    os.environ.setdefault("CHITIEU_HOME", str(REPO))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "chitieu.config.settings")
    sys.path.insert(0, str(REPO / "src"))
    import django

    django.setup()


def _windows():
    from chitieu.dossiers.services import window_rule, windows_for

    return windows_for(QUARTERS, window_rule("cutoff"))


# --- phases (each runs in a child process) -----------------------------------------------------
def phase_import(workdir: Path, csv_path: str, units: str) -> dict:
    csv_path, units = Path(csv_path), int(units)
    _setup_django(workdir)
    from django.contrib.auth import get_user_model
    from django.core.management import call_command

    from chitieu.dossiers import importing
    from chitieu.orgs.models import Unit, UnitKind

    call_command("migrate", verbosity=0)
    root = Unit.objects.create(code="BENCH", name="Tỉnh đo", kind=UnitKind.PROVINCE)
    root.path = f"/{root.pk}/"
    root.save()
    us = Unit.objects.bulk_create(
        [
            Unit(code=f"DV{i:05d}", name=f"Xã đo {i}", kind=UnitKind.COMMUNE, parent=root)
            for i in range(1, units + 1)
        ]
    )
    for u in us:
        u.path, u.depth = f"{root.path}{u.pk}/", 1
    Unit.objects.bulk_update(us, ["path", "depth"])
    admin = get_user_model().objects.create_superuser("bench", "b@x.vn", "x")
    t = time.perf_counter()
    imp = importing.import_create(actor=admin, path=csv_path, file_name=csv_path.name, keep_copy=False)
    imp = importing.import_run(actor=admin, imp=imp)
    seconds = time.perf_counter() - t
    assert imp.status == "done" and imp.rows_bad == 0, (imp.status, imp.rows_bad, imp.errors[:3])
    from chitieu.dossiers import store

    return {"seconds": seconds, "rows": imp.rows_total, "store": str(store.store_file())}


def phase_read_floor(workdir: Path, csv_path: str) -> dict:
    """DuckDB's own floor for the same file, with the import's limits (memory, temp directory):
    read, sniff and type the CSV and write it to Parquet (what any import must at least do), and
    a bare count (the CSV reader alone). One run: it is measured just before and just after the
    import, and the import is compared with the mean of the two (on a shared machine the load
    changes by the minute; a best-of-three taken at a quiet moment would not be side by side)."""
    _setup_django(workdir)
    from chitieu.dossiers import store

    out = workdir / "floor.parquet"
    con = store.duck()
    write = count = float("inf")
    for _ in range(1):
        t = time.perf_counter()
        con.execute(f"COPY (SELECT * FROM read_csv('{csv_path}')) TO '{out}' (FORMAT parquet)")
        write = min(write, time.perf_counter() - t)
        out.unlink()
        t = time.perf_counter()
        n = con.execute(f"SELECT count(*) FROM read_csv('{csv_path}')").fetchall()[0][0]
        count = min(count, time.perf_counter() - t)
    con.close()
    return {"seconds": write, "count_seconds": count, "rows": int(n)}


def phase_engine(workdir: Path) -> dict:
    _setup_django(workdir)
    from chitieu.dossiers.services import compute_rows

    windows = _windows()
    seconds = float("inf")
    for _ in range(RUNS):  # the best of RUNS, each phase alike
        t = time.perf_counter()
        rows = compute_rows(windows, engine="duckdb")
        seconds = min(seconds, time.perf_counter() - t)
    return {
        "seconds": seconds,
        "result": _canon(rows),
        "full": _canon(rows, True),
        "imports": [r["imports"] for r in rows],
    }


def floor_sql(path: str, windows) -> str:
    """Hand-written, independent of chitieu's SQL builder: every figure the engine gives (the
    counts, the procedures with online dossiers, the imports behind each figure), one statement."""
    wins = ", ".join(
        f"('{w.period}', TIMESTAMP '{w.start} 00:00:00', TIMESTAMP '{w.end} 00:00:00' + INTERVAL 1 DAY, DATE '{w.end}')"
        for w in windows
    )
    return f"""
    WITH w(period, s, e, last) AS (VALUES {wins}),
    src AS (
        SELECT unit_id, procedure_code, online_level, channel, received_at, due_at, supplement_count,
               supplement_days, paper_result, has_fee, fee_amount, digitised, result_digitised, e_result,
               paid_online, data_reuse, synced, complaint, rating, import_id,
               coalesce(finished_at, returned_at) AS end_at
        FROM read_parquet('{path}')
    ),
    y AS (
        SELECT src.*, w.period, received_at >= s AS is_new, coalesce(end_at < e, FALSE) AS d,
               CAST(end_at AS DATE) AS end_d, CAST(due_at AS DATE) + coalesce(supplement_days, 0) AS due_d, last
        FROM src JOIN w ON received_at < e AND (received_at >= s OR end_at IS NULL OR end_at >= s)
    ),
    z AS (
        SELECT *, coalesce(supplement_count, 0) > 1 OR (d AND end_d > due_d) OR (NOT d AND due_d < last) AS lt FROM y
    ),
    counts AS (
        SELECT unit_id, period,
            count(*) AS processed,
            count(*) FILTER (is_new) AS new,
            count(*) FILTER (NOT is_new) AS carried,
            count(*) FILTER (channel = 'online') AS online,
            count(*) FILTER (channel = 'online' AND online_level = 'full') AS online_full,
            count(*) FILTER (channel = 'online' AND online_level = 'partial') AS online_partial,
            count(*) FILTER (channel = 'postal') AS postal,
            count(*) FILTER (d) AS finished,
            count(*) FILTER (d AND NOT coalesce(lt, FALSE) AND end_d < due_d) AS early,
            count(*) FILTER (d AND NOT coalesce(lt, FALSE) AND (due_d IS NULL OR end_d >= due_d)) AS on_time,
            count(*) FILTER (d AND coalesce(lt, FALSE)) AS late,
            count(*) FILTER (NOT d AND coalesce(lt, FALSE)) AS overdue,
            count(*) FILTER (NOT d AND NOT coalesce(lt, FALSE)) AS not_due,
            count(*) FILTER (digitised AND (NOT paper_result OR e_result)) AS digitised,
            count(*) FILTER (d AND result_digitised) AS result_digitised,
            count(*) FILTER (paper_result) AS paper,
            count(*) FILTER (paper_result AND e_result) AS e_result,
            count(*) FILTER (has_fee AND coalesce(fee_amount, 0) > 0) AS fee_due,
            count(*) FILTER (has_fee AND coalesce(fee_amount, 0) > 0 AND paid_online) AS paid_online,
            count(*) FILTER (data_reuse) AS reuse,
            count(*) FILTER (synced) AS synced,
            count(*) FILTER (coalesce(lt, FALSE) OR complaint OR rating = 'dissatisfied') AS unhappy,
            string_agg(DISTINCT CAST(import_id AS VARCHAR), ',') AS imports
        FROM z GROUP BY unit_id, period
    ),
    procs AS (
        SELECT unit_id, period, sum((offered AND has_online)::INT) AS procs_online, sum(offered::INT) AS procs_offered
        FROM (
            SELECT unit_id, w.period, procedure_code,
                   bool_or(channel = 'online' AND received_at >= s) AS has_online,
                   bool_or(online_level IN ('full', 'partial')) AS offered
            FROM src JOIN w ON received_at < e
            GROUP BY unit_id, w.period, procedure_code
        ) GROUP BY unit_id, period
    )
    SELECT counts.*, coalesce(procs_online, 0) AS procs_online, coalesce(procs_offered, 0) AS procs_offered
    FROM counts LEFT JOIN procs USING (unit_id, period) ORDER BY unit_id, period
    """


def phase_floor(workdir: Path, store_path: str) -> dict:
    _setup_django(workdir)
    from chitieu.dossiers import store

    windows = _windows()
    con = store.duck()  # the same limits (memory, temp directory) as the engine
    seconds = float("inf")
    for _ in range(RUNS):
        t = time.perf_counter()
        res = con.execute(floor_sql(store_path, windows))
        cols = [d[0] for d in res.description]
        rows = [dict(zip(cols, r, strict=True)) for r in res.fetchall()]
        seconds = min(seconds, time.perf_counter() - t)
    return {
        "seconds": seconds,
        "result": _canon(rows),
        "full": _canon(rows, True),
        "imports": [r["imports"] for r in rows],
    }


def phase_pandas(workdir: Path, store_path: str) -> dict:
    _setup_django(workdir)
    windows = _windows()
    seconds = float("inf")
    for _ in range(RUNS):
        rows, took = _pandas_once(store_path, windows)
        seconds = min(seconds, took)
    return {"seconds": seconds, "result": _canon(rows)}


def _pandas_once(store_path: str, windows) -> tuple[list[dict], float]:
    import numpy as np
    import pandas as pd

    t = time.perf_counter()
    cols = [
        "unit_id",
        "channel",
        "online_level",
        "received_at",
        "due_at",
        "finished_at",
        "returned_at",
        "supplement_count",
        "supplement_days",
        "paper_result",
        "has_fee",
        "fee_amount",
        "digitised",
        "result_digitised",
        "e_result",
        "paid_online",
        "data_reuse",
        "synced",
    ]
    df = pd.read_parquet(store_path, columns=cols)
    end = df["finished_at"].fillna(df["returned_at"])
    end_d = end.dt.normalize()
    due_d = df["due_at"].dt.normalize() + pd.to_timedelta(df["supplement_days"].fillna(0), unit="D")
    many = df["supplement_count"].fillna(0) > 1
    online = df["channel"] == "online"
    fee_due = df["has_fee"] & (df["fee_amount"].fillna(0).astype(float) > 0)
    parts = []
    for w in windows:
        s = pd.Timestamp(w.start)
        e = pd.Timestamp(w.end) + pd.Timedelta(days=1)
        last = pd.Timestamp(w.end)
        m = (df["received_at"] < e) & ((df["received_at"] >= s) | end.isna() | (end >= s))
        done = (end < e).fillna(False) & m
        late = many | (done & (end_d > due_d)) | (~done & (due_d < last))
        early = done & ~late & (end_d < due_d)
        on_time = done & ~late & (due_d.isna() | (end_d >= due_d))
        frame = pd.DataFrame(
            {
                "unit_id": df["unit_id"],
                "processed": 1,
                "new": df["received_at"] >= s,
                "carried": df["received_at"] < s,
                "online": online,
                "online_full": online & (df["online_level"] == "full"),
                "finished": done,
                "early": early,
                "on_time": on_time,
                "late": done & late,
                "overdue": ~done & late,
                "not_due": ~done & ~late,
                "digitised": df["digitised"] & (~df["paper_result"] | df["e_result"]),
                "paper": df["paper_result"],
                "e_result": df["paper_result"] & df["e_result"],
                "fee_due": fee_due,
                "paid_online": fee_due & df["paid_online"],
                "reuse": df["data_reuse"],
                "synced": df["synced"],
            }
        )[m.to_numpy()]
        g = frame.groupby("unit_id", sort=True).sum(numeric_only=True).astype(np.int64).reset_index()
        g["period"] = w.period
        parts.append(g)
    out = pd.concat(parts).sort_values(["unit_id", "period"])
    rows = out.to_dict("records")
    return rows, time.perf_counter() - t


def _canon(rows: list[dict], extra: bool = False) -> list[list]:
    cols = COMPARED + (EXTRA if extra else [])
    return [[int(r["unit_id"]), r["period"], *[int(r[c]) for c in cols]] for r in rows]


PHASES = {
    "read_floor": phase_read_floor,
    "import": phase_import,
    "engine": phase_engine,
    "floor": phase_floor,
    "pandas": phase_pandas,
}


def run_phase(name: str, *args: str) -> tuple[dict, float]:
    out = Path(tempfile.mkstemp(suffix=".json")[1])
    proc = subprocess.run(
        [sys.executable, __file__, "--phase", name, "--out", str(out), *args], capture_output=True, text=True
    )
    if proc.returncode != 0:
        sys.stderr.write(proc.stderr[-3000:])
        raise SystemExit(f"phase {name} failed")
    data = json.loads(out.read_text())
    out.unlink()
    return data, data.pop("peak_rss_mb")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--rows", type=int, default=10_000_000)
    ap.add_argument("--units", type=int, default=500)
    ap.add_argument("--quick", action="store_true", help="200,000 rows")
    ap.add_argument("--phase", help=argparse.SUPPRESS)
    ap.add_argument("--out", help=argparse.SUPPRESS)
    ap.add_argument("args", nargs="*", help=argparse.SUPPRESS)
    a = ap.parse_args()
    if a.phase:
        result = PHASES[a.phase](*[Path(a.args[0]), *a.args[1:]] if a.args else [])
        result["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        Path(a.out).write_text(json.dumps(result, default=str))
        return
    rows = 200_000 if a.quick else a.rows
    cache = REPO / "var" / "bench"
    cache.mkdir(parents=True, exist_ok=True)
    csv_path = cache / f"dossiers-{rows}-{a.units}.csv"
    if not csv_path.exists():
        print(f"generating {rows:,} dossiers for {a.units} units ...", flush=True)
        sys.path.insert(0, str(REPO / "src"))
        from chitieu.dossiers.generator import generate

        t = time.perf_counter()
        generate(csv_path, units=[f"DV{i:05d}" for i in range(1, a.units + 1)], rows=rows, year=YEAR, seed=42)
        print(f"  {time.perf_counter() - t:.1f} s, {csv_path.stat().st_size / 1e6:.0f} MB")
    with tempfile.TemporaryDirectory(prefix="chitieu-bench-dossiers-") as tmp:
        work = Path(tmp)
        before, rfl_rss = run_phase("read_floor", str(work), str(csv_path))
        imp, imp_rss = run_phase("import", str(work), str(csv_path), str(a.units))
        after, rfl_rss2 = run_phase("read_floor", str(work), str(csv_path))
        rfl = {
            "seconds": (before["seconds"] + after["seconds"]) / 2,
            "count_seconds": (before["count_seconds"] + after["count_seconds"]) / 2,
            "spread": (before["seconds"], after["seconds"]),
        }
        rfl_rss = max(rfl_rss, rfl_rss2)
        eng, eng_rss = run_phase("engine", str(work))
        flo, flo_rss = run_phase("floor", str(work), imp["store"])
        pan, pan_rss = run_phase("pandas", str(work), imp["store"])
    assert eng["full"] == flo["full"] and eng["imports"] == flo["imports"], "engine and floor disagree"
    assert eng["result"] == pan["result"], "engine and pandas disagree"
    n_rows = imp["rows"]
    print(f"\nmachine: {platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}")
    print(
        f"{n_rows:,} dossiers, {a.units} units, four quarter windows ({', '.join(QUARTERS)}); all three agree on "
        f"{len(eng['result'])} unit-quarters x {len(COMPARED)} figures"
    )
    print(f"{'phase':28}{'seconds':>10}{'peak RSS MB':>14}")
    for name, d, rss in (
        ("DuckDB read floor (mean)", rfl, rfl_rss),
        ("  (count only)", {"seconds": rfl["count_seconds"]}, rfl_rss),
        ("import (CSV -> store)", imp, imp_rss),
        ("engine (chitieu)", eng, eng_rss),
        ("floor (hand-written SQL)", flo, flo_rss),
        ("pandas (vectorised)", pan, pan_rss),
    ):
        print(f"{name:28}{d['seconds']:10.2f}{rss:14.0f}")
    print(f"read floor before / after the import: {rfl['spread'][0]:.2f} / {rfl['spread'][1]:.2f} s")
    floor_ratio = eng["seconds"] / flo["seconds"]
    speedup = pan["seconds"] / eng["seconds"]
    print(
        f"rows={n_rows} floor_ratio={floor_ratio:.2f} pandas_speedup={speedup:.1f} "
        f"peak_rss_mb={max(imp_rss, eng_rss):.0f} import_rows_per_s={n_rows / imp['seconds']:.0f} "
        f"import_floor_ratio={imp['seconds'] / rfl['seconds']:.2f}"
    )


if __name__ == "__main__":
    main()
