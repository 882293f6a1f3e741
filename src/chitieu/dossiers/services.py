"""Compute the service indicators from the dossier store and write them as data values."""

from __future__ import annotations

import time
from collections.abc import Callable

from django.conf import settings
from django.db import connection, transaction

from chitieu.audit.services import record
from chitieu.core.errors import Invalid
from chitieu.core.periods import DECREE_09, PeriodError, WindowRule
from chitieu.core.periods import parse as parse_period
from chitieu.dossiers import compute, store
from chitieu.dossiers.models import ComputeRun, DossierImport, ImportStatus
from chitieu.indicators.models import Indicator
from chitieu.orgs import permissions
from chitieu.orgs.models import Unit
from chitieu.reporting.services import values_save_computed


class ComputeError(Invalid):
    pass


def window_rule(name: str) -> WindowRule:
    if name == "calendar":
        return WindowRule("calendar")
    if name == "cutoff":
        d = settings.CHITIEU_DEFAULT_REGIME.get("window")
        return WindowRule.from_dict(d) if d else DECREE_09
    raise ComputeError(f"Cách tính thời gian số liệu '{name}' không hợp lệ (cutoff hoặc calendar).")


def windows_for(periods: list[str], rule: WindowRule) -> list[compute.Window]:
    out = []
    for text in periods:
        try:
            p = parse_period(text)
        except PeriodError:
            raise ComputeError(f"Kỳ '{text}' không hợp lệ (ví dụ: 2024Q1, Quý I năm 2024).")
        w = p.window(rule)
        out.append(compute.Window(p.id, w.start, w.end))
    if not out:
        raise ComputeError("Cần ít nhất một kỳ để tính.")
    return out


def compute_rows(
    windows: list[compute.Window], *, engine: str | None = None, unit_ids: list[int] | None = None
) -> list[dict]:
    """Metric rows (one per unit and period) from one SQL statement, run by DuckDB over the
    columnar store or pushed down to PostgreSQL."""
    engine = engine or store.engine_name()
    flt = f"unit_id IN ({', '.join(str(int(u)) for u in unit_ids)})" if unit_ids else ""
    if engine == "postgres":
        with connection.cursor() as cur:
            cur.execute(compute.combined_sql(store.postgres_relation(), windows, unit_filter=flt))
            cols = [c.name for c in cur.description]
            raw = cur.fetchall()
    else:
        con = store.duck()
        try:
            res = con.execute(compute.combined_sql(store.duckdb_relation(), windows, unit_filter=flt))
            cols = [d[0] for d in res.description]
            raw = res.fetchall()
        finally:
            con.close()
    out = []
    for values in raw:
        m = dict(zip(cols, values, strict=True))
        m = {k: (int(v) if k not in ("period", "imports") and v is not None else v) for k, v in m.items()}
        out.append(compute.derive(m))
    return out


def dossiers_compute(
    *,
    actor,
    periods: list[str],
    window: str = "cutoff",
    engine: str | None = None,
    progress: Callable[[str, int, int], None] | None = None,
) -> ComputeRun:
    """Compute every unit's indicators for the periods and write them (provenance: the imports,
    the rule version and this run)."""
    if not permissions.units_for(actor, permissions.ENTER).exists():
        raise permissions.NotAllowed("Bạn không có quyền ghi số liệu của đơn vị nào.")
    started = time.perf_counter()
    windows = windows_for(periods, window_rule(window))
    engine = engine or store.engine_name()
    if progress:
        progress("Tính chỉ tiêu", 0, len(windows))
    rows = compute_rows(windows, engine=engine)
    if progress:
        progress("Ghi số liệu", len(windows), len(windows))
    indicators = {i.code: i for i in Indicator.objects.filter(code__in=compute.RULES)}
    missing = set(compute.RULES) - set(indicators)
    if missing:
        raise ComputeError(
            "Danh mục thiếu chỉ tiêu: " + ", ".join(sorted(missing)) + " (chạy chitieu load-catalog)."
        )
    units = Unit.objects.in_bulk({r["unit_id"] for r in rows})
    imports = sorted(DossierImport.objects.filter(status=ImportStatus.DONE).values_list("id", flat=True))
    with transaction.atomic():
        run = ComputeRun.objects.create(
            periods=[w.period for w in windows],
            window=window,
            rule_version=compute.RULE_VERSION,
            engine=engine,
            imports=imports,
            created_by=actor if getattr(actor, "is_authenticated", False) else None,
        )
        by_source: dict[str, list] = {}
        for r in rows:
            unit = units.get(r["unit_id"])
            if unit is None:
                continue
            src = f"hồ sơ một cửa, lần nhập #{(r.get('imports') or '').replace(',', ', #')}; quy tắc {compute.RULE_VERSION}; lần tính #{run.pk}"
            for code, _uid, period, num, den, val in compute.to_values([r]):
                by_source.setdefault(src, []).append((indicators[code], unit, period, num, den, val))
        written = unchanged = 0
        locked: list = []
        for src, vals in by_source.items():
            res = values_save_computed(
                actor=actor, rows=vals, computed_from=src, reason=f"tính từ hồ sơ (lần tính #{run.pk})"
            )
            written += res["written"]
            unchanged += res["unchanged"]
            locked += [list(x) for x in res["locked"]]
        run.values_written, run.values_unchanged, run.values_locked = written, unchanged, locked[:500]
        run.seconds = time.perf_counter() - started
        run.save()
        record(actor=actor, action="create", obj=run, after={"periods": run.periods, "written": written})
    return run
