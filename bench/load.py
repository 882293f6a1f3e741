"""The deadline hour: many reporters sending their quarterly report at once.

Starts chitieu under gunicorn (several workers) on PostgreSQL; N simulated reporters sign in
beforehand (not measured: at the deadline hour people are already signed in), then on loopback
each opens their report form, saves their values and submits, C at a time. Prints
throughput and latency, then checks in the database that every submitted value is stored exactly
once and every report is submitted. Ends with one machine-readable line:

    users=300 rps=… p99_ms=… errors=0 lost=0

Usage: python bench/load.py [--users 300] [--window 60] [--think 2] [--workers 4] [--quick]
       python bench/load.py --window 0 --concurrency 50     (a stress run: no arrival spread, no pause)
``--quick`` (20 users, 2 workers) is what the test suite runs.
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import socket
import statistics
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
PG_ADMIN = "postgresql://postgres@127.0.0.1:5432/postgres"
DB = "chitieu_load"
PASSWORD = "bao-cao-dung-han-2026"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def prepare(users: int) -> list[tuple[str, int, int, int]]:
    """A province, one commune per reporter, a plan whose target every commune reports; returns
    (username, submission id, target id, commune id) per reporter."""
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password
    from django.core.management import call_command
    from django.utils import timezone

    from chitieu.core.periods import Period, PeriodKind
    from chitieu.indicators.services import indicator_create
    from chitieu.orgs.models import Membership, Unit, UnitKind
    from chitieu.plans import services as plans
    from chitieu.reporting.models import ReportingRegime, Submission
    from chitieu.reporting.obligations import plan_regime_set

    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)
    User = get_user_model()
    root = User.objects.create_superuser("load-root", "r@x.vn", PASSWORD)
    prov = Unit.objects.create(code="LP", name="Tỉnh tải", kind=UnitKind.PROVINCE)
    prov.path = f"/{prov.pk}/"
    prov.save()
    communes = Unit.objects.bulk_create(
        [
            Unit(code=f"LX{i:04d}", name=f"Xã tải {i}", kind=UnitKind.COMMUNE, parent=prov)
            for i in range(users)
        ]
    )
    for c in communes:
        c.path, c.depth = f"{prov.path}{c.pk}/", 1
    Unit.objects.bulk_update(communes, ["path", "depth"])
    hashed = make_password(PASSWORD)  # Argon2, as in production
    people = User.objects.bulk_create([User(username=f"xa{i:04d}", password=hashed) for i in range(users)])
    Membership.objects.bulk_create(
        [Membership(user=u, unit=c, role="reporter") for u, c in zip(people, communes, strict=True)]
    )
    ind = indicator_create(
        actor=None, code="LOAD_ONLINE", name="Tỷ lệ hồ sơ trực tuyến", kind="ratio", audit=False
    )
    today = timezone.localdate()
    period = Period.containing(today, PeriodKind.QUARTER)
    regime = ReportingRegime.objects.create(
        name="Quý",
        period_kinds=["quarter"],
        window={"kind": "cutoff", "turn_day": 15},
        deadline_rule={"kind": "working_days_after_cutoff", "working_days": 10, "exclusive": False},
    )
    p = plans.plan_create(
        actor=root,
        issuer=prov,
        title="Giờ hạn báo cáo",
        number_symbol="1/KH-TAI",
        date_text=str(today.year),
    )
    plan_regime_set(actor=root, plan=p, regime=regime)
    t = plans.target_create(
        actor=root,
        plan=p,
        text="Tỷ lệ hồ sơ trực tuyến cấp xã",
        operator=">=",
        threshold=50,
        indicator=ind,
        scope_kind="commune",
        monitoring_unit=prov,
    )
    plans.plan_activate(actor=root, plan=p)
    subs = {s.unit_id: s.pk for s in Submission.objects.filter(plan=p, period=period.id)}
    return [(u.username, subs[c.pk], t.pk, c.pk) for u, c in zip(people, communes, strict=True)]


class Recorder:
    def __init__(self) -> None:
        self.times: list[float] = []
        self.errors: list[str] = []
        self.lock = threading.Lock()

    def call(self, client, method: str, url: str, **kw):
        t = time.perf_counter()
        try:
            r = client.request(method, url, **kw)
        except Exception as exc:  # a refused connection, a timeout
            with self.lock:
                self.errors.append(f"{method} {url}: {exc.__class__.__name__}")
            return None
        with self.lock:
            self.times.append((time.perf_counter() - t) * 1000)
            if r.status_code >= 400:
                self.errors.append(f"{method} {url}: {r.status_code}")
        return r


def csrf_of(html: str) -> str:
    m = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
    return m.group(1) if m else ""


def sign_in(base: str, who: tuple[str, int, int, int], errors: list[str]):
    """Before the hour: each reporter signs in (Argon2, slow on purpose) and keeps the session."""
    import httpx

    c = httpx.Client(base_url=base, timeout=60, follow_redirects=False)
    r = c.get("/dang-nhap/")
    r = c.post(
        "/dang-nhap/", data={"username": who[0], "password": PASSWORD, "csrfmiddlewaretoken": csrf_of(r.text)}
    )
    if r.status_code != 302:
        errors.append(f"sign-in {who[0]}: {r.status_code}")
    return c


def reporter(
    c, rec: Recorder, who: tuple[str, int, int, int], n: int, start: float = 0.0, think: float = 0.0
) -> None:
    """The hour itself: arrive at ``start`` seconds, open the form, type for ``think`` seconds, save,
    look it over for ``think`` seconds, submit."""
    _, sid, tid, _ = who
    time.sleep(start)
    try:
        r = rec.call(c, "GET", f"/bao-cao/{sid}/")
        if r is None:
            return
        token = csrf_of(r.text)
        form = {
            "csrfmiddlewaretoken": token,
            f"num_{tid}": str(40 + n % 50),
            f"den_{tid}": "100",
            "action": "save",
        }
        rec.call(c, "POST", f"/bao-cao/{sid}/", data=form)
        form["action"] = "submit"
        rec.call(c, "POST", f"/bao-cao/{sid}/", data=form)
    finally:
        c.close()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--users", type=int, default=300)
    ap.add_argument(
        "--window",
        type=float,
        default=60.0,
        help="seconds over which the reporters arrive (0: all at once, --concurrency at a time)",
    )
    ap.add_argument(
        "--think",
        type=float,
        default=2.0,
        help="seconds a reporter spends between opening, saving and submitting",
    )
    ap.add_argument(
        "--concurrency", type=int, default=50, help="with --window 0: reporters working at the same time"
    )
    ap.add_argument("--workers", type=int, default=4)
    ap.add_argument("--quick", action="store_true")
    a = ap.parse_args()
    if a.quick:
        a.users, a.concurrency, a.workers, a.window, a.think = 20, 10, 2, 5.0, 0.5
    import psycopg

    with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {DB} WITH (FORCE)")
        conn.execute(f"CREATE DATABASE {DB}")
    env = dict(
        os.environ,
        DATABASE_URL=f"postgres://postgres@127.0.0.1:5432/{DB}",
        CHITIEU_HOME=str(REPO),
        DJANGO_SETTINGS_MODULE="chitieu.config.settings",
        ALLOWED_HOSTS="127.0.0.1,localhost",
    )
    os.environ.update(env)
    sys.path.insert(0, str(REPO / "src"))
    t0 = time.perf_counter()
    people = prepare(a.users)
    print(f"prepared {a.users} reporters in {time.perf_counter() - t0:.1f} s", flush=True)
    port = free_port()
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "chitieu.config.wsgi:application",
            "-w",
            str(a.workers),
            "-b",
            f"127.0.0.1:{port}",
            "--timeout",
            "60",
            "--log-level",
            "warning",
        ],
        env=env,
        cwd=str(REPO),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        import httpx

        for _ in range(100):
            try:
                if httpx.get(base + "/healthz", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.2)
        rec = Recorder()
        t0 = time.perf_counter()
        with ThreadPoolExecutor(max_workers=a.concurrency) as pool:
            clients = list(pool.map(lambda w: sign_in(base, w, rec.errors), people))
        print(
            f"{a.users} reporters signed in beforehand ({time.perf_counter() - t0:.1f} s, not counted)",
            flush=True,
        )
        t0 = time.perf_counter()
        import random

        rng = random.Random(7)
        starts = [rng.uniform(0, a.window) for _ in people]  # arrivals spread over the window
        workers = a.concurrency if a.window == 0 else len(people)
        with ThreadPoolExecutor(max_workers=workers) as pool:
            futures = [
                pool.submit(reporter, c, rec, who, i, starts[i], a.think)
                for i, (c, who) in enumerate(zip(clients, people, strict=True))
            ]
        wall = time.perf_counter() - t0
        for f in futures:
            if f.exception() is not None:
                rec.errors.append(f"client: {f.exception()!r}")
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
    from chitieu.reporting.models import DataValue, Submission

    expected = {cid: 40 + i % 50 for i, (_, _, _, cid) in enumerate(people)}
    stored = list(
        DataValue.objects.filter(unit_id__in=expected).values_list("unit_id", "numerator", "version")
    )
    by_unit: dict[int, list] = {}
    for uid, num, _version in stored:
        by_unit.setdefault(uid, []).append(num)
    lost = sum(1 for uid, num in expected.items() if by_unit.get(uid) != [num])
    submitted = Submission.objects.filter(unit_id__in=expected, status="submitted").count()
    lost += a.users - submitted
    times = sorted(rec.times)

    def pct(q: float) -> float:
        return times[min(len(times) - 1, int(q * (len(times) - 1)))] if times else float("nan")

    print(f"machine: {platform.machine()}, {os.cpu_count()} CPUs; gunicorn {a.workers} workers; PostgreSQL")
    mode = (
        f"arriving over {a.window:.0f} s, {a.think:.1f} s between steps"
        if a.window
        else f"all at once, {a.concurrency} at a time, no pause"
    )
    print(f"{a.users} reporters {mode}: {len(times)} requests in {wall:.1f} s")
    if not times:
        times = [float("nan")]
    print(f"{'rps':>8}{'p50 ms':>10}{'p95 ms':>10}{'p99 ms':>10}{'errors':>8}{'stored':>8}{'submitted':>11}")
    print(
        f"{len(times) / wall:8.1f}{statistics.median(times):10.0f}{pct(0.95):10.0f}{pct(0.99):10.0f}{len(rec.errors):8d}{len(stored):8d}{submitted:11d}"
    )
    for e in rec.errors[:5]:
        print("  error:", e)
    print(
        f"users={a.users} rps={len(times) / wall:.0f} p99_ms={pct(0.99):.0f} errors={len(rec.errors)} lost={lost}"
    )


if __name__ == "__main__":
    main()
