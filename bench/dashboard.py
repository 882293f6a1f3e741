"""Dashboard speed at national scale, on SQLite and on PostgreSQL, measured side by side.

Builds 34 provinces and their 3,321 communes (from vietnam-provinces), 20 departments per
province (680), 60 indicators, 36 monthly periods (2024-01 .. 2026-12), one active plan per
province with 10 targets (6 for every commune, 4 for every department) and about 1.1 million data
values, then rebuilds the analytics tables. It measures the server time of the overview page (as
a province's viewer and as the national administrator), the plan page and the indicator page,
and the incremental refresh after one commune's monthly submission. Goal: p95 <= 200 ms per
page, refresh <= 1 s. Ends with one machine-readable line:

    p95_ms_sqlite=120 p95_ms_postgres=95 refresh_ms=400

(p95 = the worst page's p95; refresh_ms = the slower database's median refresh.)

Usage: python bench/dashboard.py [--scale small|full] [--db sqlite,postgres] [--runs 30]
``--quick`` is ``--scale small`` (2 provinces), for ``make bench``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
PG_ADMIN = "postgresql://postgres@127.0.0.1:5432/postgres"
PG_BENCH_DB = "chitieu_bench"


def p95(xs: list[float]) -> float:
    s = sorted(xs)
    return s[min(len(s) - 1, int(round(0.95 * (len(s) - 1))))]


# --- the child: one database --------------------------------------------------------------
def child(scale: str, runs: int, reuse: bool = False) -> dict:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "chitieu.config.settings")
    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    out: dict = {}
    from chitieu.analytics import refresh
    from chitieu.plans.models import Plan

    if reuse and Plan.objects.exists():
        ctx = existing()
        out.update(ctx["counts"])
        out["build_s"] = out["full_refresh_s"] = 0.0
    else:
        t0 = time.perf_counter()
        ctx = build(scale)
        out["build_s"] = time.perf_counter() - t0
        out.update(ctx["counts"])
        t0 = time.perf_counter()
        refresh.refresh_all()
        out["full_refresh_s"] = time.perf_counter() - t0
    out["pages"] = measure_pages(ctx, runs)
    out["refresh_ms"] = measure_refresh(ctx)
    return out


def build(scale: str) -> dict:
    import datetime as dt
    import random
    from decimal import Decimal

    from django.contrib.auth import get_user_model
    from django.db import transaction

    from chitieu.indicators.models import Indicator
    from chitieu.orgs.loaders import load_vietnam_units
    from chitieu.orgs.models import Membership, Unit, UnitKind
    from chitieu.plans.models import Plan, PlanStatus, Target
    from chitieu.reporting.models import DataValue, PlanSchedule, ReportingRegime, Submission

    rng = random.Random(36)
    provinces = {24, 1} if scale == "small" else None
    load_vietnam_units(provinces=provinces, legacy=False)
    provs = list(Unit.objects.filter(kind=UnitKind.PROVINCE).order_by("code"))
    with transaction.atomic():
        depts = []
        for p in provs:
            for i in range(20):
                depts.append(
                    Unit(
                        code=f"{p.code}-S{i:02d}",
                        name=f"Sở thứ {i + 1} {p.name}",
                        kind=UnitKind.DEPARTMENT,
                        parent=p,
                    )
                )
        depts = Unit.objects.bulk_create(depts, batch_size=2000)
        for d in depts:
            d.path, d.depth = f"{d.parent.path}{d.pk}/", d.parent.depth + 1
        Unit.objects.bulk_update(depts, ["path", "depth"], batch_size=2000)
        inds = Indicator.objects.bulk_create(
            [Indicator(code=f"B{i:02d}", name=f"Chỉ tiêu thử {i:02d}", kind="ratio") for i in range(1, 61)]
        )
        regime = ReportingRegime.objects.create(
            name="Hằng tháng",
            period_kinds=["month"],
            window={"kind": "calendar"},
            deadline_rule={"kind": "day_of_last_month", "day": 18, "exclusive": True},
        )
        months = [(y, m) for y in (2024, 2025, 2026) for m in range(1, 13)]
        plans, targets = [], []
        for p in provs:
            plan = Plan.objects.create(
                issuer=p,
                issuer_name=p.name,
                number_symbol=f"{rng.randint(1, 300)}/KH-UBND",
                title=f"Chuyển đổi số {p.name} 2024-2026",
                status=PlanStatus.ACTIVE,
            )
            PlanSchedule.objects.create(plan=plan, regime=regime)
            plans.append(plan)
            for k in range(10):
                targets.append(
                    Target(
                        plan=plan,
                        indicator=inds[k],
                        text=inds[k].name,
                        operator=">=",
                        threshold=Decimal(rng.choice([50, 60, 70, 80, 90])),
                        scope_kind=UnitKind.COMMUNE if k < 6 else UnitKind.DEPARTMENT,
                        due_date=dt.date(2026, 12, 31),
                        position=k,
                    )
                )
        Target.objects.bulk_create(targets, batch_size=1000)
        communes = list(Unit.objects.filter(kind=UnitKind.COMMUNE))
        reporters = [(c, list(range(6)) + [10, 11]) for c in communes] + [
            (d, [6, 7, 8, 9, 12, 13]) for d in depts
        ]
        values, subs = [], []
        n_values = 0
        for unit, ks in reporters:
            prov_plan = next(pl for pl in plans if unit.path.startswith(pl.issuer.path))
            for k in ks:
                base, step = rng.uniform(0.3, 0.95), rng.uniform(-0.004, 0.01)
                for i, (y, m) in enumerate(months):
                    den = rng.randint(20, 400)
                    start = dt.date(y, m, 1)
                    end = (dt.date(y + (m == 12), m % 12 + 1, 1)) - dt.timedelta(days=1)
                    values.append(
                        DataValue(
                            indicator=inds[k],
                            unit=unit,
                            period=f"{y}M{m:02d}",
                            period_kind="month",
                            period_start=start,
                            period_end=end,
                            numerator=Decimal(round(den * min(max(base + step * i, 0), 1))),
                            denominator=Decimal(den),
                        )
                    )
            for i, (y, m) in enumerate(months):
                end = (dt.date(y + (m == 12), m % 12 + 1, 1)) - dt.timedelta(days=1)
                subs.append(
                    Submission(
                        plan=prov_plan,
                        unit=unit,
                        period=f"{y}M{m:02d}",
                        period_kind="month",
                        period_start=dt.date(y, m, 1),
                        period_end=end,
                        due_date=end.replace(day=18) if end.day >= 18 else end,
                        status="approved" if i < 34 else "draft",
                        approver_unit=prov_plan.issuer,
                    )
                )
            if len(values) >= 50_000:
                DataValue.objects.bulk_create(values, batch_size=5000)
                n_values += len(values)
                values = []
            if len(subs) >= 20_000:
                Submission.objects.bulk_create(subs, batch_size=5000)
                subs = []
        DataValue.objects.bulk_create(values, batch_size=5000)
        Submission.objects.bulk_create(subs, batch_size=5000)
        n_values += len(values)
        User = get_user_model()
        admin = User.objects.create_superuser("bench-admin", "a@x.vn", "x")
        viewer = User.objects.create_user("bench-viewer", password="x")
        Membership.objects.create(user=viewer, unit=provs[0], role="viewer")
    return {
        "admin": admin,
        "viewer": viewer,
        "plan": plans[0],
        "province": provs[0],
        "indicator": inds[0],
        "communes": [c for c in communes if c.path.startswith(provs[0].path)][:5],
        "inds": inds,
        "counts": {
            "provinces": len(provs),
            "communes": len(communes),
            "departments": len(depts),
            "indicators": len(inds),
            "values": n_values,
            "submissions": Submission.objects.count(),
        },
    }


def existing() -> dict:
    """The context of a dataset built by an earlier run (``--reuse``)."""
    from django.contrib.auth import get_user_model

    from chitieu.indicators.models import Indicator
    from chitieu.orgs.models import Unit, UnitKind
    from chitieu.plans.models import Plan
    from chitieu.reporting.models import DataValue, Submission

    User = get_user_model()
    provs = list(Unit.objects.filter(kind=UnitKind.PROVINCE).order_by("code"))
    inds = list(Indicator.objects.filter(code__startswith="B").order_by("code"))
    return {
        "admin": User.objects.get(username="bench-admin"),
        "viewer": User.objects.get(username="bench-viewer"),
        "plan": Plan.objects.filter(issuer=provs[0]).first(),
        "province": provs[0],
        "indicator": inds[0],
        "communes": list(Unit.objects.filter(kind=UnitKind.COMMUNE, path__startswith=provs[0].path)[:5]),
        "inds": inds,
        "counts": {
            "provinces": len(provs),
            "communes": Unit.objects.filter(kind=UnitKind.COMMUNE).count(),
            "departments": Unit.objects.filter(kind=UnitKind.DEPARTMENT).count(),
            "indicators": len(inds),
            "values": DataValue.objects.count(),
            "submissions": Submission.objects.count(),
        },
    }


def measure_pages(ctx: dict, runs: int) -> dict:
    from django.test import Client

    pages = {
        "overview (province viewer)": (ctx["viewer"], "/"),
        "overview (national admin)": (ctx["admin"], "/"),
        "plan page": (ctx["viewer"], f"/ke-hoach/{ctx['plan'].pk}/tien-do/"),
        "indicator page (nation)": (ctx["admin"], f"/chi-tieu/{ctx['indicator'].code}/?ky=2026M11"),
    }
    out = {}
    for name, (user, url) in pages.items():
        c = Client()
        c.force_login(user)
        r = c.get(url)  # warm-up (templates, connections)
        assert r.status_code == 200, (url, r.status_code)
        times = []
        for _ in range(runs):
            t0 = time.perf_counter()
            r = c.get(url)
            times.append((time.perf_counter() - t0) * 1000)
            assert r.status_code == 200
        out[name] = {"p50": statistics.median(times), "p95": p95(times)}
    return out


def measure_refresh(ctx: dict) -> float:
    """One commune sends its monthly report (8 values): time of the incremental refresh only."""
    from chitieu.analytics import refresh
    from chitieu.reporting.services import value_save

    times = []
    for commune in ctx["communes"]:
        pairs = set()
        with refresh.batch():  # the values are saved; the refresh runs at the end of the block
            for k in list(range(6)) + [10, 11]:
                ind = ctx["inds"][k]
                value_save(
                    actor=ctx["admin"],
                    indicator=ind,
                    unit=commune,
                    period="2026M12",
                    numerator=9,
                    denominator=10,
                )
                pairs.add((ind.pk, commune.pk))
        t0 = time.perf_counter()
        refresh.values_changed(pairs)  # what the end of the batch ran, timed on its own
        times.append((time.perf_counter() - t0) * 1000)
    return statistics.median(times)


# --- the parent: both databases side by side -------------------------------------------
def run_child(db: str, scale: str, runs: int, reuse: bool = False) -> dict:
    env = dict(os.environ, CHITIEU_HOME=str(REPO))
    if db == "sqlite":
        path = REPO / "var" / f"bench-dashboard-{scale}.sqlite3"
        path.parent.mkdir(exist_ok=True)
        if not reuse:
            for suffix in ("", "-wal", "-shm"):
                Path(f"{path}{suffix}").unlink(missing_ok=True)
        env["DATABASE_URL"] = f"sqlite:///{path}"
    else:
        import psycopg

        db_name = f"{PG_BENCH_DB}_{scale}"
        with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
            exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [db_name]).fetchone()
            if not (reuse and exists):
                conn.execute(f"DROP DATABASE IF EXISTS {db_name}")
                conn.execute(f"CREATE DATABASE {db_name}")
        env["DATABASE_URL"] = f"postgres://postgres@127.0.0.1:5432/{db_name}"
    proc = subprocess.run(
        [
            sys.executable,
            __file__,
            "--child",
            "--scale",
            scale,
            "--runs",
            str(runs),
            *(["--reuse"] if reuse else []),
        ],
        env=env,
        capture_output=True,
        text=True,
    )
    if proc.returncode != 0:
        sys.stderr.write(proc.stderr[-4000:])
        raise SystemExit(f"{db}: the benchmark failed")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--scale", choices=["small", "full"], default="full")
    ap.add_argument("--quick", action="store_true", help="same as --scale small")
    ap.add_argument("--db", default="sqlite,postgres")
    ap.add_argument("--runs", type=int, default=30)
    ap.add_argument("--reuse", action="store_true", help="measure again on the dataset of the last run")
    ap.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args()
    scale = "small" if args.quick else args.scale
    if args.child:
        sys.path.insert(0, str(REPO / "src"))
        print(json.dumps(child(scale, args.runs, args.reuse), default=str))
        return
    dbs = [d.strip() for d in args.db.split(",") if d.strip()]
    results = {}
    for db in dbs:
        if db == "postgres":
            try:
                import psycopg

                psycopg.connect(PG_ADMIN, connect_timeout=3).close()
            except Exception as exc:
                print(f"PostgreSQL not reachable ({exc.__class__.__name__}); skipped")
                continue
        print(f"building the {scale} dataset on {db} ...", flush=True)
        results[db] = run_child(db, scale, args.runs, args.reuse)
    if not results:
        raise SystemExit("no database to measure")
    print(f"\nmachine: {platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}")
    first = next(iter(results.values()))
    print(
        f"dataset: {first['provinces']} provinces, {first['communes']} communes, {first['departments']} departments, "
        f"{first['indicators']} indicators, 36 months, {first['values']:,} values, {first['submissions']:,} reports due"
    )
    head = f"{'':34}" + "".join(f"{db + ' p50':>14}{db + ' p95':>14}" for db in results)
    print(head)
    for page in first["pages"]:
        print(
            f"{page:34}"
            + "".join(
                f"{r['pages'][page]['p50']:14.1f}{r['pages'][page]['p95']:14.1f}" for r in results.values()
            )
        )
    print(
        f"{'incremental refresh (median ms)':34}"
        + "".join(f"{r['refresh_ms']:28.1f}" for r in results.values())
    )
    print(
        f"{'full rebuild of analytics (s)':34}"
        + "".join(f"{r['full_refresh_s']:28.1f}" for r in results.values())
    )
    print(f"{'dataset build (s)':34}" + "".join(f"{r['build_s']:28.1f}" for r in results.values()))
    worst = {db: max(v["p95"] for v in r["pages"].values()) for db, r in results.items()}
    line = " ".join(f"p95_ms_{db}={worst[db]:.0f}" for db in results)
    line += f" refresh_ms={max(r['refresh_ms'] for r in results.values()):.0f}"
    print(line)


if __name__ == "__main__":
    main()
