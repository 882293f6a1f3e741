"""Export of values with their status and provenance (CSV/XLSX), for batch users and every table."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable

from chitieu.core import numbers, sheets
from chitieu.core.evaluation import Measurement, evaluate
from chitieu.core.numbers import round_half_up
from chitieu.orgs import permissions
from chitieu.orgs.models import Unit
from chitieu.plans.models import PlanStatus, Target
from chitieu.plans.selectors import target_spec, target_units
from chitieu.reporting.models import DataValue

COLUMNS = [
    "period",
    "unit_code",
    "unit_name",
    "indicator_code",
    "indicator_name",
    "numerator",
    "denominator",
    "value",
    "rate_percent",
    "plan",
    "target",
    "status",
    "source",
    "entered_by",
    "import_file",
    "import_row",
    "computed_from",
    "comment",
    "version",
    "updated_at",
]


def _s(d) -> str:
    return numbers.plain(d) or ""


def value_rows(user, period: str, unit: Unit | None = None) -> Iterable[list]:
    qs = DataValue.objects.filter(period=period).select_related("indicator", "unit", "entered_by")
    if user is not None:
        qs = permissions.restrict(qs, user, permissions.VIEW)
    if unit is not None:
        qs = qs.filter(unit__path__startswith=unit.path)
    targets: dict[int, list[Target]] = {}
    for t in (
        Target.objects.filter(plan__status=PlanStatus.ACTIVE, indicator__isnull=False)
        .select_related("plan__issuer", "lead_unit", "indicator")
        .prefetch_related("assignees")
    ):
        targets.setdefault(t.indicator_id, []).append(t)
    unit_targets_cache: dict[int, list[int]] = {}
    for dv in qs.order_by("unit__path", "indicator__code"):
        m = Measurement(dv.numerator, dv.denominator, dv.value)
        rate = m.rate
        base = [
            dv.period,
            dv.unit.code,
            dv.unit.name,
            dv.indicator.code,
            dv.indicator.name,
            _s(dv.numerator),
            _s(dv.denominator),
            _s(dv.value),
            "" if rate is None else f"{round_half_up(rate, 2)}",
        ]
        prov = [
            dv.source,
            dv.entered_by.username if dv.entered_by_id else "",
            dv.import_file,
            dv.import_row or "",
            dv.computed_from,
            dv.comment,
            dv.version,
            dv.updated_at.isoformat(timespec="seconds"),
        ]
        applicable = []
        for t in targets.get(dv.indicator_id, []):
            ids = unit_targets_cache.setdefault(t.pk, [u.pk for u in target_units(t)])
            if dv.unit_id in ids:
                applicable.append(t)
        if not applicable:
            yield base + ["", "", ""] + prov
        for t in applicable:
            yield (
                base
                + [t.plan.number_symbol or t.plan.title[:60], str(t), evaluate(target_spec(t), m).value]
                + prov
            )


def to_csv(rows: Iterable[list]) -> str:
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(COLUMNS)
    for r in rows:
        w.writerow(sheets.csv_row(r))
    return buf.getvalue()


table_to_xlsx = sheets.table_xlsx  # the values export and every table download write XLSX alike
